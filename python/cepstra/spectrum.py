"""Short-time Fourier transforms and decibel conversion (``librosa`` core equivalents)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine import batching, configs, core
from ._engine.windows import WindowSpec, analysis_window
from .convert import db_to_amplitude, db_to_power

_Array = npt.NDArray[Any]
# A reference level: a number, or a function of the spectrogram (e.g. np.max).
RefSpec = float | Callable[[_Array], Any]

__all__ = ["stft", "istft", "power_to_db", "amplitude_to_db", "db_to_power", "db_to_amplitude"]


def stft(
    y: npt.ArrayLike,
    *,
    n_fft: int = 2048,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    dtype: npt.DTypeLike | None = None,
    pad_mode: str = "constant",
    out: _Array | None = None,
) -> npt.NDArray[np.complexfloating[Any]]:
    """Short-time Fourier transform, as ``librosa.stft``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), float32 or float64
        Audio; leading axes are independent channels. Any strides (no copy is made).
    n_fft : int > 0
        FFT size (any size: mixed radix, Bluestein for large prime factors).
    hop_length : int > 0 or None
        Hop between frames; default ``win_length // 4``.
    win_length : int, 0 < win_length <= n_fft, or None
        Window length; the window is zero-padded to ``n_fft`` at the centre. Default ``n_fft``.
    window : str, tuple, callable or np.ndarray
        See :func:`cepstra.filters.get_window` (periodic).
    center : bool
        True: frame ``t`` is centred at ``y[t * hop_length]`` (the signal is padded by
        ``n_fft // 2`` on both sides, as librosa does).
    dtype : complex dtype or None
        Output dtype; default complex64 for float32 input, complex128 for float64.
    pad_mode : {"constant", "reflect", "edge", "symmetric"}
        Padding for ``center=True``.
    out : np.ndarray or None
        Pre-allocated complex output of shape ``(..., 1 + n_fft//2, t')`` with ``t' >= t``
        (``dtype`` is then ignored, as in librosa). When ``t' == t``, ``out`` itself is
        returned; otherwise the view ``out[..., :t]``. The transform is written straight into
        ``out`` when its dtype is the complex type of ``y``'s precision and its last axis is
        contiguous; any other complex array is filled from a temporary, as librosa does.

    Returns
    -------
    D : np.ndarray, shape (..., 1 + n_fft // 2, t), complex
        ``t = 1 + n // hop_length`` when centred, ``1 + (n - n_fft) // hop_length`` otherwise.

    Warns
    -----
    UserWarning
        When ``center`` and ``n_fft`` exceeds the signal length (librosa's warning).
    """
    y = V.signal("y", y)
    fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
    cfg = configs.spectral_config("stft", fr)
    V.complex_dtype("dtype", dtype)
    if fr.center and fr.n_fft > y.shape[-1]:
        warnings.warn(f"n_fft={fr.n_fft} is too large for input signal of length={y.shape[-1]}", stacklevel=2)
    if out is not None:
        return batching.run_stft_into(cfg, y, out)
    if dtype is not None and np.dtype(dtype).itemsize > 2 * y.itemsize:
        y = y.astype(np.float64)  # a wider result than the input: compute it at that precision
    D = batching.run_spectral(cfg, y)
    assert isinstance(D, np.ndarray)
    if dtype is not None and np.dtype(dtype) != D.dtype:
        D = D.astype(dtype)
    return D


def istft(
    stft_matrix: npt.ArrayLike,
    *,
    hop_length: int | None = None,
    win_length: int | None = None,
    n_fft: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    dtype: npt.DTypeLike | None = None,
    length: int | None = None,
    out: _Array | None = None,
) -> _Array:
    """Inverse short-time Fourier transform, as ``librosa.istft``.

    Each frame is inverse-transformed, windowed and overlap-added; the sum is divided by the
    window's squared envelope wherever that is above ``tiny``.

    Parameters
    ----------
    stft_matrix : np.ndarray, shape (..., 1 + n_fft // 2, t), complex64 or complex128
    hop_length, win_length, window, center
        As in :func:`stft`.
    n_fft : int or None
        Default ``2 * (stft_matrix.shape[-2] - 1)``; an odd ``n_fft`` must be given.
    dtype : real dtype or None
        Default float32 for complex64 input, float64 for complex128.
    length : int or None
        If given, the output is zero-padded or trimmed to exactly this many samples.
    out : np.ndarray or None
        Pre-allocated output of the exact result shape.

    Returns
    -------
    y : np.ndarray, shape (..., n)
    """
    S = V.complex_array("stft_matrix", stft_matrix, min_ndim=2)
    bins = S.shape[-2]
    n_fft, hop, win_length, center, _ = V.framing(
        V.n_fft_of_stft(bins, n_fft), hop_length, win_length, center, "constant"
    )
    n_frames = S.shape[-1]
    if length is not None:
        length = V.positive_int("length", length, maximum=1 << 40)
        padded = length + 2 * (n_fft // 2) if center else length
        n_frames = min(n_frames, -(-padded // hop))
        out_len = length
    else:
        out_len = n_fft + hop * (n_frames - 1) - (2 * (n_fft // 2) if center else 0)
        V.istft_length(n_frames, out_len)
    w, _ = analysis_window(window, win_length, n_fft)
    lead = S.shape[:-2]
    rows = int(np.prod(lead)) if lead else 1
    V.output_size(
        "length" if length is not None else "hop_length",
        length if length is not None else hop,
        rows,
        out_len,
        itemsize=S.itemsize // 2,
    )
    S3 = np.ascontiguousarray(S.reshape(rows, bins, S.shape[-1])[..., :n_frames])
    V.all_finite("stft_matrix", S3)
    y = core.istft(S3, n_fft, hop, w, center, out_len).reshape(lead + (out_len,))
    if dtype is not None:
        y = y.astype(dtype)
    if out is not None:
        V.istft_out(out, y.shape)
        out[...] = y
        return out
    return y


def _db_input(S: npt.ArrayLike) -> tuple[_Array, bool]:
    """S as a float (or complex) array, and whether it was a scalar (a number or a numpy
    scalar: the result is then a numpy scalar, as librosa's). Numbers and integer or boolean
    arrays are values, not signals: they are converted to float64, as librosa computes them."""
    arr = np.asarray(S) if not isinstance(S, (str, bytes)) else S
    if isinstance(arr, np.ndarray) and arr.dtype.kind in "iub":
        arr = arr.astype(np.float64)
    return V.float_array("S", arr, min_ndim=0, allow_complex=True), not isinstance(S, np.ndarray) and np.ndim(S) == 0


def _db_result(S_db: _Array, S: _Array, scalar: bool) -> npt.NDArray[np.floating[Any]]:
    # S's shape (a 0-d S stays 0-d); a numpy scalar for a scalar input, as librosa returns
    # (typed as the array it acts as).
    S_db = S_db.reshape(S.shape)
    return cast("npt.NDArray[np.floating[Any]]", S_db[()] if scalar else S_db)


def _to_db(
    func: str, hint: str, S: npt.ArrayLike, ref: RefSpec, amin: float, top_db: float | None, amplitude: bool
) -> npt.NDArray[np.floating[Any]]:
    """power_to_db / amplitude_to_db: an amplitude is squared (ref and amin with it) in C++."""
    arr, scalar = _db_input(S)
    amin = V.real_number("amin", amin, minimum=0.0, strict=True)
    if top_db is not None:
        top_db = V.real_number("top_db", top_db, minimum=0.0)
    if arr.dtype.kind == "c":
        warnings.warn(
            f"{func} was called on complex input so phase information will be discarded. "
            f"To suppress this warning, call {hint} instead.",
            stacklevel=3,
        )
        arr = np.abs(arr)
    if callable(ref):
        ref_value = V.db_reference(ref, ref(np.abs(arr) if amplitude else arr))
    else:
        ref_value = abs(V.real_number("ref", ref))
    if amplitude:
        amin, ref_value = amin * amin, ref_value * ref_value
    flat = np.ascontiguousarray(arr).reshape(-1)  # 0-d in, 0-d out (as librosa): the kernel is 1-D
    c_top_db = -1.0 if top_db is None else top_db
    if isinstance(ref_value, float):
        return _db_result(core.power_to_db(flat, amin, ref_value, c_top_db, amplitude), arr, scalar)
    # An array reference (a callable returning, e.g., per-frame maxima): librosa broadcasts it
    # against S. dB relative to 1 in C++, the reference subtracted here, then the floor.
    out = core.power_to_db(flat, amin, 1.0, -1.0, amplitude).reshape(arr.shape)
    ref_db = 10.0 * np.log10(np.maximum(amin, ref_value.astype(out.dtype)))
    V.db_reference_broadcasts(ref_db.shape, arr.shape)
    out = out - ref_db
    if top_db is not None:
        out = np.maximum(out, out.max() - out.dtype.type(top_db))
    result: npt.NDArray[np.floating[Any]] = out
    return result


def power_to_db(
    S: npt.ArrayLike, *, ref: RefSpec = 1.0, amin: float = 1e-10, top_db: float | None = 80.0
) -> npt.NDArray[np.floating[Any]]:
    """Convert a power spectrogram to decibels, as ``librosa.power_to_db``.

    ``10 log10(max(amin, S)) - 10 log10(max(amin, ref))``, then floored at
    ``max - top_db`` where the maximum is taken over the whole array (librosa 0.11).

    Parameters
    ----------
    S : np.ndarray or number
        float32 or float64 (complex input: its magnitude is used, with a warning); numbers and
        integer or boolean arrays are converted to float64.
    ref : float or callable
        Reference power; a callable (e.g. ``np.max``) is applied to ``S``.
    amin : float > 0
    top_db : float >= 0 or None

    Returns
    -------
    S_db : np.ndarray, same shape as S, dtype float32 or float64 (as S); a numpy scalar for a
        scalar S (numbers and integer arrays are converted to float64, as librosa does)

    NaN and infinity propagate as in librosa (never replaced by ``amin``): a NaN value gives NaN,
    an infinite one +inf; a NaN reference, or any NaN while ``top_db`` is set (its floor is the
    global maximum), makes every output NaN. A ``ref`` callable may return an array, broadcast
    against ``S``; a 0-d ``S`` gives a 0-d result.
    """
    return _to_db("power_to_db", "power_to_db(np.abs(D)**2)", S, ref, amin, top_db, amplitude=False)


def amplitude_to_db(
    S: npt.ArrayLike, *, ref: RefSpec = 1.0, amin: float = 1e-5, top_db: float | None = 80.0
) -> npt.NDArray[np.floating[Any]]:
    """Convert an amplitude spectrogram to decibels, as ``librosa.amplitude_to_db``.

    Equal to ``power_to_db(|S|**2, ref=ref**2, amin=amin**2, top_db=top_db)``.

    Parameters
    ----------
    S : np.ndarray or number
        float or complex; numbers and integer or boolean arrays are converted to float64.
    ref : float or callable
        Reference amplitude; a callable is applied to ``|S|``.
    amin : float > 0
    top_db : float >= 0 or None

    Returns
    -------
    S_db : np.ndarray, same shape as S, real dtype of S's precision; a numpy scalar for a scalar S

    NaN and infinity propagate as in librosa (never replaced by ``amin``): a NaN value gives NaN,
    an infinite one +inf; a NaN reference, or any NaN while ``top_db`` is set (its floor is the
    global maximum), makes every output NaN. A ``ref`` callable may return an array, broadcast
    against ``S``; a 0-d ``S`` gives a 0-d result.
    """
    return _to_db("amplitude_to_db", "amplitude_to_db(np.abs(S))", S, ref, amin, top_db, amplitude=True)
