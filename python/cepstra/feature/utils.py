"""Delta features by local polynomial (Savitzky-Golay) differentiation.

A numpy-only re-implementation of what ``librosa.feature.delta`` computes via
``scipy.signal.savgol_filter``: every output sample is the ``order``-th derivative,
at the window centre, of the least-squares polynomial fitted to the ``width``
samples around it. Near the edges the window is completed according to ``mode``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from .._validation import is_int as _is_int
from ..exceptions import ParameterError

__all__ = ["delta", "stack_memory"]

_MODES = ("interp", "mirror", "nearest", "constant", "wrap")

# scipy.ndimage boundary names -> the np.pad mode that extends the signal the same way
# (ndimage "mirror" reflects about the edge sample without repeating it, which is
# np.pad's "reflect").
_PAD_MODES: dict[str, Literal["reflect", "edge", "constant", "wrap"]] = {
    "mirror": "reflect",
    "nearest": "edge",
    "constant": "constant",
    "wrap": "wrap",
}


def _derivative_weights(
    width: int, polyorder: int, deriv: int, delta: float, positions: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Linear weights giving the fitted polynomial's derivative at given positions.

    Parameters
    ----------
    width : int
        Window length; samples sit at offsets ``u = -h..h`` (``h = width // 2``).
    polyorder : int
        Degree of the least-squares polynomial.
    deriv : int
        Derivative order.
    delta : float
        Sample spacing.
    positions : np.ndarray, shape (m,), float64
        Offsets (same units as ``u``) at which the derivative is evaluated.

    Returns
    -------
    weights : np.ndarray, shape (m, width), float64
        ``weights @ window`` is the derivative at each position.
    """
    half = width // 2
    # Centred abscissae scaled into [-1, 1] keep the Vandermonde matrix well
    # conditioned even for high `polyorder`; the scale is undone by the chain rule.
    s = np.arange(-half, half + 1, dtype=np.float64) / half
    powers = np.arange(polyorder + 1)
    vander = s[:, None] ** powers  # (width, polyorder+1)
    coef_map = np.linalg.pinv(vander)  # (polyorder+1, width): window -> ascending coeffs in s

    # d^deriv/ds^deriv of s**j is j!/(j-deriv)! * s**(j-deriv); terms with j < deriv vanish,
    # so deriv > polyorder yields all-zero weights, as in scipy.
    s0 = positions / half
    deriv_basis = np.zeros((positions.size, polyorder + 1), dtype=np.float64)
    for j in range(deriv, polyorder + 1):
        falling = math.factorial(j) / math.factorial(j - deriv)
        deriv_basis[:, j] = falling * s0 ** (j - deriv)

    # ds/du = 1/half and du/dt = 1/delta for the physical sample spacing.
    return (deriv_basis @ coef_map) / ((half * delta) ** deriv)


def _axis_slice(ndim: int, axis: int, start: int, stop: int) -> tuple[slice, ...]:
    index = [slice(None)] * ndim
    index[axis] = slice(start, stop)
    return tuple(index)


def _correlate_valid(
    x: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], axis: int
) -> npt.NDArray[np.float64]:
    """``sum_k weights[k] * x[k : k + m]`` along ``axis``, with ``m = n - len(weights) + 1``.

    Parameters
    ----------
    x : np.ndarray, shape (..., n, ...), float64
    weights : np.ndarray, shape (width,), float64
    axis : int, non-negative

    Returns
    -------
    y : np.ndarray, shape (..., m, ...), float64
    """
    # A strided window view contracted by matmul runs in compiled code over all
    # frames at once, several times faster than a Python loop over the taps.
    return sliding_window_view(x, weights.size, axis=axis) @ weights


