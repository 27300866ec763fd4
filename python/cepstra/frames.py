"""Conversions between frame indices, sample indices and seconds (``librosa`` core names).

Every function follows librosa 0.11 exactly, including its corners:

- results are integer (``int``, i.e. int64) for frame/sample outputs and float64 for times;
- ``frames_to_samples`` adds ``n_fft // 2`` when ``n_fft`` is given (the centre of an
  *uncentred* frame), ``samples_to_frames`` subtracts it and floors (so sample 0 with
  ``n_fft=2048`` is frame -2, as in librosa);
- ``time_to_samples`` truncates toward zero (``astype(int)``), it does not round.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from .exceptions import ParameterError

__all__ = [
    "frames_to_samples",
    "samples_to_frames",
    "frames_to_time",
    "time_to_frames",
    "time_to_samples",
    "samples_to_time",
    "times_like",
    "samples_like",
]


def _hop(hop_length: Any) -> int:
    return V.positive_int("hop_length", hop_length)


def _offset(n_fft: Any) -> int:
    if n_fft is None:
        return 0
    return V.positive_int("n_fft", n_fft) // 2


def _sr(sr: Any) -> float:
    return V.real_number("sr", sr, minimum=0.0, strict=True)


def _numeric(name: str, x: Any) -> npt.NDArray[Any]:
    arr: npt.NDArray[Any] = np.asanyarray(x)
    if arr.dtype.kind not in "iuf" and not (arr.dtype.kind == "b" and arr.size == 0):
        raise TypeError(f"{name} must be numeric, got dtype={arr.dtype}")
    return arr


def frames_to_samples(frames: npt.ArrayLike, *, hop_length: int = 512, n_fft: int | None = None) -> Any:
    """Frame indices to sample indices, as ``librosa.frames_to_samples``.

    Parameters
    ----------
    frames : int or array_like of int
    hop_length : int > 0
    n_fft : int > 0 or None
        If given, ``n_fft // 2`` is added (the centre of an uncentred frame).

    Returns
    -------
    samples : int or np.ndarray of int64, shape of ``frames``
        ``frames * hop_length + n_fft // 2``.
    """
    hop, off = _hop(hop_length), _offset(n_fft)
    return (_numeric("frames", frames) * hop + off).astype(int)


def samples_to_frames(samples: npt.ArrayLike, *, hop_length: int = 512, n_fft: int | None = None) -> Any:
    """Sample indices to frame indices, as ``librosa.samples_to_frames``.

    Returns
    -------
    frames : np.ndarray of int64, shape of ``samples``
        ``floor((samples - n_fft // 2) // hop_length)`` (negative before the first full frame).
    """
    hop, off = _hop(hop_length), _offset(n_fft)
    s = _numeric("samples", samples)
    return np.asarray(np.floor((s - off) // hop), dtype=int)


def samples_to_time(samples: npt.ArrayLike, *, sr: float = 22050) -> Any:
    """Sample indices to seconds, as ``librosa.samples_to_time``: ``samples / sr`` (float64)."""
    return _numeric("samples", samples) / _sr(sr)


def time_to_samples(times: npt.ArrayLike, *, sr: float = 22050) -> Any:
    """Seconds to sample indices, as ``librosa.time_to_samples``: ``int(times * sr)`` (truncated)."""
    return (_numeric("times", times) * _sr(sr)).astype(int)


def frames_to_time(frames: npt.ArrayLike, *, sr: float = 22050, hop_length: int = 512, n_fft: int | None = None) -> Any:
    """Frame indices to seconds, as ``librosa.frames_to_time``.

    Returns
    -------
    times : float64, shape of ``frames``
        ``(frames * hop_length + n_fft // 2) / sr``.
    """
    return samples_to_time(frames_to_samples(frames, hop_length=hop_length, n_fft=n_fft), sr=sr)


def time_to_frames(times: npt.ArrayLike, *, sr: float = 22050, hop_length: int = 512, n_fft: int | None = None) -> Any:
    """Seconds to frame indices, as ``librosa.time_to_frames`` (via truncated sample indices)."""
    return samples_to_frames(time_to_samples(times, sr=sr), hop_length=hop_length, n_fft=n_fft)


def _count(X: Any, axis: int) -> int:
    if np.isscalar(X):
        if not V.is_int(X) or int(X) < 0:  # type: ignore[arg-type]
            raise ParameterError(f"X={X!r} must be an array or a non-negative number of frames")
        return int(X)  # type: ignore[arg-type]
    shape = np.shape(X)
    if not V.is_int(axis) or not -len(shape) <= axis < len(shape):
        raise ParameterError(f"axis={axis!r} is out of range for X with shape={shape}")
    return int(shape[axis])


def samples_like(
    X: npt.ArrayLike | int, *, hop_length: int = 512, n_fft: int | None = None, axis: int = -1
) -> npt.NDArray[np.int64]:
    """Sample index of each frame of ``X``, as ``librosa.samples_like``.

    Parameters
    ----------
    X : np.ndarray or int
        A feature matrix (frames along ``axis``) or a number of frames.

    Returns
    -------
    samples : np.ndarray, shape (X.shape[axis],), int64
    """
    hop = _hop(hop_length)
    out: npt.NDArray[np.int64] = frames_to_samples(np.arange(_count(X, axis)), hop_length=hop, n_fft=n_fft)
    return out


def times_like(
    X: npt.ArrayLike | int, *, sr: float = 22050, hop_length: int = 512, n_fft: int | None = None, axis: int = -1
) -> npt.NDArray[np.float64]:
    """Time in seconds of each frame of ``X``, as ``librosa.times_like``.

    Returns
    -------
    times : np.ndarray, shape (X.shape[axis],), float64
    """
    out: npt.NDArray[np.float64] = samples_to_time(
        samples_like(X, hop_length=hop_length, n_fft=n_fft, axis=axis), sr=sr
    )
    return out
