"""Spectrogram inputs and the stft/istft outputs, lengths and dtypes; librosa's usage warnings."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import ParameterError
from .arrays import finite, float_array
from .scalars import MAX_N_FFT, positive_int


def warn_empty_mel(stacklevel: int) -> None:
    """librosa's warning for a mel band without any FFT bin (its text, its category)."""
    warnings.warn(
        "Empty filters detected in mel frequency basis. Some channels will produce empty "
        "responses. Try increasing your sampling rate (and fmax) or reducing n_mels.",
        UserWarning,
        stacklevel=stacklevel + 1,
    )


def pad_needs_list(out: object) -> None:
    if not isinstance(out, list):
        raise ParameterError("pad=True applies to a list of signals")


def streamable_top_db(top_db: float | None) -> None:
    if top_db is not None:
        raise ParameterError(
            "streaming MFCC needs MFCC(..., top_db=None): librosa floors the dB mel at the maximum "
            "of the whole signal, which is unknown until the stream ends"
        )


def spectrogram(name: str, S: Any, func: str) -> npt.NDArray[Any]:
    """A (..., bins, frames) real spectrogram given instead of y: non-empty, finite."""
    if S is None:
        raise ParameterError(f"{func} needs y or S (both are None)")
    arr = float_array(name, S, min_ndim=2)
    if arr.shape[-1] < 1 or arr.shape[-2] < 1:
        raise ParameterError(f"{name} is empty (shape={arr.shape})")
    finite(name, arr)
    return arr


def n_fft_of_spectrogram(S: npt.NDArray[Any], n_fft: Any) -> int:
    """n_fft for a (..., 1 + n_fft // 2, t) spectrogram: inferred when None, else checked against S."""
    n_fft = positive_int("n_fft", 2 * (S.shape[-2] - 1) if n_fft is None else n_fft, maximum=MAX_N_FFT)
    if S.shape[-2] != n_fft // 2 + 1:
        raise ParameterError(
            f"S has {S.shape[-2]} frequency bins, which does not fit n_fft={n_fft} (expected {n_fft // 2 + 1})"
        )
    return int(n_fft)


def complex_dtype(name: str, dtype: Any) -> None:
    if dtype is not None and np.dtype(dtype).kind != "c":
        raise ParameterError(f"{name}={dtype!r} must be a complex dtype")


def complex_array(name: str, x: Any, *, min_ndim: int = 1) -> npt.NDArray[Any]:
    arr = float_array(name, x, min_ndim=min_ndim, allow_complex=True)
    if arr.dtype.kind != "c":
        raise TypeError(f"{name} must be complex, got dtype={arr.dtype}")
    return arr


def stft_out(out: Any, shape: tuple[int, ...]) -> None:
    """stft's ``out=``: complex, same leading shape, at least as many frames."""
    if not isinstance(out, np.ndarray) or out.dtype.kind != "c":
        raise ParameterError(f"out with dtype={getattr(out, 'dtype', type(out))} is not of complex type")
    if out.shape[:-1] != shape[:-1] or out.shape[-1] < shape[-1]:
        raise ParameterError(f"Shape mismatch for provided output array out.shape={out.shape} and target shape={shape}")


def writeable(name: str, out: npt.NDArray[Any]) -> None:
    if not out.flags.writeable:
        raise ParameterError(f"{name} is read-only (shape={out.shape}, dtype={out.dtype})")


def istft_out(out: Any, shape: tuple[int, ...]) -> None:
    if not isinstance(out, np.ndarray) or out.shape != shape:
        raise ParameterError(
            f"Shape mismatch for provided output array out.shape={getattr(out, 'shape', None)} != {shape}"
        )


def n_fft_of_stft(bins: int, n_fft: Any) -> int:
    """n_fft for an stft_matrix with ``bins`` rows: 2 * (bins - 1) when None, else checked."""
    if n_fft is None:
        if bins < 2:
            raise ParameterError(f"stft_matrix has {bins} frequency bin(s); give n_fft explicitly")
        n_fft = 2 * (bins - 1)
    n_fft = positive_int("n_fft", n_fft, maximum=MAX_N_FFT)
    if bins != n_fft // 2 + 1:
        raise ParameterError(
            f"stft_matrix has {bins} frequency bins, which does not fit n_fft={n_fft} (expected {n_fft // 2 + 1})"
        )
    return int(n_fft)


def istft_length(n_frames: int, out_len: int) -> None:
    if n_frames < 1 or out_len < 1:
        raise ParameterError(f"stft_matrix with {n_frames} frame(s) gives an empty signal")


def all_finite(name: str, arr: npt.NDArray[Any]) -> None:
    """Like finite(), for any dtype (complex included), reading every element."""
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} contains NaN or infinite values")


def float_dtype(name: str, dtype: Any) -> np.dtype[Any]:
    dt: np.dtype[Any] = np.dtype(dtype)
    if dt.kind != "f":
        raise ParameterError(f"{name}={dtype!r} must be a floating-point dtype")
    return dt
