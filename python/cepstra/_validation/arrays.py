"""Arrays: floating-point buffers, signals (finite, non-empty), spectrograms, output sizes."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import ParameterError
from .scalars import MAX_OUTPUT_BYTES


def spectrogram_values(name: str, S: Any, *, allow_complex: bool) -> npt.NDArray[Any]:
    """A spectrogram given as values (librosa's ``S=``): integer and boolean arrays are values,
    converted to float64 as librosa computes them; complex input where a real spectrogram is
    needed is librosa's ParameterError ("only defined with real-valued input"), not a type error."""
    arr = np.asarray(S) if not isinstance(S, (str, bytes)) else S
    if isinstance(arr, np.ndarray):
        if arr.dtype.kind == "c" and not allow_complex:
            raise ParameterError(
                f"{name} must be real-valued: the feature is only defined for real input (got dtype={arr.dtype})"
            )
        if arr.dtype.kind in "iub":
            arr = arr.astype(np.float64)
    return float_array(name, arr, min_ndim=2, allow_complex=allow_complex)


def float_array(name: str, x: Any, *, min_ndim: int = 1, allow_complex: bool = False) -> npt.NDArray[Any]:
    """Returns ``x`` as a float32/float64 (or complex) ndarray that C++ can read in place.

    No copy is made for an ordinary array; only a big-endian or unaligned buffer is copied
    (to native order) and float16 is widened to float32. Integer, bool, complex (unless
    allowed), object and string data raise TypeError; a 0-d or empty array ParameterError.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a numpy array of floats, not {type(x).__name__}")
    if (
        isinstance(x, (list, tuple))
        and any(isinstance(e, np.ndarray) for e in x)
        and not all(isinstance(e, np.ndarray) for e in x)
    ):
        raise TypeError(
            f"{name} mixes numpy arrays and other objects ("
            f"{', '.join(sorted({type(e).__name__ for e in x}))}); a batch of signals must be a list "
            "of numpy arrays"
        )
    try:
        arr: npt.NDArray[Any] = np.asarray(x)
    except ValueError as e:  # ragged nested lists
        raise ParameterError(f"{name} is not a rectangular array ({e})") from None
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
            from .._engine import core  # one SIMD pass in C++ (numpy min + max read the data twice)

            ok = bool(core.all_finite(view.reshape(1, -1) if view.ndim == 1 else view))
        else:
            ok = bool(np.isfinite(view.min()) and np.isfinite(view.max()))
        if not ok:
            raise ParameterError(f"{name} contains NaN or infinite values")


_NATIVE_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


@functools.cache
def _engine_core() -> Any:
    """The extension, imported on first use (the engine imports this module)."""
    from .._engine import core

    return core


def _plain_signal(name: str, y: Any, min_length: int) -> bool:
    """True for the common case, a C-contiguous native float32/float64 (n,) or (rows, n) array of
    at least ``min_length`` samples, once it is known finite (else ParameterError); False for
    anything else, which the full checks handle. A few microseconds, where the full checks took
    a tenth of a short clip's call."""
    if not (
        type(y) is np.ndarray
        and y.dtype in _NATIVE_FLOATS
        and y.ndim in (1, 2)
        and y.shape[-1] >= min_length
        and y.size
        and y.flags.c_contiguous
        and y.flags.aligned
    ):
        return False
    if not _engine_core().all_finite(y if y.ndim == 2 else y.reshape(1, -1)):
        raise ParameterError(f"{name} contains NaN or infinite values")
    return True


def signal(name: str, y: Any, *, min_length: int = 1) -> npt.NDArray[Any]:
    """An audio buffer (..., n): real floating point, non-empty, finite."""
    if _plain_signal(name, y, min_length):
        return y  # type: ignore[no-any-return]
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
