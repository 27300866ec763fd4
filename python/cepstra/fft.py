"""cepstra's own real FFT (any length), exposed for direct use and for testing the kernel."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine import core

__all__ = ["rfft", "irfft"]

_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}


def rfft(x: npt.ArrayLike) -> npt.NDArray[np.complexfloating[Any]]:
    """Real FFT over the last axis, as ``numpy.fft.rfft(x)`` (no normalisation).

    Parameters
    ----------
    x : np.ndarray, shape (..., n), float32 or float64

    Returns
    -------
    X : np.ndarray, shape (..., n // 2 + 1), complex64 for float32 input, complex128 for float64
    """
    x = V.float_array("x", x)
    n = x.shape[-1]
    V.positive_int("n", n, maximum=V.MAX_N_FFT)
    lead = x.shape[:-1]
    rows = int(np.prod(lead)) if lead else 1
    V.output_size("x", x.shape, rows, n // 2 + 1, itemsize=2 * x.itemsize)  # before any copy
    out = core.rfft(np.ascontiguousarray(x).reshape(rows, n))
    return out.reshape(lead + (n // 2 + 1,))


def irfft(X: npt.ArrayLike, n: int | None = None) -> npt.NDArray[np.floating[Any]]:
    """Inverse of :func:`rfft`, as ``numpy.fft.irfft(X, n)`` (scaled by 1/n).

    Parameters
    ----------
    X : np.ndarray, shape (..., n // 2 + 1), complex64 or complex128
    n : int or None
        Output length; default ``2 * (X.shape[-1] - 1)``. ``X.shape[-1]`` must equal ``n // 2 + 1``.

    Returns
    -------
    x : np.ndarray, shape (..., n), float32 or float64
    """
    X = V.float_array("X", X, allow_complex=True)
    if X.dtype.kind != "c":
        X = X.astype(_COMPLEX_OF[X.dtype])
    bins = X.shape[-1]
    n = V.irfft_length(bins, n)
    lead = X.shape[:-1]
    rows = int(np.prod(lead)) if lead else 1
    V.output_size("X", X.shape, rows, n, itemsize=X.itemsize // 2)  # before any copy
    out = core.irfft(np.ascontiguousarray(X).reshape(rows, bins), n)
    return out.reshape(lead + (n,))
