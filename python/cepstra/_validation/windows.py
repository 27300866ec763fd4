"""Analysis windows (scipy names, callables, arrays), batch layouts and the ISA override."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import ParameterError


def scipy_window(window: str | tuple[Any, ...], n: int, periodic: bool) -> npt.NDArray[np.float64]:
    """A window scipy knows by name (or (name, params...)); refused clearly without scipy."""
    try:
        import scipy.signal
    except ImportError:  # pragma: no cover - depends on the environment
        raise ParameterError(
            f"window={window!r} needs scipy (pip install scipy); cepstra itself knows "
            "'hann', 'hamming', 'blackman' and 'boxcar'"
        ) from None
    try:
        return np.asarray(scipy.signal.get_window(window, n, fftbins=periodic), dtype=np.float64)
    except (ValueError, TypeError, IndexError, KeyError) as e:  # window=() is an IndexError in scipy
        raise ParameterError(f"window={window!r} is not a valid window specification: {e}") from None


def window_from_callable(window: Callable[[int], Any], n: int) -> npt.NDArray[np.float64]:
    """What a window callable returns for n, as float64 values (a clear error for anything else)."""
    w = window(n)
    arr = np.asarray(w) if not isinstance(w, (str, bytes)) else None
    if arr is None or arr.dtype.kind not in "fiub":
        raise ParameterError(
            f"window={window!r} returned {type(w).__name__}"
            f"{'' if arr is None else ' of dtype=' + str(arr.dtype)}; it must return {n} real values"
        )
    return arr.astype(np.float64)


def window_array(window: Any, n: int) -> npt.NDArray[np.float64]:
    """A window given as its values (a 1-D real array or list of length n)."""
    if not isinstance(window, (np.ndarray, list)):
        raise ParameterError(f"window={window!r} is not a valid window specification")
    w = np.asarray(window)
    if w.ndim != 1 or len(w) != n:
        raise ParameterError(f"window has length {w.shape[0] if w.ndim else 0}, but it must have length {n}")
    if w.dtype.kind not in "fiu":
        raise TypeError(f"window must be real-valued, got dtype={w.dtype}")
    return w.astype(np.float64)


def window_values(window: Any, w: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    """What a window spec produced: shape (n,) and finite."""
    if w.shape != (n,):
        raise ParameterError(f"window={window!r} produced shape {w.shape}, expected ({n},)")
    if not np.all(np.isfinite(w)):
        raise ParameterError("window contains NaN or infinite values")
    return w


def same_layout(what: str, arrays: Sequence[npt.NDArray[Any]], time_axis: int = -1) -> None:
    """Arrays that differ only in their time-axis length (what padding into one batch needs)."""
    first = arrays[0]
    for o in arrays:
        if (
            o.ndim != first.ndim
            or o.dtype != first.dtype
            or np.delete(o.shape, time_axis).tolist() != np.delete(first.shape, time_axis).tolist()
        ):
            raise ParameterError(f"{what} needs items of the same leading shape and dtype")


def isa(name: object, accepted: bool, available: Callable[[], list[str]]) -> None:
    if not accepted:
        raise ParameterError(f"isa={name!r} is not available on this CPU; available: {available()}")
