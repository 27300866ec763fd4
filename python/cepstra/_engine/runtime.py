"""Threads and the SIMD instruction-set path of the C++ core."""

from __future__ import annotations

from . import core

ISAS = ("generic", "neon", "sse2", "avx2", "avx512")


def get_num_threads() -> int:
    return core.get_num_threads()


def set_num_threads(n: int) -> None:
    core.set_num_threads(n)


def active_isa() -> str:
    return core.active_isa()


def isa_available(name: str) -> bool:
    return core.isa_available(name)


def set_isa(name: str) -> bool:
    return core.set_isa(name)


def build_info() -> dict[str, str]:
    return {"compiler": getattr(core, "compiler", "unknown"), "build_flags": getattr(core, "build_flags", "unknown")}
