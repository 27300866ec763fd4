"""Feature inversion (``librosa.feature.inverse`` equivalents): mel and MFCC back to STFT and audio."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from .._engine.windows import WindowSpec
from .._nnls import nnls
from ..convert import db_to_power
from ..exceptions import ParameterError
from ..filters import mel as mel_filter
from ..phase import griffinlim

_Array = npt.NDArray[Any]

__all__ = ["mel_to_audio", "mel_to_stft", "mfcc_to_audio", "mfcc_to_mel"]


def mel_to_stft(
    M: npt.ArrayLike,
    *,
    sr: float = 22050,
    n_fft: int = 2048,
    power: float = 2.0,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
    norm: str | float | None = "slaney",
) -> _Array:
    """Approximate STFT magnitude from a mel spectrogram, as ``librosa.feature.inverse.mel_to_stft``.

    Solves the non-negative least-squares problem ``mel_basis @ X ~= M`` (see
    :mod:`cepstra._nnls`: same start as librosa, converged further) and returns ``X ** (1/power)``.

    Parameters
    ----------
    M : np.ndarray, shape (..., n_mels, t), float32 or float64, non-negative
    sr, n_fft, fmin, fmax, htk, norm
        Mel filterbank parameters, as :func:`cepstra.filters.mel` (``n_mels = M.shape[-2]``).
    power : float > 0
        The exponent ``M`` was computed with (2: power, 1: magnitude).

    Returns
    -------
    S : np.ndarray, shape (..., 1 + n_fft // 2, t), dtype of M
    """
    Ma = V.float_array("M", M, min_ndim=2)
    V.finite("M", Ma)
    if Ma.size == 0:
        raise ParameterError(f"M is empty (shape={Ma.shape})")
    if np.any(Ma < 0):
        raise ParameterError("M must be non-negative (a mel power or magnitude spectrogram)")
    power = V.real_number("power", power, minimum=0, strict=True)
    basis = mel_filter(
        sr=sr, n_fft=n_fft, n_mels=Ma.shape[-2], fmin=fmin, fmax=fmax, htk=htk, norm=norm, dtype=Ma.dtype
    )
    inverse = nnls(basis, Ma).astype(Ma.dtype)
    out: _Array = np.power(inverse, 1.0 / power, out=inverse)
    return out


def mel_to_audio(
    M: npt.ArrayLike,
    *,
    sr: float = 22050,
    n_fft: int = 2048,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    power: float = 2.0,
    n_iter: int = 32,
    length: int | None = None,
    dtype: npt.DTypeLike = np.float32,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
    norm: str | float | None = "slaney",
    random_state: Any = None,
) -> _Array:
    """Audio from a mel spectrogram (NNLS then Griffin-Lim), as ``librosa.feature.inverse.mel_to_audio``.

    Parameters
    ----------
    M : np.ndarray, shape (..., n_mels, t)
    sr, n_fft, power, fmin, fmax, htk, norm
        As :func:`mel_to_stft`.
    hop_length, win_length, window, center, pad_mode, n_iter, length
        As :func:`cepstra.griffinlim`.
    dtype : real dtype
        Output dtype (default float32, as librosa).
    random_state : None, int, RandomState or Generator
        Griffin-Lim's initial phase (librosa always uses a fresh random generator; this extra
        keyword makes the result reproducible).

    Returns
    -------
    y : np.ndarray, shape (..., n)
    """
    stft = mel_to_stft(M, sr=sr, n_fft=n_fft, power=power, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
    return griffinlim(
        stft,
        n_iter=n_iter,
        hop_length=hop_length,
        win_length=win_length,
        n_fft=n_fft,
        window=window,
        center=center,
        dtype=dtype,
        length=length,
        pad_mode=pad_mode,
        random_state=random_state,
    )


def _idct_matrix(dct_type: int, norm: str | None, n: int) -> _Array:
    from .._engine import core

    F = core.dct_matrix(dct_type, n, n, norm == "ortho", 0.0)
    inv: _Array = F.T.copy() if norm == "ortho" and dct_type in (2, 3) else np.linalg.inv(F)
    return inv


def mfcc_to_mel(
    mfcc: npt.ArrayLike,
    *,
    n_mels: int = 128,
    dct_type: int = 2,
    norm: str | None = "ortho",
    ref: float = 1.0,
    lifter: float = 0,
) -> _Array:
    """Mel power spectrogram from MFCCs, as ``librosa.feature.inverse.mfcc_to_mel``.

    The inverse DCT zero-pads the ``n_mfcc`` coefficients to ``n_mels`` (scipy's ``idct(n=)``).

    Parameters
    ----------
    mfcc : np.ndarray, shape (..., n_mfcc, t)
    n_mels : int > 0
    dct_type : {1, 2, 3}
    norm : None or "ortho"
    ref : float
        Reference power for the dB-to-power conversion.
    lifter : float >= 0
        Liftering applied to the MFCCs (undone here).

    Returns
    -------
    S : np.ndarray, shape (..., n_mels, t), dtype of mfcc
    """
    C = V.float_array("mfcc", mfcc, min_ndim=2)
    V.finite("mfcc", C)
    n_mels = V.positive_int("n_mels", n_mels, maximum=1 << 16)
    if dct_type not in (1, 2, 3) or not V.is_int(dct_type):
        raise ParameterError(f"dct_type={dct_type!r} must be 1, 2 or 3")
    if norm not in (None, "ortho"):
        raise ParameterError(f"norm={norm!r} must be None or 'ortho'")
    if dct_type == 1 and n_mels < 2:
        raise ParameterError("dct_type=1 needs n_mels >= 2")
    lifter = V.real_number("lifter", lifter)
    if lifter > 0:
        n_mfcc = C.shape[-2]
        idx = np.arange(1, 1 + n_mfcc, dtype=C.dtype).reshape((-1, 1))
        lifter_sine = 1 + lifter * 0.5 * np.sin(np.pi * idx / lifter)
        if np.any(np.abs(lifter_sine) < np.finfo(lifter_sine.dtype).eps):
            warnings.warn("lifter array includes critical values that may invoke underflow.", UserWarning, stacklevel=2)
        C = C / (lifter_sine + np.finfo(C.dtype).tiny)
    elif lifter != 0:
        raise ParameterError(f"lifter={lifter!r} must be a non-negative number")
    inv = _idct_matrix(int(dct_type), norm, n_mels)
    k = min(C.shape[-2], n_mels)
    logmel = np.einsum("mk,...kt->...mt", inv[:, :k], C[..., :k, :].astype(np.float64)).astype(C.dtype)
    out: _Array = db_to_power(logmel, ref=ref)
    return out


def mfcc_to_audio(
    mfcc: npt.ArrayLike,
    *,
    n_mels: int = 128,
    dct_type: int = 2,
    norm: str | None = "ortho",
    ref: float = 1.0,
    lifter: float = 0,
    sr: float = 22050,
    n_fft: int = 2048,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    power: float = 2.0,
    n_iter: int = 32,
    length: int | None = None,
    dtype: npt.DTypeLike = np.float32,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
    mel_norm: str | float | None = "slaney",
    random_state: Any = None,
) -> _Array:
    """Audio from MFCCs, as ``librosa.feature.inverse.mfcc_to_audio``: :func:`mfcc_to_mel` then
    :func:`mel_to_audio`.

    ``mel_norm`` is the filterbank norm (librosa passes it as ``norm`` through ``**kwargs``,
    where it collides with the DCT ``norm``; it is named separately here).

    Returns
    -------
    y : np.ndarray, shape (..., n)
    """
    mel_spec = mfcc_to_mel(mfcc, n_mels=n_mels, dct_type=dct_type, norm=norm, ref=ref, lifter=lifter)
    return mel_to_audio(
        mel_spec,
        sr=sr,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
        power=power,
        n_iter=n_iter,
        length=length,
        dtype=dtype,
        fmin=fmin,
        fmax=fmax,
        htk=htk,
        norm=mel_norm,
        random_state=random_state,
    )