def delta(
    data: npt.ArrayLike, *, width: int = 9, order: int = 1, axis: int = -1, mode: str = "interp", **kwargs: Any
) -> npt.NDArray[np.floating[Any]]:
    r"""Delta features: local estimate of the derivative of ``data`` along ``axis``.

    Equivalent to ``librosa.feature.delta`` (i.e. a Savitzky-Golay filter with
    ``window_length=width``, ``polyorder=order`` and ``deriv=order``).

    Parameters
    ----------
    data : array_like, shape (..., n, ...)
        Real input, e.g. an MFCC matrix of shape ``(n_mfcc, n_frames)``;
        ``n = data.shape[axis]``.
    width : int, odd, >= 3
        Number of frames in the local fit. For ``mode="interp"`` it must not
        exceed ``n``.
    order : int >= 1
        Derivative order (1 = delta, 2 = delta-delta, ...); also the default
        degree of the fitted polynomial.
    axis : int
        Axis along which to differentiate.
    mode : {"interp", "mirror", "nearest", "constant", "wrap"}
        Edge handling, with ``scipy.signal.savgol_filter`` meanings:

        - ``"interp"``: fit one polynomial to the first (last) ``width`` samples
          and take its derivative at each of the first (last) ``width // 2``
          positions;
        - ``"mirror"``: reflect about the edge sample (``c b | a b c``);
        - ``"nearest"``: repeat the edge sample;
        - ``"constant"``: extend with ``cval``;
        - ``"wrap"``: periodic extension.
    **kwargs
        ``polyorder`` (int, default ``order``; must be ``< width``), ``delta``
        (float sample spacing, default 1.0), ``cval`` (float, default 0.0; only
        used by ``mode="constant"``).

    Returns
    -------
    delta_data : np.ndarray, shape data.shape
        float32 for float32 input, float64 otherwise (float16, integer and bool
        input are promoted), as scipy does. Computed in float64 throughout.

    Raises
    ------
    ParameterError
        For an invalid ``width``, ``order``, ``polyorder``, ``delta``, ``mode``,
        ``axis``, or ``width > n`` with ``mode="interp"``.
    TypeError
        If ``data`` is not real numeric (complex, string, object), or for an
        unknown keyword argument.
    """
    # librosa lets a caller override the fit degree; any explicit `deriv` is
    # ignored because the derivative order is `order` by definition.
    kwargs.pop("deriv", None)
    polyorder = kwargs.pop("polyorder", order)
    delta_x = kwargs.pop("delta", 1.0)
    cval = kwargs.pop("cval", 0.0)
    if kwargs:
        raise TypeError(f"delta() got unexpected keyword argument(s) {sorted(kwargs)}")

    data = np.asarray(data)
    if data.dtype.kind not in "biuf":
        raise TypeError(f"data must be a real numeric array, got data.dtype={data.dtype}")
    out_dtype = np.float32 if data.dtype == np.float32 else np.float64

    if not _is_int(width) or width < 3 or width % 2 != 1:
        raise ParameterError(f"width={width!r} must be an odd integer >= 3")
    if not _is_int(order) or order < 1:
        raise ParameterError(f"order={order!r} must be a positive integer")
    if not _is_int(polyorder) or polyorder < 0:
        raise ParameterError(f"polyorder={polyorder!r} must be a non-negative integer")
    if polyorder >= width:
        raise ParameterError(f"polyorder={polyorder} must be less than width={width}")
    if mode not in _MODES:
        raise ParameterError(f"mode={mode!r} must be one of {_MODES}")
    if isinstance(delta_x, (bool, np.bool_)) or not isinstance(delta_x, (numbers.Real, np.integer, np.floating)):
        raise ParameterError(f"delta={delta_x!r} must be a real number")
    if not np.isfinite(cast(float, delta_x)) or delta_x == 0:
        raise ParameterError(f"delta={delta_x!r} must be finite and non-zero")
    if isinstance(cval, (bool, np.bool_)) or not isinstance(cval, (numbers.Real, np.integer, np.floating)):
        raise ParameterError(f"cval={cval!r} must be a real number")
    if data.ndim == 0:
        raise ParameterError(f"data must have at least one dimension, got shape={data.shape}")
    if not _is_int(axis) or not -data.ndim <= axis < data.ndim:
        raise ParameterError(f"axis={axis!r} is out of range for data with ndim={data.ndim}")

    width = int(width)
    order = int(order)
    polyorder = int(polyorder)
    n = data.shape[axis]
    if mode == "interp" and width > n:
        raise ParameterError(f"when mode='interp', width={width} cannot exceed data.shape[{axis}]={n}")

    axis = int(axis) % data.ndim
    half = width // 2
    step = float(delta_x)
    centre = _derivative_weights(width, polyorder, order, step, np.zeros(1))[0]
    # Accumulate in float64 whatever the input precision, as scipy does.
    x = data.astype(np.float64, copy=False)

    if n == 0:
        out = np.zeros(data.shape, dtype=np.float64)
    elif mode == "interp":
        out = np.empty(data.shape, dtype=np.float64)
        out[_axis_slice(x.ndim, axis, half, n - half)] = _correlate_valid(x, centre, axis)
        # Edge outputs come from the single fit over the first / last `width`
        # samples, evaluated off-centre.
        left = _derivative_weights(width, polyorder, order, step, np.arange(-half, 0, dtype=np.float64))
        right = _derivative_weights(width, polyorder, order, step, np.arange(1, half + 1, dtype=np.float64))
        for weights, window, target in (
            (left, (0, width), (0, half)),
            (right, (n - width, n), (n - half, n)),
        ):
            edge = np.tensordot(weights, x[_axis_slice(x.ndim, axis, *window)], axes=(1, axis))
            out[_axis_slice(x.ndim, axis, *target)] = np.moveaxis(edge, 0, axis)
    else:
        pad = [(0, 0)] * x.ndim
        pad[axis] = (half, half)
        pad_kwargs: dict[str, Any] = {"constant_values": float(cval)} if mode == "constant" else {}
        out = _correlate_valid(np.pad(x, pad, mode=_PAD_MODES[mode], **pad_kwargs), centre, axis)

    # C-contiguous in the caller's layout, like scipy's output.
    return np.ascontiguousarray(out, dtype=out_dtype)


