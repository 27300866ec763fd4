"""``cepstra extract --engine ray``: placeholder until the Ray engine lands."""

from __future__ import annotations

from typing import Any


def run_ray(run: Any, todo: list[Any], address: str | None, progress: Any) -> None:
    raise ValueError("--engine ray is not available in this build")
