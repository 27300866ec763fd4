"""``cepstra bench --corpus``: placeholder until the corpus benchmark lands."""

from __future__ import annotations


def main(jobs: int | None = None, files: int = 24, json_path: str | None = None) -> int:
    print("cepstra bench --corpus: not available in this build")
    return 2
