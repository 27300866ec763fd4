"""librosa.load and friends, decoding through libsndfile and resampling through soxr.

Each step repeats librosa 0.11's arithmetic in the same order and dtype (soundfile decodes
straight to ``dtype``; ``np.mean`` over the channel axis; soxr per channel with librosa's
``res_type`` names; then zero-pad or trim to ``ceil(n * target / native)``), so the samples are
identical to ``librosa.load``'s, not merely close.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import AudioError, ParameterError
from . import _decode, _deps

_Array = npt.NDArray[Any]
PathLike = str | os.PathLike[str]

__all__ = ["RES_TYPES", "get_duration", "get_samplerate", "load", "resample", "stream", "to_mono"]

# librosa's soxr names (what soxr.resample's `quality` takes) and the integer-rate polyphase path.
RES_TYPES = ("soxr_vhq", "soxr_hq", "soxr_mq", "soxr_lq", "soxr_qq")


def _float_dtype(dtype: npt.DTypeLike) -> np.dtype[Any]:
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise ParameterError(f"dtype={dtype!r} is not a numpy dtype") from exc
    if dt not in (np.float32, np.float64):
        raise ParameterError(f"dtype={dtype!r} must be float32 or float64")
    return dt


def _seconds(name: str, value: float | None, allow_none: bool) -> float | None:
    if value is None:
        if allow_none:
            return None
        raise ParameterError(f"{name}=None must be a number of seconds")
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}={value!r} must be a number of seconds")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ParameterError(f"{name}={value!r} must be a finite number >= 0")
    return v


def _rate(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}={value!r} must be a sample rate in Hz")
    v = float(value)
    if not math.isfinite(v) or v <= 0:
        raise ParameterError(f"{name}={value!r} must be a positive sample rate")
    return v


def _check_res_type(res_type: str) -> str:
    if res_type not in RES_TYPES:
        raise ParameterError(f"res_type={res_type!r} is not supported; use one of {', '.join(RES_TYPES)}")
    return res_type


def _finite(y: _Array, path: str | None) -> None:
    if not np.isfinite(y).all():
        raise AudioError(
            f"{path!r} contains non-finite samples (NaN or inf)",
            path=path,
            format=_decode.format_name(path) if path else None,
        )


def to_mono(y: _Array) -> _Array:
    """librosa.to_mono: the mean over every axis but the last (same arithmetic, same dtype)."""
    if y.ndim > 1:
        return np.mean(y, axis=tuple(range(y.ndim - 1)))  # type: ignore[no-any-return]
    return y


def resample(y: _Array, *, orig_sr: float, target_sr: float, res_type: str = "soxr_hq") -> _Array:
    """librosa.resample for the soxr ``res_type`` values (``fix=True``, ``scale=False``).

    Parameters
    ----------
    y : np.ndarray, shape (..., n), float32 or float64
    orig_sr, target_sr : float
    res_type : {"soxr_vhq", "soxr_hq", "soxr_mq", "soxr_lq", "soxr_qq"}

    Returns
    -------
    np.ndarray, shape (..., ceil(n * target_sr / orig_sr)), the dtype of ``y``
    """
    _check_res_type(res_type)
    orig_sr, target_sr = _rate("orig_sr", orig_sr), _rate("target_sr", target_sr)
    if orig_sr == target_sr:
        return y
    soxr = _deps.soxr()
    ratio = float(target_sr) / orig_sr
    n_samples = int(np.ceil(y.shape[-1] * ratio))
    y_hat = np.apply_along_axis(soxr.resample, axis=-1, arr=y, in_rate=orig_sr, out_rate=target_sr, quality=res_type)
    have = y_hat.shape[-1]
    if have > n_samples:
        y_hat = y_hat[..., :n_samples]
    elif have < n_samples:
        pad = [(0, 0)] * (y_hat.ndim - 1) + [(0, n_samples - have)]
        y_hat = np.pad(y_hat, pad, mode="constant")
    return np.asarray(y_hat, dtype=y.dtype)


def load(
    path: PathLike,
    *,
    sr: float | None = 22050,
    mono: bool = True,
    offset: float = 0.0,
    duration: float | None = None,
    dtype: npt.DTypeLike = np.float32,
    res_type: str = "soxr_hq",
) -> tuple[_Array, float]:
    """Decode an audio file: the same samples and rate as ``librosa.load``.

    Parameters
    ----------
    path : str or os.PathLike
        Any format libsndfile reads (WAV 8/16/24/32-bit and float, FLAC, Ogg Vorbis/Opus, MP3,
        AIFF, ...); other formats (AAC/M4A, video containers) through PyAV when installed.
    sr : float or None
        Target rate (resampled with soxr); None keeps the file's rate.
    mono : bool
        Average the channels (librosa.to_mono).
    offset, duration : float
        Start reading ``int(offset * native_sr)`` samples in, for ``int(duration * native_sr)``
        samples (None: to the end). An offset past the end gives an empty signal.
    dtype : float32 or float64
    res_type : {"soxr_hq", "soxr_vhq", "soxr_mq", "soxr_lq", "soxr_qq"}

    Returns
    -------
    y : np.ndarray, shape (n,) (mono) or (channels, n), ``dtype``
    sr : int or float
        ``sr`` when given, else the file's native rate (int).

    Raises
    ------
    FileNotFoundError
        No such file.
    cepstra.AudioError
        Unsupported format without PyAV (the message names the file, the format and what to
        install), corrupt or truncated data, or non-finite samples.
    ImportError
        The extra ``cepstra[io]`` is not installed.
    """
    dt = _float_dtype(dtype)
    off = _seconds("offset", offset, allow_none=False)
    dur = _seconds("duration", duration, allow_none=True)
    if sr is not None:
        sr = _rate("sr", sr)
    _check_res_type(res_type)
    y, sr_native = _decode.read(path, off or 0.0, dur, dt)
    _finite(y, os.fspath(path))
    if mono:
        y = to_mono(y)
    if sr is None:
        return y, sr_native
    return resample(y, orig_sr=sr_native, target_sr=sr, res_type=res_type), _as_given(sr)


def _as_given(sr: float) -> float:
    # librosa returns the sr argument unchanged (int 22050 stays int).
    return int(sr) if float(sr).is_integer() else sr


def get_samplerate(path: PathLike) -> int:
    """The native sample rate of an audio file (librosa.get_samplerate)."""
    return _decode.info(path)[0]


def get_duration(
    *,
    y: _Array | None = None,
    sr: float = 22050,
    S: _Array | None = None,
    n_fft: int = 2048,
    hop_length: int = 512,
    center: bool = True,
    path: PathLike | None = None,
) -> float:
    """Duration in seconds of a file, a signal or a spectrogram (librosa.get_duration).

    Parameters
    ----------
    y : np.ndarray, shape (..., n), optional
    sr : float
    S : np.ndarray, shape (..., d, t), optional
        Duration of the signal that a (centred) STFT with ``n_fft``/``hop_length`` came from.
    path : str or os.PathLike, optional
        Read from the header: frames / native rate.

    Returns
    -------
    float
    """
    if path is not None:
        rate, _, frames, _ = _decode.info(path)
        return frames / rate
    if y is None:
        if S is None:
            raise ParameterError("At least one of (y, sr), S, or path must be provided")
        n_frames = np.asarray(S).shape[-1]
        n_samples = n_fft + hop_length * (n_frames - 1)
        if center:
            n_samples = n_samples - 2 * int(n_fft // 2)
    else:
        n_samples = np.asarray(y).shape[-1]
    return float(n_samples) / _rate("sr", sr)


def _positive_int(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ParameterError(f"{name}={value!r} must be a positive integer")
    return int(value)


def stream(
    path: PathLike,
    *,
    block_length: int,
    frame_length: int,
    hop_length: int,
    mono: bool = True,
    offset: float = 0.0,
    duration: float | None = None,
    fill_value: float | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> Iterator[_Array]:
    """Blocks of ``block_length`` frames, as librosa.stream yields them (native rate).

    Each block holds ``frame_length + (block_length - 1) * hop_length`` samples and overlaps
    the previous one by ``frame_length - hop_length``; the last may be shorter unless
    ``fill_value`` pads it.

    Yields
    ------
    np.ndarray, shape (n,) (mono) or (channels, n), ``dtype``
    """
    block_length = _positive_int("block_length", block_length)
    frame_length = _positive_int("frame_length", frame_length)
    hop_length = _positive_int("hop_length", hop_length)
    dt = _float_dtype(dtype)
    off = _seconds("offset", offset, allow_none=False)
    dur = _seconds("duration", duration, allow_none=True)
    p = _decode.check_exists(path)
    sf = _deps.soundfile()
    try:
        sfo = sf.SoundFile(p)
    except Exception as exc:
        if not _decode.is_libsndfile_error(exc):
            raise
        raise AudioError(
            f"cannot stream {p!r} (format: {_decode.format_name(p)}): libsndfile says {exc}",
            path=p,
            format=_decode.format_name(p),
        ) from exc
    return _blocks(sfo, block_length, frame_length, hop_length, mono, off or 0.0, dur, fill_value, dt)


def _blocks(
    sfo: Any,
    block_length: int,
    frame_length: int,
    hop_length: int,
    mono: bool,
    offset: float,
    duration: float | None,
    fill_value: float | None,
    dtype: np.dtype[Any],
) -> Iterator[_Array]:
    with sfo:
        sr = sfo.samplerate
        start = int(offset * sr) if offset else 0
        frames = int(duration * sr) if duration else -1  # librosa: duration=0 means "to the end"
        sfo.seek(start)
        for block in sfo.blocks(
            blocksize=frame_length + (block_length - 1) * hop_length,
            overlap=frame_length - hop_length,
            frames=frames,
            dtype=dtype,
            always_2d=False,
            fill_value=fill_value,
        ):
            yield to_mono(block.T) if mono else block.T
