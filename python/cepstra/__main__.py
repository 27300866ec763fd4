"""Command line: ``python -m cepstra {demo,bench,info}``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cepstra", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="features of a built-in example signal, timed against librosa")
    demo.add_argument("--seconds", type=float, default=30.0)
    bench = sub.add_parser("bench", help="ratio table: cepstra vs the reference libraries")
    bench.add_argument("--seconds", type=float, default=600.0, help="length of the test signal")
    bench.add_argument("--repeat", type=int, default=5, help="alternating runs per measurement (median)")
    bench.add_argument("--only", default=None, help="comma-separated workload names")
    bench.add_argument("--json", default=None, help="also write the results to this file")
    sub.add_parser("info", help="version, SIMD path, threads, build")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from ._demo import main as demo_main

        return demo_main(seconds=args.seconds)
    if args.command == "bench":
        from ._bench import main as bench_main  # type: ignore[import-not-found,unused-ignore]

        return int(bench_main(seconds=args.seconds, repeat=args.repeat, only=args.only, json_path=args.json))
    from .runtime import info

    print(json.dumps(info(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