def stack_memory(data: npt.ArrayLike, *, n_steps: int = 2, delay: int = 1, **kwargs: Any) -> npt.NDArray[Any]:
    """Stack delayed copies of ``data`` (time on the last axis), as ``librosa.feature.stack_memory``.

    Block ``i`` (rows ``i*d .. (i+1)*d``) is ``data`` delayed by ``i * delay`` frames; the
    frames before the start (after the end, for a negative delay) come from ``np.pad``
    (``mode="constant"`` with zeros unless ``kwargs`` say otherwise).

    Parameters
    ----------
    data : np.ndarray, shape (..., d, t) (1-D input is treated as (1, t))
    n_steps : int > 0
    delay : int != 0
    **kwargs
        ``np.pad`` arguments (``mode``, ``constant_values``, ...).

    Returns
    -------
    data_history : np.ndarray, shape (..., d * n_steps, t), dtype of data
    """
    if not _is_int(n_steps) or n_steps < 1:
        raise ParameterError(f"n_steps={n_steps!r} must be a positive integer")
    if not _is_int(delay) or delay == 0:
        raise ParameterError(f"delay={delay!r} must be a non-zero integer")
    n_steps, delay = int(n_steps), int(delay)
    arr = np.atleast_2d(np.asarray(data))
    t = arr.shape[-1]
    if t < 1:
        raise ParameterError(f"Cannot stack memory when input data has no columns. Given data.shape={arr.shape}")
    kwargs.setdefault("mode", "constant")
    if kwargs["mode"] == "constant":
        kwargs.setdefault("constant_values", [0])
    padding = [(0, 0)] * arr.ndim
    padding[-1] = ((n_steps - 1) * delay, 0) if delay > 0 else (0, (n_steps - 1) * -delay)
    try:
        padded = np.pad(arr, padding, **kwargs)
    except (ValueError, TypeError) as e:
        raise ParameterError(f"stack_memory padding ({kwargs}): {e}") from None
    d = padded.shape[-2]
    history = np.empty_like(padded, shape=padded.shape[:-2] + (d * n_steps, t))
    for step in range(n_steps):
        q = n_steps - 1 - step
        if delay > 0:
            history[..., step * d : (step + 1) * d, :] = padded[..., q * delay : q * delay + t]
        elif q == 0:
            history[..., -d:, :] = padded[..., -t:]
        else:
            history[..., step * d : (step + 1) * d, :] = padded[..., -t + q * delay : q * delay]
    return history
