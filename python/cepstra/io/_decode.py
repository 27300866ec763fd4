"""Decoding: libsndfile (through soundfile) first, PyAV for what libsndfile cannot read.

Every decoder returns librosa's layout, ``(n,)`` for one channel and ``(channels, n)``
otherwise, in the requested float dtype, already cut to ``[offset, offset + duration)`` with
librosa's rounding (``int(offset * sr)``, ``int(duration * sr)`` samples).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import AudioError
from . import _deps

_Array = npt.NDArray[Any]
PathLike = str | os.PathLike[str]


def format_name(path: PathLike) -> str:
    ext = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
    return ext or "unknown (no extension)"


def check_exists(path: PathLike) -> str:
    p = os.fspath(path)
    if not os.path.exists(p):
        raise FileNotFoundError(f"audio file not found: {p!r}")
    if os.path.isdir(p):
        raise IsADirectoryError(f"expected an audio file, got a directory: {p!r}")
    return p


def _no_decoder(path: str, exc: Exception) -> AudioError:
    fmt = format_name(path)
    return AudioError(
        f"cannot decode {path!r} (format: {fmt}): libsndfile says {exc}. If the file is intact, "
        f"this format needs PyAV: pip install av",
        path=path,
        format=fmt,
    )


def is_libsndfile_error(exc: BaseException) -> bool:
    sf = _deps.soundfile()
    return isinstance(exc, sf.SoundFileRuntimeError) or (
        isinstance(exc, RuntimeError) and type(exc).__module__.startswith("soundfile")
    )


def info(path: PathLike) -> tuple[int, int, int, str]:
    """``(samplerate, channels, frames, format)`` without decoding the samples."""
    p = check_exists(path)
    sf = _deps.soundfile()
    try:
        i = sf.info(p)
        return int(i.samplerate), int(i.channels), int(i.frames), str(i.format)
    except Exception as exc:
        if not is_libsndfile_error(exc):
            raise
        av = _deps.pyav()
        if av is None:
            raise _no_decoder(p, exc) from exc
        return _av_info(av, p)


def _open(p: str) -> tuple[Any, Any]:
    """``(soundfile.SoundFile, None)``, or ``(None, av)`` when libsndfile cannot read the file
    and PyAV is installed; neither: an AudioError naming the file, the format and what to install."""
    sf = _deps.soundfile()
    try:
        return sf.SoundFile(p), None
    except Exception as exc:
        if not is_libsndfile_error(exc):
            raise
        av = _deps.pyav()
        if av is None:
            raise _no_decoder(p, exc) from exc
        return None, av


def read(path: PathLike, offset: float, duration: float | None, dtype: npt.DTypeLike) -> tuple[_Array, int]:
    """The samples of ``path`` in librosa's layout, and the native sample rate."""
    p = check_exists(path)
    f, av = _open(p)
    if f is None:
        return _av_read(av, p, offset, duration, dtype)
    with f:
        sr = int(f.samplerate)
        start = int(offset * sr) if offset else 0
        if f.seekable() and f.frames >= 0 and start > f.frames:
            # librosa fails here (and falls back to audioread); an empty signal is the answer.
            return _empty(f.channels, dtype), sr
        n = int(duration * sr) if duration is not None else -1
        try:
            if start:
                f.seek(start)
            y = f.read(frames=n, dtype=dtype, always_2d=False).T
        except Exception as exc:
            if not is_libsndfile_error(exc):
                raise
            raise AudioError(
                f"{p!r} is corrupt or truncated (format: {format_name(p)}): {exc}", path=p, format=format_name(p)
            ) from exc
    return y, sr


