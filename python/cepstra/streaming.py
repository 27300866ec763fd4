"""Streaming: feed audio in chunks, get each frame as soon as it is final.

``Stream(extractor)`` wraps a reusable extractor (:class:`cepstra.STFT`,
:class:`cepstra.MelSpectrogram`, :class:`cepstra.MFCC` with ``top_db=None``, or the Kaldi
extractors). ``push(chunk)`` returns the frames that the samples so far fully determine and
``flush()`` the rest; concatenated along the time axis they are **bit-identical** to the
extractor's output on the whole signal, for any chunking (1 sample at a time included), because
every frame is computed by the same kernel from the same samples and the same padding.

A frame is emitted once no later sample can change it: its samples have all arrived and, for a
centred frame at the start, enough samples have arrived for its reflected padding. Frames that
touch the end of the signal (whose padding, and whose very existence, depend on the final
length) wait for ``flush()``. Memory stays O(n_fft): only samples that future frames read are kept.

The time axis of the returned blocks is the extractor's: -1 for the librosa-style extractors
(``(n_out, k)``), 0 for the time-major Kaldi ones (``(k, bins)``); ``Stream.time_axis`` says which,
so ``np.concatenate(parts, axis=stream.time_axis)`` works for all.

An extractor is streamable through ``extractor._stream_spec()``, an object with
``frames_ready(received)`` (frames final once ``received`` samples are in: a prefix),
``keep_from(next_frame, received)`` (first sample that frames >= next_frame may still read),
``n_frames(total)``, ``compute(segment, seg_start, total, f0, f1)`` (frames [f0, f1) from the
contiguous samples [seg_start, seg_start + len(segment))), ``empty(dtype)`` (zero frames) and,
optionally, ``time_axis`` (default -1).
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from . import _validation as V

__all__ = ["Stream"]

# Samples taken from a pushed chunk at a time (see Stream.push).
_PIECE = 1 << 20

_Array = npt.NDArray[Any]


class StreamSpec(Protocol):
    """The framing protocol above (``time_axis`` is optional, so not part of it)."""

    def frames_ready(self, received: int) -> int: ...
    def keep_from(self, next_frame: int, received: int) -> int: ...
    def n_frames(self, total: int) -> int: ...
    def compute(self, segment: _Array, seg_start: int, total: int, f0: int, f1: int) -> _Array: ...
    def empty(self, dtype: npt.DTypeLike) -> _Array: ...


class Streamable(Protocol):
    """An extractor that cepstra.Stream accepts."""

    def _stream_spec(self) -> StreamSpec: ...


class Stream:
    """Incremental feature extraction with results identical to the offline call.

    Parameters
    ----------
    extractor : STFT, MelSpectrogram, MFCC (``top_db=None``), kaldi.Fbank or kaldi.Mfcc
        Built once; its parameters fix the framing.

    Examples
    --------
    >>> stream = cepstra.Stream(cepstra.MelSpectrogram(sr=16000, n_fft=400, hop_length=160))
    >>> parts = [stream.push(chunk) for chunk in chunks] + [stream.flush()]
    >>> S = np.concatenate(parts, axis=stream.time_axis)  # == extractor(np.concatenate(chunks))

    Notes
    -----
    Thread safety: ``push`` and ``flush`` are serialized by a lock held for the whole call, so a
    stream shared between threads never interleaves two calls (each call's frames are complete
    and in order). The order of concurrent pushes is whichever thread gets the lock first; for
    a meaningful signal, push from one thread at a time.
    """

    def __init__(self, extractor: Streamable) -> None:
        spec = getattr(extractor, "_stream_spec", None)
        V.streamable(extractor, spec is not None)
        assert spec is not None
        self._spec: StreamSpec = spec()
        self._time_axis: int = getattr(self._spec, "time_axis", -1)
        self._buf: _Array | None = None  # samples [self._start, self._received)
        self._start = 0
        self._received = 0
        self._next = 0  # first frame not yet returned
        self._flushed = False
        self._lock = threading.Lock()

    @property
    def frames_emitted(self) -> int:
        """Frames returned so far."""
        return self._next

    @property
    def time_axis(self) -> int:
        """The frame (time) axis of the returned blocks: -1 (librosa-style) or 0 (Kaldi)."""
        return self._time_axis

    @property
    def samples_received(self) -> int:
        return self._received

    def push(self, chunk: npt.ArrayLike) -> _Array:
        """Add samples; return the frames they complete.

        Parameters
        ----------
        chunk : np.ndarray, shape (n,), float32 or float64 (int16 too for the Kaldi extractors,
            as their offline call accepts it: converted to float32 unscaled). The first
            non-empty chunk fixes the dtype.

        Returns
        -------
        np.ndarray
            The newly final frames, in the extractor's layout (``(n_out, k)`` for the
            librosa-style extractors, ``(k, bins)`` for Kaldi: k on axis ``time_axis``),
            possibly with k = 0.
        """
        with self._lock:
            V.stream_open("push() after flush(): start a new Stream", self._flushed)
            convert = getattr(self._spec, "chunk", None)
            arr = convert(chunk) if convert is not None else V.float_array("chunk", chunk)
            if arr.ndim == 1 and arr.shape[0] == 0:  # no samples: no frames, and no say in the dtype
                return self._spec.empty(self._buf.dtype if self._buf is not None else arr.dtype)
            chunk = V.stream_chunk("chunk", arr, None if self._buf is None else self._buf.dtype)
            if self._buf is None:
                self._buf = np.empty(0, dtype=chunk.dtype)
            # A long chunk goes in pieces: only a piece (plus the tail the stream keeps) is ever
            # copied, never the whole chunk (it may be a huge broadcast view).
            parts = [self._push_piece(chunk[i : i + _PIECE]) for i in range(0, chunk.shape[0], _PIECE)]
            return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=self._time_axis)

    def _push_piece(self, piece: _Array) -> _Array:
        assert self._buf is not None
        self._buf = np.concatenate([self._buf, piece])
        self._received += piece.shape[0]
        ready = self._spec.frames_ready(self._received)
        out = self._compute(self._received, ready)
        keep = min(self._spec.keep_from(self._next, self._received), self._received)
        if keep > self._start:
            self._buf = self._buf[keep - self._start :].copy()
            self._start = keep
        return out

    def flush(self) -> _Array:
        """Signal the end of the input; return the remaining frames (those at the end).

        Raises
        ------
        ParameterError
            If no sample was pushed, or the whole signal is too short for the extractor
            (as the offline call would).
        """
        with self._lock:
            V.stream_open("flush() was already called", self._flushed)
            V.stream_open("the stream received no samples", self._received == 0)
            self._flushed = True
            total = self._spec.n_frames(self._received)
            return self._compute(self._received, total)

    def _compute(self, total_length: int, f1: int) -> _Array:
        f0 = self._next
        dtype = self._buf.dtype if self._buf is not None else np.float32
        if f1 <= f0:
            return self._spec.empty(dtype)
        out = self._spec.compute(np.ascontiguousarray(self._buf), self._start, total_length, f0, f1)
        assert out.shape[self._time_axis] == f1 - f0
        self._next = f1
        return out
