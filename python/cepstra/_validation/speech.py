"""Kaldi and Whisper waveforms, irfft lengths, and streaming."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import ParameterError
from .arrays import _plain_signal, finite, float_array
from .scalars import MAX_N_FFT, positive_int, real_number


def kaldi_waveform(name: str, waveform: Any) -> npt.NDArray[Any]:
    """(..., n) float32/float64 (int16 converted to float32 without scaling), finite."""
    if _plain_signal(name, waveform, 1):
        return waveform  # type: ignore[no-any-return]
    if isinstance(waveform, (str, bytes)):
        raise TypeError(f"{name} must be a numpy array, not {type(waveform).__name__}")
    arr = np.asarray(waveform)
    if arr.dtype == np.int16:
        arr = arr.astype(np.float32)  # int16 scale kept: Kaldi reads samples unnormalised
    else:
        arr = float_array(name, arr)
        if arr.dtype.kind != "f":
            raise TypeError(f"{name} must be real, got dtype={arr.dtype}")
    if arr.ndim < 1:
        raise ParameterError(f"{name} must have at least 1 dimension, got shape={arr.shape}")
    finite(name, arr)
    return arr


def warn_kaldi_empty_bins(num_mel_bins: int, empty: int, stacklevel: int) -> None:
    warnings.warn(
        f"num_mel_bins={num_mel_bins} leaves {empty} mel bin(s) without any FFT bin (their log energy "
        "is log(FLT_EPSILON)); Kaldi refuses this configuration",
        UserWarning,
        stacklevel=stacklevel + 1,
    )


def streamable_subtract_mean(subtract_mean: bool) -> None:
    if subtract_mean:
        raise ParameterError(
            "subtract_mean=True cannot stream: the mean over all frames is unknown until the stream ends "
            "(stream with subtract_mean=False and subtract the mean yourself, or use a running mean)"
        )


def whisper_audio(name: str, audio: Any, padding: int, min_exclusive: int) -> npt.NDArray[Any]:
    """(n,) or (batch, n) audio, finite, longer (with padding) than whisper's reflect padding."""
    y = float_array(name, audio)
    if y.ndim not in (1, 2):
        raise ParameterError(f"{name} must be 1-D (n,) or 2-D (batch, n), got shape={y.shape}")
    finite(name, y)
    if y.shape[-1] + padding <= min_exclusive:
        raise ParameterError(
            f"{name} has {y.shape[-1]} samples (padding={padding}); whisper's reflect padding "
            f"needs more than {min_exclusive}"
        )
    return y


def irfft_length(bins: int, n: Any) -> int:
    """irfft's output length: 2 * (bins - 1) when None; it must give ``bins`` = n // 2 + 1."""
    n = positive_int("n", 2 * (bins - 1) if n is None else n, maximum=MAX_N_FFT)
    if bins != n // 2 + 1:
        raise ParameterError(f"X has {bins} bins, which does not fit n={n} (expected {n // 2 + 1})")
    return int(n)


def streamable(extractor: object, ok: bool) -> None:
    if not ok:
        raise ParameterError(f"extractor={type(extractor).__name__} cannot be streamed")


def stream_open(message: str, refused: bool) -> None:
    """A Stream call out of order (push after flush, flush twice, flush of nothing)."""
    if refused:
        raise ParameterError(message)


def stream_chunk(name: str, chunk: Any, dtype: np.dtype[Any] | None) -> npt.NDArray[Any]:
    """One 1-D finite chunk, of the stream's dtype once the first chunk has fixed it."""
    arr = float_array(name, chunk)
    if arr.ndim != 1:
        raise ParameterError(f"{name} must be 1-D, got shape={arr.shape}")
    finite(name, arr)
    if dtype is not None and arr.dtype != dtype:
        raise TypeError(f"{name} has dtype={arr.dtype}, but this stream is {dtype}")
    return arr


def frequency_range(fmin: Any, fmax: Any) -> None:
    """0 <= fmin < fmax, both finite (the values themselves are left to the caller)."""
    if real_number("fmin", fmin) < 0:
        raise ParameterError(f"fmin={fmin!r} must be >= 0")
    if real_number("fmax", fmax) <= float(fmin):
        raise ParameterError(f"fmax={fmax!r} must be greater than fmin={fmin!r}")
