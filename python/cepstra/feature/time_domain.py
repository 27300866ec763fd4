"""Time-domain frame descriptors: ``rms`` and ``zero_crossing_rate`` (``librosa.feature``).

librosa 0.11's arithmetic and conventions:

- ``rms`` is float32 unless ``dtype`` says otherwise (its default ``dtype=np.float32`` applies to
  float64 input too), summed as numpy's pairwise float sum (bit for bit);
- ``rms(S=...)`` is Parseval's identity for an *unwindowed* frame (librosa ignores the window);
- ``zero_crossing_rate`` is float64, pads with edge copies (not zeros) when centred, and never
  counts a crossing at the first sample of a frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from ..exceptions import ParameterError
from . import _common as C
from . import _fast

_Array = npt.NDArray[Any]

__all__ = ["rms", "zero_crossing_rate"]


def _frames(name: str, y: _Array, frame_length: int, hop_length: int) -> _Array:
    n = y.shape[-1]
    if n < frame_length:
        raise ParameterError(f"{name} of length {n} is shorter than frame_length={frame_length}")
    from numpy.lib.stride_tricks import as_strided

    n_frames = 1 + (n - frame_length) // hop_length
    shape = y.shape[:-1] + (frame_length, n_frames)
    strides = y.strides[:-1] + (y.strides[-1], y.strides[-1] * hop_length)
    framed: _Array = as_strided(y, shape=shape, strides=strides, writeable=False)
    return framed


def _plain_signal(y: Any) -> bool:
    """A non-empty float32/float64 ndarray: what V.signal accepts as is, bar finiteness."""
    return isinstance(y, np.ndarray) and y.dtype in (np.float32, np.float64) and y.ndim >= 1 and y.size > 0


def _finite(x: _Array) -> bool:
    return x.size == 0 or bool(np.isfinite(x).all())


def rms(
    *,
    y: Any = None,
    S: npt.ArrayLike | None = None,
    frame_length: int = 2048,
    hop_length: int = 512,
    center: bool = True,
    pad_mode: str = "constant",
    dtype: npt.DTypeLike = np.float32,
) -> Any:
    """Root-mean-square energy per frame, as ``librosa.feature.rms``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), a list of such arrays, or None
        Audio. With ``center`` the signal is padded by ``frame_length // 2`` on each side
        (``np.pad`` mode ``pad_mode``).
    S : np.ndarray, shape (..., 1 + frame_length // 2, t), or None
        A magnitude spectrogram (real or complex): the RMS is then derived by Parseval's
        identity, with no window correction (as librosa).
    frame_length, hop_length : int > 0
    center : bool
    pad_mode : str
        Any ``np.pad`` mode.
    dtype : floating dtype
        Precision of the squares and of the result (librosa's default float32, even for
        float64 input).

    Returns
    -------
    rms : np.ndarray, shape (..., 1, t), dtype ``dtype``
    """
    kw = dict(frame_length=frame_length, hop_length=hop_length, center=center, pad_mode=pad_mode, dtype=dtype)
    if C.is_list(y):
        return C.map_list(rms, y, S=None, **kw)
    frame_length = V.positive_int("frame_length", frame_length, maximum=V.MAX_N_FFT)
    hop_length = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    center = V.boolean("center", center)
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise ParameterError(f"dtype={dtype!r} must be a floating-point dtype")
    if y is not None:
        if _plain_signal(y) and isinstance(pad_mode, str):
            # The kernel's output is the finiteness check: a NaN or infinite sample makes its
            # frames' RMS non-finite; samples past the last frame are checked apart. Only then
            # does V.signal run (it raises for such input; a finite input whose squares
            # overflow keeps librosa's inf).
            fast = _fast.rms(y, frame_length, hop_length, center, pad_mode, dt)
            if fast is not None:
                covered = (fast.shape[-1] - 1) * hop_length + frame_length - (frame_length // 2 if center else 0)
                if not (np.isfinite(fast).all() and _finite(y[..., covered:])):
                    V.signal("y", y)
                return fast
        y = V.signal("y", y)
        if not isinstance(pad_mode, str):
            raise ParameterError(f"pad_mode={pad_mode!r} must be a string")
        fast = _fast.rms(y, frame_length, hop_length, center, pad_mode, dt)
        if fast is not None:
            return fast
        if center:
            padding = [(0, 0)] * y.ndim
            padding[-1] = (frame_length // 2, frame_length // 2)
            try:
                y = np.pad(y, padding, mode=pad_mode)  # type: ignore[call-overload]
            except ValueError as e:
                raise ParameterError(f"pad_mode={pad_mode!r}: {e}") from None
        x = _frames("y", y, frame_length, hop_length)
        power = np.mean(np.square(x, dtype=dt), axis=-2, keepdims=True)
    elif S is not None:
        S = V.float_array("S", S, min_ndim=2, allow_complex=True)
        V.finite("S", S)
        if S.shape[-2] != frame_length // 2 + 1:
            raise ParameterError(
                f"S.shape[-2] is {S.shape[-2]}, so frame_length is expected to be "
                f"{S.shape[-2] * 2 - 2} or {S.shape[-2] * 2 - 1}; found {frame_length}"
            )
        if S.dtype.kind == "c":
            x = (S.real**2 + S.imag**2).astype(dt)
        else:
            x = np.square(S, dtype=dt)
        x[..., 0, :] *= 0.5
        if frame_length % 2 == 0:
            x[..., -1, :] *= 0.5
        power = 2 * np.sum(x, axis=-2, keepdims=True) / frame_length**2
    else:
        raise ParameterError("rms needs y or S (both are None)")
    out: _Array = np.sqrt(power)
    return out


def zero_crossing_rate(
    y: Any, *, frame_length: int = 2048, hop_length: int = 512, center: bool = True, **kwargs: Any
) -> Any:
    """Zero-crossing rate per frame, as ``librosa.feature.zero_crossing_rate``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), or a list of such arrays
        With ``center`` the signal is padded by ``frame_length // 2`` edge copies on each side.
    frame_length, hop_length : int > 0
    center : bool
    **kwargs
        As ``librosa.zero_crossings``: ``threshold`` (default 1e-10: ``|y| <= threshold``
        counts as 0), ``ref_magnitude`` (number or callable of ``|y|``, scales the
        threshold), ``zero_pos`` (True: 0 is positive), ``pad`` (default False: whether the
        first sample of each frame counts as a crossing). ``axis`` is ignored.

    Returns
    -------
    zcr : np.ndarray, shape (..., 1, t), float64
        The fraction of the frame's samples that are crossings.
    """
    if C.is_list(y):
        return [
            zero_crossing_rate(e, frame_length=frame_length, hop_length=hop_length, center=center, **kwargs) for e in y
        ]
    y = V.signal("y", y)
    frame_length = V.positive_int("frame_length", frame_length, maximum=V.MAX_N_FFT)
    hop_length = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    center = V.boolean("center", center)
    kwargs.pop("axis", None)
    threshold = kwargs.pop("threshold", 1e-10)
    ref_magnitude = kwargs.pop("ref_magnitude", None)
    pad = V.boolean("pad", kwargs.pop("pad", False))
    zero_pos = V.boolean("zero_pos", kwargs.pop("zero_pos", True))
    if kwargs:
        raise TypeError(f"zero_crossing_rate() got unexpected keyword argument(s) {sorted(kwargs)}")
    if threshold is None:
        threshold = 0.0
    threshold = V.real_number("threshold", threshold)
    if callable(ref_magnitude):
        threshold = threshold * float(ref_magnitude(np.abs(y)))
    elif ref_magnitude is not None:
        threshold = threshold * V.real_number("ref_magnitude", ref_magnitude)
    if threshold == 1e-10 and not pad and zero_pos:
        fast = _fast.zcr(y, frame_length, hop_length, center)
        if fast is not None:
            return fast
    if center:
        padding = [(0, 0)] * y.ndim
        padding[-1] = (frame_length // 2, frame_length // 2)
        y = np.pad(y, padding, mode="edge")
    x = _frames("y", y, frame_length, hop_length)
    # librosa's stencil compares each sample with its predecessor after clipping |x| <= threshold
    # to 0 (threshold in the signal's precision).
    thr = y.dtype.type(threshold)
    clipped = np.where((x >= -thr) & (x <= thr), 0, x)
    if zero_pos:
        s = np.signbit(clipped)
    else:
        s = np.sign(clipped)
    cross = s[..., 1:, :] != s[..., :-1, :]
    count = np.sum(cross, axis=-2, keepdims=True) + (1 if pad else 0)
    out: _Array = count / float(frame_length)
    return out
