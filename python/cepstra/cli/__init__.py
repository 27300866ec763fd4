"""The ``cepstra`` command (also ``python -m cepstra``).

Subcommands: ``extract`` (a corpus to a feature dataset), ``plot`` (a labelled spectrogram PNG),
``demo`` (bundled recordings through the extract path), ``bench`` (speed against the
references), ``info`` (version, SIMD path, threads).

Exit codes (all subcommands): 0 success; 1 some inputs failed (recorded, the run went on);
2 bad usage or refused (bad parameter, missing input, OUT locked or not a dataset of ours);
3 an output error stopped the run (disk full, OUT unwritable): nothing half-written is left;
130 interrupted (Ctrl-C / SIGTERM): only complete outputs are left, ``--resume`` continues.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def build_parser() -> argparse.ArgumentParser:
    from . import extract, plot

    parser = argparse.ArgumentParser(
        prog="cepstra", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    extract.add_parser(sub)
    plot.add_parser(sub)
    demo = sub.add_parser("demo", help="bundled recordings -> a small dataset + spectrogram PNG (nothing downloaded)")
    demo.add_argument("-o", "--out", default=None, help="output folder (default: a new temporary folder)")
    demo.add_argument("--seconds", type=float, default=30.0, help="length of the generated signal for the timing")
    bench = sub.add_parser("bench", help="ratio table: cepstra vs the reference libraries")
    bench.add_argument("--seconds", type=float, default=600.0, help="length of the test signal")
    bench.add_argument(
        "--repeat", type=int, default=None, help="alternating runs per measurement (median; default 5, --music 3)"
    )
    bench.add_argument("--only", default=None, help="comma-separated workload names")
    bench.add_argument("--json", default=None, help="also write the results to this file")
    bench.add_argument(
        "--corpus",
        action="store_true",
        help="corpus throughput: files -> features vs librosa.load + librosa via joblib",
    )
    bench.add_argument(
        "--music",
        action="store_true",
        help="librosa's music features and the GTZAN script on a 30 s clip (--seconds 30 by default here)",
    )
    bench.add_argument("--audio", default=None, help="for --music: a recording to use instead of the example signal")
    bench.add_argument("--jobs", type=int, default=None, help="workers for --corpus (default: all CPUs)")
    bench.add_argument("--files", type=int, default=24, help="files per format for --corpus")
    sub.add_parser("info", help="version, SIMD path, threads, build")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cepstra`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        from .extract import run

        return run(args)
    if args.command == "plot":
        from .plot import run as run_plot

        return run_plot(args)
    if args.command == "demo":
        from .demo import main as demo_main

        return demo_main(out=args.out, seconds=args.seconds)
    if args.command == "bench":
        if args.corpus:
            from .bench_corpus import main as corpus_main

            return int(corpus_main(jobs=args.jobs, files=args.files, json_path=args.json))
        if args.music:
            from .bench_music import main as music_main

            seconds = 30.0 if args.seconds == 600.0 else args.seconds
            repeat = 3 if args.repeat is None else args.repeat
            return int(music_main(seconds=seconds, repeat=repeat, audio=args.audio, only=args.only))
        from .bench import main as bench_main

        repeat = 5 if args.repeat is None else args.repeat
        return int(bench_main(seconds=args.seconds, repeat=repeat, only=args.only, json_path=args.json))
    import cepstra

    print(json.dumps(cepstra.info(), indent=2))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