def blocks(
    path: PathLike, block_frames: int, dtype: npt.DTypeLike, offset: float = 0.0, duration: float | None = None
) -> tuple[int, int, Iterator[_Array]]:
    """``(samplerate, channels, iterator)`` over consecutive blocks, each ``(n,)`` or ``(ch, n)``.

    The file is read ``block_frames`` at a time: memory stays bounded for any file length.
    """
    p = check_exists(path)
    f, av = _open(p)
    if f is None:
        y, sr = _av_read(av, p, offset, duration, dtype)
        ch = 1 if y.ndim == 1 else y.shape[0]

        def whole() -> Iterator[_Array]:
            for i in range(0, y.shape[-1], block_frames):
                yield y[..., i : i + block_frames]

        return sr, ch, whole()
    sr = int(f.samplerate)
    ch = int(f.channels)
    start = int(offset * sr) if offset else 0
    remaining = int(duration * sr) if duration is not None else -1

    def gen() -> Iterator[_Array]:
        nonlocal remaining
        with f:
            try:
                if start:
                    if f.frames >= 0 and start > f.frames:
                        return
                    f.seek(start)
                while remaining != 0:
                    want = block_frames if remaining < 0 else min(block_frames, remaining)
                    b = f.read(frames=want, dtype=dtype, always_2d=False)
                    if b.shape[0] == 0:
                        return
                    if remaining > 0:
                        remaining -= b.shape[0]
                    yield b.T
            except Exception as exc:
                if not is_libsndfile_error(exc):
                    raise
                raise AudioError(
                    f"{p!r} is corrupt or truncated (format: {format_name(p)}): {exc}", path=p, format=format_name(p)
                ) from exc

    return sr, ch, gen()


def _empty(channels: int, dtype: npt.DTypeLike) -> _Array:
    return np.zeros((0,) if channels == 1 else (channels, 0), dtype=dtype)


def _av_error(path: str, exc: BaseException) -> AudioError:
    return AudioError(
        f"cannot decode {path!r} (format: {format_name(path)}) with PyAV: {type(exc).__name__}: {exc}",
        path=path,
        format=format_name(path),
    )


def _av_rate(stream: Any) -> int:
    sr = int(stream.codec_context.sample_rate or 0)
    if sr <= 0:
        raise ValueError(f"no valid sample rate ({sr})")
    return sr


def _av_info(av: Any, path: str) -> tuple[int, int, int, str]:
    # FFmpeg probes anything (noise can pass as some raw format): every failure is this file's.
    try:
        with av.open(path) as c:
            s = c.streams.audio[0]
            sr = _av_rate(s)
            frames = round(float(s.duration * s.time_base) * sr) if s.duration and s.time_base else -1
            return sr, int(s.codec_context.channels), frames, str(c.format.name)
    except Exception as exc:
        raise _av_error(path, exc) from exc


def _as_float(a: _Array) -> _Array:
    if a.dtype.kind == "i":
        return a / float(2 ** (8 * a.itemsize - 1))
    if a.dtype.kind == "u":
        return (a.astype(np.float64) - 128.0) / 128.0
    return a.astype(np.float64, copy=False)


def _av_read(av: Any, path: str, offset: float, duration: float | None, dtype: npt.DTypeLike) -> tuple[_Array, int]:
    try:
        with av.open(path) as c:
            stream = c.streams.audio[0]
            sr = _av_rate(stream)
            parts = [_as_float(frame.to_ndarray()) for frame in c.decode(stream)]
    except Exception as exc:
        raise _av_error(path, exc) from exc
    if not parts:
        return _empty(1, dtype), sr
    fmt_planar = parts[0].ndim == 2 and parts[0].shape[0] > 1
    # PyAV gives (channels, n) for planar formats and (1, n * channels) interleaved otherwise.
    ch = int(stream.codec_context.channels)
    if fmt_planar:
        y = np.concatenate(parts, axis=1)
    else:
        y = np.concatenate([p.reshape(-1) for p in parts]).reshape(-1, ch).T
    start = int(offset * sr) if offset else 0
    stop = start + int(duration * sr) if duration is not None else None
    y = y[:, start:stop]
    out = np.ascontiguousarray(y, dtype=dtype)
    return (out[0] if ch == 1 else out), sr
