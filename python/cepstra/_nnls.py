"""Non-negative least squares for a sparse, banded non-negative matrix (a mel filterbank).

librosa solves ``min ||A X - B||^2, X >= 0`` with scipy's L-BFGS-B, started from the clipped
pseudo-inverse solution and stopped by a projected-gradient tolerance on an objective scaled by
``1 / B.size`` (loose: on music its relative residual is typically a few percent). We start
from the same point and run accelerated projected gradient (FISTA with adaptive restart,
O'Donoghue & Candes 2015), using the filterbank's sparsity for both ``A X`` and ``A^T R``, until
the relative residual is below ``rtol`` (1e-4, some 400 times below librosa's typical stop)
or progress stalls. The problem is underdetermined, so
minimisers are not unique; see the tests for how the result is compared with librosa's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

_Array = npt.NDArray[Any]


@lru_cache(maxsize=16)
def _prepared(key: bytes, shape: tuple[int, int]) -> tuple[Any, Any, _Array, float]:
    """Sparse handles for A and A^T (built once per filterbank), the pseudo-inverse, 1/step."""
    from ._engine import core

    A = np.frombuffer(key, dtype=np.float64).reshape(shape)
    pinv = np.linalg.pinv(A)
    lipschitz = float(np.linalg.norm(A, 2) ** 2)
    return core.Filterbank(A), core.Filterbank(np.ascontiguousarray(A.T)), pinv, lipschitz


def _norm(a: _Array) -> float:
    # not np.linalg.norm: its BLAS call spins threads, which costs more than it saves here
    return float(np.sqrt(np.sum(np.square(a))))


def nnls(A: _Array, B: _Array, *, rtol: float = 1e-4, max_iter: int = 300) -> _Array:
    """Solves ``min ||A X - B||_F, X >= 0`` column by column, all columns together.

    Parameters
    ----------
    A : np.ndarray, shape (m, n), non-negative, sparse rows (contiguous support)
    B : np.ndarray, shape (..., m, t)

    Returns
    -------
    X : np.ndarray, shape (..., n, t), float64
    """
    A64 = np.ascontiguousarray(A, dtype=np.float64)
    Ad, At, pinv, L = _prepared(A64.tobytes(), A64.shape)
    lead = B.shape[:-2]
    B3 = np.ascontiguousarray(B.reshape((-1,) + B.shape[-2:]), dtype=np.float64)
    x: _Array = np.clip(np.einsum("fm,bmt->bft", pinv, B3, optimize=True), 0, None)
    if L == 0.0 or max_iter == 0:
        early: _Array = x.reshape(lead + x.shape[-2:])
        return early
    step = 1.0 / L
    bnorm = _norm(B3)
    if bnorm == 0.0:
        zero: _Array = np.zeros_like(x).reshape(lead + x.shape[-2:])
        return zero

    def residual(v: _Array) -> _Array:
        r: _Array = Ad.project(v) - B3
        return r

    z = x.copy()
    t = 1.0
    r = residual(x)
    best = _norm(r)
    stall = 0
    for it in range(1, max_iter + 1):
        rz = residual(z)
        g = At.project(rz)
        x_new = np.maximum(z - step * g, 0.0)
        # adaptive restart: drop the momentum when it points uphill
        if np.sum((z - x_new) * (x_new - x)) > 0:
            t = 1.0
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        z = x_new + ((t - 1.0) / t_new) * (x_new - x)
        x, t = x_new, t_new
        if it % 5:
            continue
        res = _norm(residual(x))
        if res <= rtol * bnorm:
            break
        if res < best * (1 - 1e-9):
            best, stall = res, 0
        else:
            stall += 1
            if stall >= 4:
                break
    result: _Array = x.reshape(lead + x.shape[-2:])
    return result
