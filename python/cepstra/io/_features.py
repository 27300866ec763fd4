"""Features of a file of any length with bounded memory: decode, downmix, resample and frame
one block at a time.

The blocks go through the same steps as :func:`cepstra.load` (libsndfile decode to float,
``np.mean`` over channels, soxr) but incrementally: ``soxr.ResampleStream`` gives the same
samples as the one-shot ``soxr.resample`` that librosa calls, and :class:`cepstra.Stream` the
same frames as the extractor on the whole signal. Peak memory is the output plus a few blocks,
not the decoded signal.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..exceptions import ParameterError
from . import _decode, _deps
from ._load import _check_res_type, _float_dtype, _rate, to_mono

if TYPE_CHECKING:
    from ..streaming import Streamable

_Array = npt.NDArray[Any]

__all__ = ["feature_blocks", "file_features", "resampled_blocks"]


def resampled_blocks(
    path: str | os.PathLike[str],
    *,
    sr: float | None,
    res_type: str = "soxr_hq",
    dtype: npt.DTypeLike = np.float32,
    block_seconds: float = 10.0,
) -> tuple[float, Iterator[_Array]]:
    """``(rate, blocks)``: the mono signal ``cepstra.load(path, sr=sr)`` returns, in 1-D blocks.

    Concatenated, the blocks equal ``load(path, sr=sr, dtype=dtype, res_type=res_type)[0]``.
    """
    dt = _float_dtype(dtype)
    _check_res_type(res_type)
    if sr is not None:
        sr = _rate("sr", sr)
    native, _, _, _ = _decode.info(path)
    block = max(1, int(block_seconds * native))
    native_sr, _, raw = _decode.blocks(path, block, dt)
    if sr is None or float(sr) == float(native_sr):
        return float(native_sr), (to_mono(b) for b in raw)
    return float(sr), _resample_stream(raw, float(native_sr), float(sr), res_type, dt)


def _resample_stream(
    raw: Iterator[_Array], orig: float, target: float, res_type: str, dtype: np.dtype[Any]
) -> Iterator[_Array]:
    soxr = _deps.soxr()
    rs = soxr.ResampleStream(orig, target, 1, dtype=dtype.name, quality=res_type)
    n_in = 0
    n_out = 0
    pending = next(raw, None)
    while pending is not None:
        nxt = next(raw, None)
        x = np.ascontiguousarray(to_mono(pending), dtype=dtype)
        n_in += x.shape[0]
        out = rs.resample_chunk(x, last=nxt is None)
        n_out += out.shape[0]
        pending = nxt
        yield _trim(out, n_in, n_out, target / orig, nxt is None)
    if n_in == 0:
        return


def _trim(out: _Array, n_in: int, n_out: int, ratio: float, last: bool) -> _Array:
    # librosa fixes the length to ceil(n * ratio): trim what soxr gives beyond it, zero-pad the end.
    if not last:
        return out
    want = int(np.ceil(n_in * ratio))
    before = n_out - out.shape[0]
    if n_out > want:
        return out[: max(0, want - before)]
    if n_out < want:
        return np.concatenate([out, np.zeros(want - n_out, dtype=out.dtype)])
    return out


def feature_blocks(
    path: str | os.PathLike[str],
    extractor: Streamable,
    *,
    sr: float | None = 22050,
    res_type: str = "soxr_hq",
    dtype: npt.DTypeLike = np.float32,
    block_seconds: float = 10.0,
) -> Iterator[_Array]:
    """The frames of ``extractor`` on the file, block by block (concatenated: :func:`file_features`)."""
    if not (isinstance(block_seconds, (int, float)) and math.isfinite(block_seconds) and block_seconds > 0):
        raise ParameterError(f"block_seconds={block_seconds!r} must be a positive number of seconds")
    from .. import (
        Stream,  # the public class; imported late because cepstra imports this package
    )

    _, blocks = resampled_blocks(path, sr=sr, res_type=res_type, dtype=dtype, block_seconds=block_seconds)
    stream = Stream(extractor)
    for b in blocks:
        if b.shape[0]:
            yield stream.push(b)
    yield stream.flush()


def file_features(
    path: str | os.PathLike[str],
    extractor: Streamable,
    *,
    sr: float | None = 22050,
    res_type: str = "soxr_hq",
    dtype: npt.DTypeLike = np.float32,
    block_seconds: float = 10.0,
    transform: Callable[[_Array], _Array] | None = None,
) -> _Array:
    """``extractor(cepstra.load(path, sr=sr)[0])`` for a file of any length, in bounded memory.

    Parameters
    ----------
    path : str or os.PathLike
    extractor : a streamable extractor (cepstra.STFT, MelSpectrogram, MFCC(top_db=None),
        kaldi.Fbank, kaldi.Mfcc) built for the rate ``sr``
    sr : float or None
        Target rate (None: the file's).
    block_seconds : float
        Decoded per step; memory is about three blocks plus the output.
    transform : callable or None
        Applied to each block of frames before it is stored (it must keep the frame count):
        a per-frame post-processing step that never needs the whole intermediate array.

    Returns
    -------
    np.ndarray: the extractor's output for the whole (mono) signal.
    """
    native, _, frames, _ = _decode.info(path)
    rate = float(native) if sr is None else _rate("sr", sr)
    axis = -1 if getattr(extractor._stream_spec(), "time_axis", -1) == -1 else 0
    out: _Array | None = None
    total = _expected_frames(extractor, frames, native, rate)
    parts: list[_Array] = []
    at = 0
    for block in feature_blocks(path, extractor, sr=sr, res_type=res_type, dtype=dtype, block_seconds=block_seconds):
        out, at = _place(block if transform is None else transform(block), out, parts, total, at, axis)
    if out is not None and at == total:
        return out
    # The header's frame count was wrong (some MP3/Ogg files): fall back to joining the parts.
    if out is not None:
        parts.insert(0, np.take(out, np.arange(at), axis=axis))
    return np.concatenate(parts, axis=axis)


def _expected_frames(extractor: Any, frames: int, native: int, rate: float) -> int | None:
    n_frames = getattr(extractor, "n_frames", None)
    if frames <= 0 or n_frames is None:
        return None
    n = frames if float(rate) == float(native) else int(np.ceil(frames * (rate / native)))
    try:
        return int(n_frames(n))
    except (ValueError, TypeError):
        return None


def _place(
    part: _Array, out: _Array | None, parts: list[_Array], total: int | None, at: int, axis: int
) -> tuple[_Array | None, int]:
    # Frames go straight into one preallocated output, so the peak is the output, not twice it.
    k = part.shape[axis]
    if total is None or parts or (out is not None and at + k > total):
        parts.append(part)
        return out, at
    if out is None:
        shape = list(part.shape)
        shape[axis] = total
        out = np.empty(shape, dtype=part.dtype)
    idx: list[slice] = [slice(None)] * out.ndim
    idx[axis] = slice(at, at + k)
    out[tuple(idx)] = part
    return out, at + k
