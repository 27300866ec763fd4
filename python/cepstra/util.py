"""Array utilities with ``librosa.util`` 0.11 semantics: framing, padding, ``tiny``."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from . import _validation as V

__all__ = ["frame", "pad_center", "fix_length", "tiny"]


def frame(
    x: npt.ArrayLike,
    *,
    frame_length: int,
    hop_length: int,
    axis: int = -1,
    writeable: bool = False,
    subok: bool = False,
) -> npt.NDArray[Any]:
    """Slice an array into overlapping frames, as a strided view (no copy).

    Parameters
    ----------
    x : array_like, shape (..., n, ...)
        Signal to frame; ``n = x.shape[axis]``. Any dtype.
    frame_length : int > 0
        Samples per frame.
    hop_length : int > 0
        Samples between the starts of consecutive frames.
    axis : int
        Axis of ``x`` to frame along.
    writeable : bool
        If False (default) the view is read-only, because its frames overlap and a
        write through one frame silently changes its neighbours. If True the view
        is writeable provided ``x`` is.
    subok : bool
        If True, ndarray subclasses are passed through.

    Returns
    -------
    x_frames : np.ndarray, dtype x.dtype
        A view of ``x`` with one more dimension, where
        ``n_frames = 1 + (n - frame_length) // hop_length``:

        - ``axis < 0``: the frame axis is inserted just before the frames axis,
          e.g. ``axis=-1`` gives shape ``(..., frame_length, n_frames)``;
        - ``axis >= 0``: the frame axis is inserted just after it, e.g.
          ``axis=0`` gives shape ``(n_frames, frame_length, ...)``.

        ``x_frames[..., j]`` (for ``axis=-1``) is ``x[..., j*hop_length : j*hop_length + frame_length]``.

    Raises
    ------
    ParameterError
        If ``frame_length`` or ``hop_length`` is not a positive integer, ``axis``
        is out of range, or ``x.shape[axis] < frame_length``.
    """
    writeable, subok = V.boolean("writeable", writeable), V.boolean("subok", subok)
    x = np.asanyarray(x) if subok else np.asarray(x)

    frame_length = V.positive_int("frame_length", frame_length)
    hop_length = V.positive_int("hop_length", hop_length)
    V.min_ndim("x", x, 1)
    axis = V.axis(axis, x.ndim)
    V.frame_fits(frame_length, x.shape[axis], axis)

    # sliding_window_view appends the window axis last; moving it next to the
    # framed axis (before it for negative axis, after it otherwise) gives
    # librosa's layout, and keeps `axis` pointing at the frames axis afterwards.
    xw = sliding_window_view(x, frame_length, axis=axis, subok=subok, writeable=writeable)
    target_axis = axis - 1 if axis < 0 else axis + 1
    xw = np.moveaxis(xw, -1, target_axis)

    slices = [slice(None)] * xw.ndim
    slices[axis] = slice(0, None, hop_length)
    return xw[tuple(slices)]


def pad_center(data: npt.ArrayLike, *, size: int, axis: int = -1, **kwargs: Any) -> npt.NDArray[Any]:
    """Pad an array symmetrically along ``axis`` to length ``size``.

    When ``size - n`` is odd the extra sample goes on the right.

    Parameters
    ----------
    data : np.ndarray, shape (..., n, ...)
        Array to pad; ``n = data.shape[axis]``.
    size : int >= n
        Target length along ``axis``.
    axis : int
        Axis to pad.
    **kwargs
        Passed to :func:`numpy.pad`; ``mode`` defaults to ``"constant"`` (zeros).

    Returns
    -------
    data_padded : np.ndarray, shape (..., size, ...), dtype data.dtype
        A new array (even when ``size == n``, as ``np.pad`` always copies).

    Raises
    ------
    ParameterError
        If ``size < n``, ``size`` is not an integer, or ``axis`` is out of range.
    """
    kwargs.setdefault("mode", "constant")
    data = np.asanyarray(data)
    size = V.integer("size", size)
    axis = V.axis(axis, data.ndim)

    n = data.shape[axis]
    V.pad_fits(size, n, axis)
    lpad = (size - n) // 2

    lengths = [(0, 0)] * data.ndim
    lengths[axis] = (int(lpad), int(size - n - lpad))
    return np.pad(data, lengths, **kwargs)


def fix_length(data: npt.ArrayLike, *, size: int, axis: int = -1, **kwargs: Any) -> npt.NDArray[Any]:
    """Trim or right-pad an array along ``axis`` to exactly ``size`` samples.

    Parameters
    ----------
    data : np.ndarray, shape (..., n, ...)
        Input array.
    size : int >= 0
        Target length along ``axis``.
    axis : int
        Axis to trim or pad.
    **kwargs
        Passed to :func:`numpy.pad` when padding; ``mode`` defaults to
        ``"constant"`` (zeros).

    Returns
    -------
    data_fixed : np.ndarray, shape (..., size, ...), dtype data.dtype
        As in librosa: a view of ``data`` when trimming, ``data`` itself when
        ``n == size``, and a new padded array otherwise.

    Raises
    ------
    ParameterError
        If ``size`` is not a non-negative integer or ``axis`` is out of range.
    """
    kwargs.setdefault("mode", "constant")
    data = np.asanyarray(data)
    size = V.non_negative_int("size", size)
    axis = V.axis(axis, data.ndim)

    n = data.shape[axis]
    if n > size:
        slices = [slice(None)] * data.ndim
        slices[axis] = slice(0, size)
        return data[tuple(slices)]
    if n < size:
        lengths = [(0, 0)] * data.ndim
        lengths[axis] = (0, int(size - n))
        return np.pad(data, lengths, **kwargs)
    return data


def tiny(x: Any) -> np.floating[Any]:
    """Smallest positive normal number representable in ``x``'s floating dtype.

    Useful as a floor before taking logs or dividing, at the precision the data
    will actually be computed in.

    Parameters
    ----------
    x : number or array_like
        Input whose dtype selects the precision. Real or complex floating input
        uses its own (component) precision; anything else (integers, bools,
        Python ints, objects, dtype classes) uses float32, as librosa does.

    Returns
    -------
    tiny_value : numpy floating scalar
        ``np.finfo(dtype).tiny``, e.g. ``1.1754944e-38`` (float32) or
        ``2.2250738585072014e-308`` (float64).
    """
    x = np.asarray(x)
    if np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.complexfloating):
        dtype = x.dtype
    else:
        dtype = np.dtype(np.float32)
    value: np.floating[Any] = np.finfo(dtype).tiny
    return value
