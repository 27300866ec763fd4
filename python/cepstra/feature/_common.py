"""Shared plumbing of the music features: spectrogram input (``y`` or ``S``), column
normalisation exactly as ``librosa.util.normalize``, and list (batch) dispatch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from .._engine import batching, configs
from .._engine.windows import WindowSpec
from ..exceptions import ParameterError

_Array = npt.NDArray[Any]


def is_list(y: object) -> bool:
    return batching.is_signal_list(y)


def map_list(fn: Callable[..., Any], y: Any, **kwargs: Any) -> list[Any]:
    """Applies fn(y=item, **kwargs) to every signal of a list (list in -> list out)."""
    out = []
    for i, item in enumerate(y):
        V.signal(f"y[{i}]", item)
        out.append(fn(y=item, **kwargs))
    return out


def stft_magnitude(
    y: Any,
    n_fft: int,
    hop_length: int | None,
    win_length: int | None,
    window: WindowSpec,
    center: bool,
    pad_mode: str,
    power: float,
) -> _Array:
    """``|stft(y)| ** power`` of a validated signal, in y's precision.

    librosa multiplies float32 frames by its float64 window, so its float32 STFT is the float64
    one rounded to complex64; we do the same (a float32 FFT would differ in the quiet bins by
    far more than librosa's float32/float64 gap, which log-domain features such as flatness
    expose)."""
    y = V.signal("y", y)
    fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
    D = batching.run_spectral(configs.spectral_config("stft", fr), y.astype(np.float64, copy=False))
    assert isinstance(D, np.ndarray)  # one array in, one out
    if y.dtype == np.float32:
        D = D.astype(np.complex64)
    S: _Array = np.abs(D)
    if power != 1.0:
        S = S**power
    return S


def spectrogram(
    *,
    y: Any,
    S: Any,
    n_fft: int | None,
    hop_length: int | None,
    win_length: int | None,
    window: WindowSpec,
    center: bool,
    pad_mode: str,
    power: float = 1.0,
    nonnegative: bool = True,
    real: bool = True,
) -> tuple[_Array, int]:
    """As librosa's ``_spectrogram``: S as given (n_fft inferred from it when it does not fit),
    else ``|stft(y)|**power``. S must be real and (unless told otherwise) non-negative."""
    if S is not None:
        S = V.spectrogram_values("S", S, allow_complex=not real)
        if S.shape[-1] < 1 or S.shape[-2] < 1:
            raise ParameterError(f"S is empty (shape={S.shape})")
        V.finite("S", S)
        if nonnegative and S.dtype.kind != "c" and np.any(S < 0):
            raise ParameterError("S must hold non-negative magnitudes (it has negative values)")
        if n_fft is None or not V.is_int(n_fft) or n_fft // 2 + 1 != S.shape[-2]:
            n_fft = 2 * (S.shape[-2] - 1)
        if n_fft < 1:
            raise ParameterError(f"S has {S.shape[-2]} frequency bin(s); it needs at least 2")
        return S, int(n_fft)
    if y is None:
        raise ParameterError("y or S must be given (both are None)")
    if n_fft is None:
        raise ParameterError(f"n_fft={n_fft!r} must be a positive integer")
    power = V.real_number("power", power, minimum=0.0, strict=True)
    return stft_magnitude(y, n_fft, hop_length, win_length, window, center, pad_mode, power), int(n_fft)


def tiny(x: _Array) -> float:
    dt = x.dtype if x.dtype.kind in "fc" else np.dtype(np.float32)
    return float(np.finfo(dt).tiny)


def check_norm(norm: Any) -> None:
    if norm is None:
        return
    if not V.is_real_number(norm) or np.isnan(norm) or (norm < 0 and norm != -np.inf):
        raise ParameterError(f"norm={norm!r} must be None, 0, a positive number or +-np.inf")


def normalize(S: _Array, norm: float | None, axis: int = -2) -> _Array:
    """``librosa.util.normalize(S, norm=norm, axis=axis)`` (threshold=tiny(S), fill=None),
    with the same arithmetic: lengths in float64, the quotient stored in S's dtype."""
    check_norm(norm)
    if norm is None:
        return S
    mag = np.abs(S).astype(float)
    if norm == np.inf:
        length = np.max(mag, axis=axis, keepdims=True)
    elif norm == -np.inf:
        length = np.min(mag, axis=axis, keepdims=True)
    elif norm == 0:
        length = np.sum(mag > 0, axis=axis, keepdims=True, dtype=mag.dtype)
    else:
        length = np.sum(mag**norm, axis=axis, keepdims=True) ** (1.0 / norm)
    length[length < tiny(S)] = 1.0
    out = np.empty_like(S)
    out[:] = S / length
    return out


def frequencies(freq: Any, sr: float, n_fft: int, d: int) -> _Array:
    """Bin centre frequencies: ``freq`` as given (shape (d,) or (..., d, t)) or the FFT bins'."""
    if freq is None:
        sr = V.real_number("sr", sr, minimum=0.0, strict=True)
        return np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    f = np.asarray(freq)
    if f.dtype.kind not in "iuf":
        raise TypeError(f"freq must be a real array, got dtype={f.dtype}")
    if f.ndim == 0 or f.shape[-1 if f.ndim == 1 else -2] != d:
        raise ParameterError(f"freq has shape {f.shape}, which does not fit {d} frequency bins")
    if not np.all(np.isfinite(f)):
        raise ParameterError("freq contains NaN or infinite values")
    return f.astype(np.float64, copy=False)


def expand_freq(freq: _Array, ndim: int) -> _Array:
    """A (d,) frequency vector as (d, 1) broadcasting against (..., d, t)."""
    return freq.reshape((-1, 1)) if freq.ndim == 1 else freq
