"""Run-time configuration: threads and the SIMD instruction-set path."""

from __future__ import annotations

import os
from typing import Any

from . import _validation as V
from ._engine import runtime as _rt

__all__ = ["set_num_threads", "get_num_threads", "get_isa", "set_isa", "available_isas", "info"]


def get_num_threads() -> int:
    """Threads used by each call (default: ``CEPSTRA_NUM_THREADS`` or the CPUs this process may use)."""
    return _rt.get_num_threads()


def set_num_threads(n: int) -> None:
    """Set the number of threads used by each call (>= 1). Results do not depend on it."""
    _rt.set_num_threads(V.positive_int("n", n, maximum=1024))


def get_isa() -> str:
    """The SIMD path in use: 'avx512', 'avx2', 'sse2' (x86-64 baseline), 'neon' (AArch64) or 'generic'."""
    return _rt.active_isa()


def available_isas() -> list[str]:
    """The SIMD paths this CPU can run."""
    return [name for name in _rt.ISAS if _rt.isa_available(name)]


def set_isa(name: str) -> None:
    """Force a SIMD path (``"best"`` restores the automatic choice). Mainly for testing."""
    V.isa(name, isinstance(name, str) and _rt.set_isa(name), available_isas)


def info() -> dict[str, Any]:
    """A dict describing the build and the run-time choices."""
    from ._version import __version__

    return {
        "version": __version__,
        "isa": get_isa(),
        "available_isas": available_isas(),
        "threads": get_num_threads(),
        **_rt.build_info(),
        "CEPSTRA_ISA": os.environ.get("CEPSTRA_ISA"),
        "CEPSTRA_NUM_THREADS": os.environ.get("CEPSTRA_NUM_THREADS"),
    }
