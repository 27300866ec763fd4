"""Run-time configuration: threads and the SIMD instruction-set path."""

from __future__ import annotations

import os
from typing import Any

from . import _core
from . import _validation as V
from .exceptions import ParameterError

__all__ = ["set_num_threads", "get_num_threads", "get_isa", "set_isa", "available_isas", "info"]

_ISAS = ("generic", "neon", "sse2", "avx2", "avx512")


def get_num_threads() -> int:
    """Threads used by each call (default: ``CEPSTRA_NUM_THREADS`` or the CPUs this process may use)."""
    return _core.get_num_threads()


def set_num_threads(n: int) -> None:
    """Set the number of threads used by each call (>= 1). Results do not depend on it."""
    _core.set_num_threads(V.positive_int("n", n, maximum=1024))


def get_isa() -> str:
    """The SIMD path in use: 'avx512', 'avx2', 'sse2' (x86-64 baseline), 'neon' (AArch64) or 'generic'."""
    return _core.active_isa()


def available_isas() -> list[str]:
    """The SIMD paths this CPU can run."""
    return [name for name in _ISAS if _core.isa_available(name)]


def set_isa(name: str) -> None:
    """Force a SIMD path (``"best"`` restores the automatic choice). Mainly for testing."""
    if not isinstance(name, str) or not _core.set_isa(name):
        raise ParameterError(f"isa={name!r} is not available on this CPU; available: {available_isas()}")


def info() -> dict[str, Any]:
    """A dict describing the build and the run-time choices."""
    from ._version import __version__

    return {
        "version": __version__,
        "isa": get_isa(),
        "available_isas": available_isas(),
        "threads": get_num_threads(),
        "compiler": getattr(_core, "compiler", "unknown"),
        "build_flags": getattr(_core, "build_flags", "unknown"),
        "CEPSTRA_ISA": os.environ.get("CEPSTRA_ISA"),
        "CEPSTRA_NUM_THREADS": os.environ.get("CEPSTRA_NUM_THREADS"),
    }
