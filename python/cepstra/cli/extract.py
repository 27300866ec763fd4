"""``cepstra extract``: a corpus of audio files to a feature dataset (npy tree or Parquet shards).

Decoding runs on a thread pool (libsndfile and soxr release the GIL) while the main thread
computes features of the decoded batch through the list API (one parallel kernel call per
batch), so the kernel does not wait on Python and decoding does not wait on the kernel. Files
longer than ``--long-seconds`` are decoded block by block through ``cepstra.Stream`` instead,
so memory stays at the output plus a few blocks for any length.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Any

import numpy.typing as npt

from . import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE
from ._dataset import (
    LockedError,
    OutputDir,
    OutputError,
    source_stamp,
)
from ._features import DEFAULT_SR, FEATURES, FeatureSpec, parse_params
from ._inputs import InputError, Item, discover
from ._progress import Progress
from ._run import Run, parse_stats

_Array = npt.NDArray[Any]

EPILOG = """\
output (OUT):
  manifest.jsonl     per input: source (size, mtime), full config, shape, status
  failures.jsonl     inputs that failed, with the reason (the run goes on)
  <rel>.npy          --format npy: one array per input, mirroring the input tree
  data/part-*.parquet --format parquet: one row per input (path, sample_rate, n_frames, features)
  summary.csv        --summary: one row of per-feature statistics per input
exit codes: 0 all done; 1 some inputs failed; 2 bad usage / OUT locked or not ours;
  3 output error (disk full, unwritable OUT); 130 interrupted (rerun with --resume)
"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        help="audio files/folders/manifests -> a feature dataset",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="audio files, folders (recursive) or manifests (.txt: one path a line; .csv/.tsv/.jsonl: a 'path' column)",
    )
    p.add_argument("-o", "--out", required=True, metavar="OUT", help="output folder")
    p.add_argument("--feature", default="mfcc", choices=FEATURES)
    p.add_argument(
        "--sr", type=int, default=None, help="sample rate to resample to (default 22050; 16000 for kaldi-* and whisper)"
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="feature parameter, repeatable (e.g. --param n_mels=80 --param hop_length=160)",
    )
    p.add_argument("--format", default="npy", choices=("npy", "parquet"))
    p.add_argument(
        "--summary",
        default=None,
        metavar="STATS",
        help="also write summary.csv: per-file statistics, e.g. mean,var (std, min, max, median)",
    )
    p.add_argument(
        "--labels",
        default=None,
        choices=("midi",),
        help="midi: frame labels from the MIDI file beside each input (same stem, .mid/.midi)",
    )
    p.add_argument("--jobs", type=int, default=None, help="decoder threads and feature threads (default: all CPUs)")
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue a dataset in OUT: skip inputs whose source and config are unchanged",
    )
    p.add_argument("--engine", default="local", choices=("local", "ray"))
    p.add_argument("--address", default=None, help="Ray cluster address for --engine ray (default: local Ray)")
    p.add_argument(
        "--long-seconds",
        type=float,
        default=600.0,
        help="files longer than this are decoded in blocks (bounded memory)",
    )
    p.add_argument("--shard-rows", type=int, default=256, help="--format parquet: rows per shard")
    p.add_argument("--quiet", action="store_true", help="no progress and no end-of-run summary")


def _print_err(msg: str) -> None:
    print(f"cepstra extract: error: {msg}", file=sys.stderr, flush=True)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def prepare(args: argparse.Namespace) -> tuple[FeatureSpec, list[Item], tuple[str, ...] | None, Any]:
    """Validate everything that can be checked before touching OUT (raises ValueError/InputError)."""
    sr = args.sr if args.sr is not None else DEFAULT_SR.get(args.feature, 22050)
    if sr <= 0:
        raise ValueError(f"--sr {sr} must be a positive sample rate")
    spec = FeatureSpec(args.feature, sr, parse_params(args.param))
    stats = parse_stats(args.summary)
    labels_mod = None
    if args.labels == "midi":
        import importlib

        try:
            labels_mod = importlib.import_module("cepstra.midi")
        except ImportError as exc:
            raise ValueError(f"--labels midi needs cepstra.midi (extra cepstra[midi]): {exc}") from exc
        if not hasattr(labels_mod, "labels_for"):
            raise ValueError("--labels midi needs cepstra.midi.labels_for, which this cepstra build lacks")
    items = discover(args.inputs)
    return spec, items, stats, labels_mod


