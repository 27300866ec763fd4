"""Filter banks and windows: ``librosa.filters`` equivalents."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from . import _validation as V
from .convert import mel_frequencies
from .exceptions import ParameterError
from .util import pad_center

__all__ = ["mel", "get_window", "chroma"]

# Filterbank size cap (1 GiB as float64): a bigger one is a mistake, not a mel spectrogram.
MAX_MEL_ELEMENTS = 1 << 27

_NAMED_WINDOWS = {"hann", "hanning", "han", "hamming", "hamm", "ham", "blackman", "black", "blk",
                  "boxcar", "box", "ones", "rect", "rectangular"}

# What get_window accepts: a name, a scipy (name, params...) tuple, a callable of the length,
# or the window itself; a number is refused.
WindowSpec = str | tuple[Any, ...] | Callable[[int], npt.ArrayLike] | npt.ArrayLike

_F64 = npt.NDArray[np.float64]


def get_window(window: WindowSpec, Nx: int, *, fftbins: bool = True) -> _F64:
    """Compute a window function, as ``librosa.filters.get_window``.

    Parameters
    ----------
    window : str, tuple, number, callable or array_like
        - ``"hann"``, ``"hamming"``, ``"blackman"``, ``"boxcar"``/``"rectangular"`` are
          computed by cepstra;
        - other scipy window specifications (``("kaiser", 4.0)``, ``"tukey"``, …) are handed
          to ``scipy.signal.get_window`` when scipy is installed;
        - a callable is called as ``window(Nx)``;
        - an array of length ``Nx`` is returned as is (as float64).
    Nx : int > 0
        Length of the window.
    fftbins : bool
        True (default): periodic window, for spectral analysis. False: symmetric window.

    Returns
    -------
    window : np.ndarray, shape (Nx,), dtype float64
    """
    Nx = V.positive_int("Nx", Nx, maximum=V.MAX_N_FFT)
    fftbins = V.boolean("fftbins", fftbins)
    if isinstance(window, str) and window in _NAMED_WINDOWS:
        named: _F64 = _named_window(window, Nx, fftbins).copy()  # defined below: typed here
        return named
    if callable(window):
        w = np.asarray(window(Nx), dtype=np.float64)
    elif isinstance(window, (str, tuple)):
        try:
            import scipy.signal
        except ImportError:  # pragma: no cover - depends on the environment
            raise ParameterError(
                f"window={window!r} needs scipy (pip install scipy); cepstra itself knows "
                f"{sorted(_NAMED_WINDOWS)}") from None
        try:
            w = np.asarray(scipy.signal.get_window(window, Nx, fftbins=fftbins), dtype=np.float64)
        except (ValueError, TypeError) as e:
            raise ParameterError(f"window={window!r} is not a valid window specification: {e}") from None
    elif isinstance(window, (np.ndarray, list)):
        w = np.asarray(window)
        if w.ndim != 1 or len(w) != Nx:
            raise ParameterError(f"window has length {w.shape[0] if w.ndim else 0}, but it must have length {Nx}")
        if w.dtype.kind not in "fiu":
            raise TypeError(f"window must be real-valued, got dtype={w.dtype}")
        w = w.astype(np.float64)
    else:
        raise ParameterError(f"window={window!r} is not a valid window specification")
    if w.shape != (Nx,):
        raise ParameterError(f"window={window!r} produced shape {w.shape}, expected ({Nx},)")
    if not np.all(np.isfinite(w)):
        raise ParameterError("window contains NaN or infinite values")
    return w


@functools.lru_cache(maxsize=64)
def _named_window(name: str, n: int, periodic: bool) -> _F64:
    w = _core.get_window(name, n, periodic)
    w.setflags(write=False)
    return w


def analysis_window(window: WindowSpec, win_length: int, n_fft: int) -> tuple[_F64, tuple[str, int, int] | None]:
    """The length-n_fft, centre-padded float64 analysis window and a cache key (None if uncacheable)."""
    if isinstance(window, str) and window in _NAMED_WINDOWS:
        key = (window, win_length, n_fft)
        return _padded_named(window, win_length, n_fft), key
    w = get_window(window, win_length, fftbins=True)
    return pad_center(w, size=n_fft), None


@functools.lru_cache(maxsize=64)
def _padded_named(name: str, win_length: int, n_fft: int) -> _F64:
    w = pad_center(np.asarray(_named_window(name, win_length, True)), size=n_fft)
    w.setflags(write=False)
    return w


def mel_norm(norm: str | float | None, name: str = "norm") -> tuple[str, float]:
    """Validates a mel filter norm: 'slaney', None, or a positive number (np.inf allowed)."""
    if norm is None:
        return ("none", 0.0)
    if isinstance(norm, str):
        if norm == "slaney":
            return ("slaney", 0.0)
        raise ParameterError(f"{name}={norm!r} is not supported; use 'slaney', None or a positive number")
    p = V.real_number(name, norm, minimum=0.0, strict=True, allow_inf=True)
    return ("lp", p)


def mel_params(sr: float, n_fft: int, n_mels: int, fmin: float, fmax: float | None, htk: bool,
               norm: str | float | None, norm_name: str = "norm"
               ) -> tuple[float, int, int, float, float, bool, str, float]:
    sr = V.real_number("sr", sr, minimum=0.0, strict=True)
    n_fft = V.positive_int("n_fft", n_fft, maximum=V.MAX_N_FFT)
    n_mels = V.positive_int("n_mels", n_mels, maximum=1 << 16)
    fmin = V.real_number("fmin", fmin, minimum=0.0)
    fmax = sr / 2.0 if fmax is None else V.real_number("fmax", fmax, minimum=0.0, strict=True)
    if fmin >= fmax:
        raise ParameterError(f"fmin={fmin} must be less than fmax={fmax}")
    if n_mels * (n_fft // 2 + 1) > MAX_MEL_ELEMENTS:
        raise ParameterError(f"n_mels={n_mels} with n_fft={n_fft} gives a filterbank of "
                             f"{n_mels * (n_fft // 2 + 1)} values (at most {MAX_MEL_ELEMENTS})")
    htk = V.boolean("htk", htk)
    kind, p = mel_norm(norm, norm_name)
    return sr, n_fft, n_mels, fmin, fmax, htk, kind, p


@functools.lru_cache(maxsize=64)
def _mel_cached(sr: float, n_fft: int, n_mels: int, fmin: float, fmax: float, htk: bool, kind: str, p: float,
                float32: bool) -> tuple[_F64, bool]:
    w = _core.mel_filterbank(sr, n_fft, n_mels, fmin, fmax, htk, kind, p, float32)
    mel_f = mel_frequencies(n_mels + 2, fmin=fmin, fmax=fmax, htk=htk)
    empty = bool(np.any((mel_f[:-2] != 0) & (w.max(axis=1) <= 0)))
    w.setflags(write=False)
    return w, empty


def warn_if_empty(empty: bool, stacklevel: int = 3) -> None:
    if empty:
        warnings.warn(
            "Empty filters detected in mel frequency basis. Some channels will produce empty "
            "responses. Try increasing your sampling rate (and fmax) or reducing n_mels.",
            UserWarning, stacklevel=stacklevel)


def mel(*, sr: float, n_fft: int, n_mels: int = 128, fmin: float = 0.0, fmax: float | None = None, htk: bool = False,
        norm: str | float | None = "slaney", dtype: npt.DTypeLike = np.float32) -> npt.NDArray[np.floating[Any]]:
    """Create a mel filterbank matrix, as ``librosa.filters.mel``.

    Triangles are linear in Hz between consecutive mel-spaced edges (Slaney's mel scale, or
    HTK's ``2595 log10(1 + f/700)`` when ``htk=True``).

    Parameters
    ----------
    sr : float > 0
        Sampling rate.
    n_fft : int > 0
        FFT size.
    n_mels : int > 0
        Number of mel bands.
    fmin, fmax : float
        Lowest and highest frequency (Hz); ``fmax=None`` means ``sr / 2``. ``0 <= fmin < fmax``.
    htk : bool
        Use the HTK mel scale instead of Slaney's.
    norm : {"slaney", None} or number > 0
        "slaney": divide each triangle by its width in Hz (constant energy per channel);
        a number p: unit Lp norm per filter (``np.inf`` for max); None: peak 1.
    dtype : np.dtype
        Output dtype. With float32 (the default) every rounding of librosa's float32 path is
        reproduced, so the matrix equals librosa's bit for bit in the usual cases.

    Returns
    -------
    M : np.ndarray, shape (n_mels, 1 + n_fft // 2), dtype ``dtype``
    """
    sr, n_fft, n_mels, fmin, fmax, htk, kind, p = mel_params(sr, n_fft, n_mels, fmin, fmax, htk, norm)
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise ParameterError(f"dtype={dtype!r} must be a floating-point dtype")
    w, empty = _mel_cached(sr, n_fft, n_mels, fmin, fmax, htk, kind, p, dt == np.float32)
    warn_if_empty(empty)
    return w.astype(dt)


def chroma(*, sr: float, n_fft: int, n_chroma: int = 12, tuning: float = 0.0, ctroct: float = 5.0,
           octwidth: float | None = 2, norm: float | None = 2, base_c: bool = True,
           dtype: npt.DTypeLike = np.float32) -> npt.NDArray[np.floating[Any]]:
    """Chroma filterbank (STFT bins to pitch classes), as ``librosa.filters.chroma``.

    Ellis's construction: each FFT bin contributes a Gaussian bump (in chroma bins, width at
    least one bin) to every pitch class; the bins' columns are normalised to unit ``norm``,
    then weighted by a Gaussian over octaves centred at ``ctroct`` (``octwidth`` octaves wide).
    Like librosa, the 0 Hz bin is given a made-up position 1.5 octaves below bin 1.

    Parameters
    ----------
    sr : float > 0
    n_fft : int > 1
    n_chroma : int > 0
    tuning : float
        Tuning deviation from A440 in fractions of a chroma bin.
    ctroct, octwidth : float; octwidth > 0 or None (no octave weighting)
    norm : float or None
        Column norm (see ``librosa.util.normalize``).
    base_c : bool
        True: the first row is C; False: A.
    dtype : floating dtype

    Returns
    -------
    wts : np.ndarray, shape (n_chroma, 1 + n_fft // 2), dtype ``dtype``
    """
    from .feature._common import normalize

    sr = V.real_number("sr", sr, minimum=0.0, strict=True)
    n_fft = V.positive_int("n_fft", n_fft, maximum=V.MAX_N_FFT)
    if n_fft < 2:
        raise ParameterError(f"n_fft={n_fft} must be at least 2")
    n_chroma = V.positive_int("n_chroma", n_chroma, maximum=1 << 12)
    tuning = V.real_number("tuning", tuning)
    ctroct = V.real_number("ctroct", ctroct)
    if octwidth is not None:
        octwidth = V.real_number("octwidth", octwidth, minimum=0.0, strict=True)
    base_c = V.boolean("base_c", base_c)
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise ParameterError(f"dtype={dtype!r} must be a floating-point dtype")
    frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    a440 = 440.0 * 2.0 ** (tuning / n_chroma)
    frqbins = n_chroma * np.log2(frequencies / (float(a440) / 16))
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidthbins = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    D = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype="d")).T
    n_chroma2 = np.round(float(n_chroma) / 2)
    D = np.remainder(D + n_chroma2 + 10 * n_chroma, n_chroma) - n_chroma2
    wts = np.exp(-0.5 * (2 * D / np.tile(binwidthbins, (n_chroma, 1))) ** 2)
    wts = normalize(wts, norm, axis=0)
    if octwidth is not None:
        wts *= np.tile(np.exp(-0.5 * (((frqbins / n_chroma - ctroct) / octwidth) ** 2)), (n_chroma, 1))
    if base_c:
        wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    return np.ascontiguousarray(wts[:, : int(1 + n_fft / 2)], dtype=dt)
