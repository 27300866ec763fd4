"""Parameter and array checks shared by the public API.

Every check raises :class:`~cepstra.ParameterError` (or :class:`TypeError` for a value of
the wrong type) with a message naming the parameter and its value, *before* any large
allocation or any C++ call.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .exceptions import ParameterError

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


def real_number(name: str, value: Any, *, minimum: float | None = None, strict: bool = False,
                allow_inf: bool = False) -> float:
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
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name}={value!r} must be True or False")
    return bool(value)


def choice(name: str, value: object, options: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in options:
        raise ParameterError(f"{name}={value!r} is not supported; expected one of {', '.join(map(repr, options))}")
    return value


def float_array(name: str, x: Any, *, min_ndim: int = 1, allow_complex: bool = False) -> npt.NDArray[Any]:
    """Returns ``x`` as a float32/float64 (or complex) ndarray that C++ can read in place.

    No copy is made for an ordinary array; only a big-endian or unaligned buffer is copied
    (to native order) and float16 is widened to float32. Integer, bool, complex (unless
    allowed), object and string data raise TypeError; a 0-d or empty array ParameterError.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a numpy array of floats, not {type(x).__name__}")
    arr: npt.NDArray[Any] = np.asarray(x)
    kind = arr.dtype.kind
    if kind == "c" and allow_complex:
        pass
    elif kind != "f":
        raise TypeError(f"{name} must be a floating-point array, got dtype={arr.dtype}")
    if arr.dtype.itemsize > 16 or (kind == "f" and arr.dtype.itemsize not in (4, 8)):
        raise TypeError(f"{name} has unsupported dtype={arr.dtype} (use float32 or float64)")
    if arr.ndim < min_ndim:
        raise ParameterError(f"{name} must have at least {min_ndim} dimension(s), got shape={arr.shape}")
    if not arr.dtype.isnative or not arr.flags.aligned:
        arr = np.array(arr, dtype=np.dtype(arr.dtype.name), order="C")  # a copy: native order, aligned
    return arr


def finite(name: str, arr: npt.NDArray[Any]) -> None:
    """Rejects NaN and infinities without allocating a mask the size of the signal.

    Axes with stride 0 (``np.broadcast_to``) repeat one value: only their first element is
    read, so a huge broadcast signal costs nothing here (its size is refused later)."""
    if arr.size:
        view = arr[tuple(slice(0, 1) if s == 0 else slice(None) for s in arr.strides)]
        if view.ndim <= 2 and view.dtype in (np.float32, np.float64):
            from . import _core  # one SIMD pass in C++ (numpy's min + max read the data twice)

            ok = bool(_core.all_finite(view.reshape(1, -1) if view.ndim == 1 else view))
        else:
            ok = bool(np.isfinite(view.min()) and np.isfinite(view.max()))
        if not ok:
            raise ParameterError(f"{name} contains NaN or infinite values")


def signal(name: str, y: Any, *, min_length: int = 1) -> npt.NDArray[Any]:
    """An audio buffer (..., n): real floating point, non-empty, finite."""
    arr = float_array(name, y)
    n = arr.shape[-1]
    if n < min_length or arr.size == 0:
        raise ParameterError(f"{name} is empty (shape={arr.shape})")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got dtype={arr.dtype}")
    finite(name, arr)
    return arr


def output_size(name: str, value: object, *dims: int, itemsize: int) -> None:
    """Refuses an output larger than MAX_OUTPUT_BYTES, blaming parameter `name`."""
    total = itemsize
    for d in dims:
        total *= int(d)
    if total > MAX_OUTPUT_BYTES:
        raise ParameterError(f"{name}={value!r} would need an output of {total} bytes")