def run(args: argparse.Namespace) -> int:
    import cepstra

    try:
        spec, items, stats, labels_mod = prepare(args)
        if args.jobs is not None and args.jobs < 1:
            raise ValueError(f"--jobs {args.jobs} must be >= 1")
        if args.shard_rows < 1:
            raise ValueError(f"--shard-rows {args.shard_rows} must be >= 1")
    except (ValueError, InputError) as exc:
        _print_err(str(exc))
        return EXIT_USAGE
    except ImportError as exc:
        _print_err(str(exc))
        return EXIT_USAGE
    jobs = args.jobs or os.cpu_count() or 1
    out = OutputDir(args.out)
    try:
        out.lock()
    except LockedError as exc:
        _print_err(str(exc))
        return EXIT_USAGE
    except OutputError as exc:
        _print_err(f"{exc}; nothing was written")
        return EXIT_OUTPUT
    old_handler = signal.signal(signal.SIGTERM, _raise_interrupt) if _main_thread() else None
    saved_threads = cepstra.get_num_threads()
    progress = Progress(0, quiet=True)
    run_: Run | None = None
    try:
        if out.has_dataset() and not args.resume:
            _print_err(
                f"{out.root!r} already holds a dataset (manifest.jsonl): pass --resume to continue it, "
                "or choose a new folder"
            )
            return EXIT_USAGE
        out.clean_temporaries()
        out.load_manifest()
        run_ = Run(args, spec, out, stats, labels_mod)
        todo = _select(run_, items)
        progress = Progress(len(todo), quiet=args.quiet)
        progress.skipped = len(items) - len(todo)
        run_.progress = progress
        # --jobs sets both pools: decoder threads and cepstra's kernel threads share the cores.
        cepstra.set_num_threads(jobs)
        if args.engine == "ray":
            from ._ray_engine import run_ray

            run_ray(run_, todo, args.address, progress)
        else:
            run_.run(todo, jobs, progress)
        run_.check_io(wait=True)
        if stats:
            _write_summary(out, stats)
    except OutputError as exc:
        if run_ is not None:
            run_.close_io()
        progress.close(out.root, interrupted=True, label="stopped")
        _print_err(
            f"{exc}. The run stopped; every output written so far is complete. Free space or fix "
            "permissions, then rerun with --resume"
        )
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        if run_ is not None:
            run_.close_io()
        progress.close(out.root, interrupted=True)
        return EXIT_INTERRUPTED
    finally:
        if run_ is not None:
            run_.close_io()  # queued writes are whole files: let them land before the lock goes
        cepstra.set_num_threads(saved_threads)
        if old_handler is not None:
            signal.signal(signal.SIGTERM, old_handler)
        out.unlock()
    progress.close(out.root)
    return EXIT_FAILED if progress.failed else EXIT_OK


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _select(run_: Run, items: list[Item]) -> list[Item]:
    """The inputs to (re)compute; for Parquet, first drop shard rows the manifest does not vouch for."""
    out = run_.out
    stamps: dict[str, dict[str, int] | None] = {}
    for it in items:
        try:
            stamps[it.source] = source_stamp(it.source)
        except OSError:
            stamps[it.source] = None

    def exists(rec: dict[str, Any]) -> bool:
        if rec.get("format") == "parquet":
            return True  # reconcile() already removed records whose rows are gone
        return bool(rec.get("output")) and os.path.isfile(os.path.join(out.root, rec["output"]))

    if run_.args.format == "parquet":
        from ._parquet import reconcile

        stale = {
            it.source
            for it in items
            if it.source in out.records
            and not out.is_done(it.source, stamps[it.source] or {}, run_.cid, lambda r: True)
        }
        reconcile(out, stale)
    if out.records:
        out.rewrite_manifest()
    todo = []
    for it in items:
        stamp = stamps[it.source]
        rec = out.records.get(it.source)
        if stamp is not None and out.is_done(it.source, stamp, run_.cid, exists):
            if rec and rec.get("output"):
                run_.claimed[rec["output"]] = it.source
            continue
        todo.append(it)
    return todo


def _write_summary(out: OutputDir, stats: tuple[str, ...]) -> None:
    import csv
    import io

    from ._dataset import atomic_file

    rows = [r for r in out.records.values() if r.get("status") == "ok" and r.get("summary")]
    if not rows:
        return
    keys = list(rows[0]["summary"])
    header = ["path"] + [f"{k}_{i}" for k in keys for i in range(len(rows[0]["summary"][k]))]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        vals = [v for k in keys for v in r["summary"].get(k, [])]
        if len(vals) == len(header) - 1:
            w.writerow([r["path"]] + [repr(float(v)) for v in vals])
    with atomic_file(os.path.join(out.root, "summary.csv")) as fh:
        fh.write(buf.getvalue().encode())
