"""Analysis windows: librosa's named windows computed in C++ (cached), anything else through
``scipy.signal.get_window``, a callable or the array itself."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from . import cache, core

# What get_window accepts: a name, a scipy (name, params...) tuple, a callable of the length,
# or the window itself; a number is refused.
WindowSpec = str | tuple[Any, ...] | Callable[[int], npt.ArrayLike] | npt.ArrayLike

NAMED = frozenset({"hann", "hanning", "han", "hamming", "hamm", "ham", "blackman", "black", "blk",
                   "boxcar", "box", "ones", "rect", "rectangular"})

_F64 = npt.NDArray[np.float64]


def named(name: str, n: int, periodic: bool) -> _F64:
    """A read-only named window (shared: copy before handing it to a user)."""

    def build() -> _F64:
        w = core.get_window(name, n, periodic)
        w.setflags(write=False)
        return w

    return cache.get(("window", name, n, periodic), build)


def get_window(window: WindowSpec, n: int, periodic: bool) -> _F64:
    """The window of length n (validated; a fresh array except for the named ones, read-only)."""
    if isinstance(window, str) and window in NAMED:
        return named(window, n, periodic)
    if callable(window):
        w = np.asarray(window(n), dtype=np.float64)
    elif isinstance(window, (str, tuple)):
        w = V.scipy_window(window, n, periodic)
    else:
        w = V.window_array(window, n)
    return V.window_values(window, w, n)


def _centre_pad(w: _F64, size: int) -> _F64:
    lpad = (size - w.shape[0]) // 2
    out = np.zeros(size, dtype=np.float64)
    out[lpad: lpad + w.shape[0]] = w
    out.setflags(write=False)
    return out


def analysis_window(window: WindowSpec, win_length: int, n_fft: int) -> tuple[_F64, Hashable]:
    """The length-n_fft, centre-padded, read-only analysis window and its cache key (the name,
    or the window's bytes: equal windows share plans)."""
    if isinstance(window, str) and window in NAMED:
        name = window
        w = cache.get(("padded-window", name, win_length, n_fft),
                      lambda: _centre_pad(named(name, win_length, True), n_fft))
        return w, (name, win_length, n_fft)
    w = _centre_pad(get_window(window, win_length, True), n_fft)
    return w, ("array", win_length, n_fft, w.tobytes())
