"""Scalar parameters: integers, real numbers, flags, choices, axes, and the size bounds that turn
absurd requests into errors instead of giant allocations.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import ParameterError

# Upper bounds that turn absurd requests into errors instead of giant allocations.
MAX_N_FFT = 1 << 24
MAX_HOP = 1 << 40
MAX_OUTPUT_BYTES = 1 << 40

PAD_MODES = ("constant", "reflect", "edge", "symmetric")


def is_int(value: object) -> bool:
    """True for Python or numpy integers, but not for booleans."""
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


def is_real_number(value: object) -> bool:
    return isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_))


def positive_int(name: str, value: Any, maximum: int | None = None) -> int:
    if not is_int(value) or value < 1:
        raise ParameterError(f"{name}={value!r} must be a positive integer")
    if maximum is not None and value > maximum:
        raise ParameterError(f"{name}={value!r} is too large (at most {maximum})")
    return int(value)


def non_negative_int(name: str, value: Any) -> int:
    if not is_int(value) or value < 0:
        raise ParameterError(f"{name}={value!r} must be a non-negative integer")
    return int(value)


def uncentred_fits(n_fft: int, center: bool, n: int) -> None:
    """An uncentred frame needs the whole window inside the signal (librosa raises too)."""
    if not center and n < n_fft:
        raise ParameterError(f"n_fft={n_fft} is too large for uncentered analysis of a signal of length {n}")


def real_number(
    name: str, value: Any, *, minimum: float | None = None, strict: bool = False, allow_inf: bool = False
) -> float:
    """A finite real number (or +inf when allow_inf), optionally bounded below."""
    if not is_real_number(value):
        raise ParameterError(f"{name}={value!r} must be a real number")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ParameterError(f"{name}={value!r} must be finite")
    if minimum is not None and (v < minimum or (strict and v == minimum)):
        op = ">" if strict else ">="
        raise ParameterError(f"{name}={value!r} must be {op} {minimum}")
    return v


def boolean(name: str, value: object) -> bool:
    """A flag: True/False (Python or numpy), or an integer 0 or 1 of any integer type (librosa's
    golden files store ``htk`` as numpy.uint8). Strings, floats and anything else are refused."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if is_int(value) and value in (0, 1):
        return bool(value)
    raise ParameterError(f"{name}={value!r} must be True or False (or the integer 0 or 1)")


def db_reference(ref: Any, value: Any) -> float | npt.NDArray[Any]:
    """What a ``ref`` callable returned: a real scalar (as a float, sign dropped as librosa's
    ``np.abs``) or a real array (returned as |array|, broadcast by the caller as librosa does)."""
    arr = np.asarray(value) if not isinstance(value, (str, bytes)) else None
    if arr is None or arr.dtype.kind not in "fiub":
        raise ParameterError(
            f"ref={ref!r} returned {type(value).__name__}"
            f"{'' if arr is None else ' of dtype=' + str(arr.dtype)}; it must return a real number "
            "or array"
        )
    if arr.ndim == 0:
        return abs(float(arr))
    mag: npt.NDArray[Any] = np.abs(arr)
    return mag


def db_reference_broadcasts(ref_shape: tuple[int, ...], shape: tuple[int, ...]) -> None:
    try:
        np.broadcast_shapes(ref_shape, shape)
    except ValueError:
        raise ParameterError(
            f"ref returned an array of shape {ref_shape}, which does not broadcast against S of shape {shape}"
        ) from None


def non_empty(name: str, x: npt.NDArray[Any]) -> None:
    if x.shape[-1] == 0:
        raise ParameterError(f"{name} is empty (shape={x.shape})")


def choice(name: str, value: object, options: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in options:
        raise ParameterError(f"{name}={value!r} is not supported; expected one of {', '.join(map(repr, options))}")
    return value


def integer(name: str, value: Any) -> int:
    if not is_int(value):
        raise ParameterError(f"{name}={value!r} must be an integer")
    return int(value)


def axis(value: Any, ndim: int) -> int:
    if not is_int(value) or not -ndim <= value < ndim:
        raise ParameterError(f"axis={value!r} is out of range for an array of ndim={ndim}")
    return int(value)


def min_ndim(name: str, x: npt.NDArray[Any], ndim: int) -> None:
    if x.ndim < ndim:
        raise ParameterError(f"{name} must have at least one dimension, got shape={x.shape}")


def frame_fits(frame_length: int, n: int, axis: int) -> None:
    if n < frame_length:
        raise ParameterError(f"frame_length={frame_length} exceeds input length x.shape[{axis}]={n}")


def pad_fits(size: int, n: int, axis: int) -> None:
    if size < n:
        raise ParameterError(f"size={size} must be at least the input size data.shape[{axis}]={n}")
