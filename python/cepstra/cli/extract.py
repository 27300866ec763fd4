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
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from . import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE
from ._dataset import (
    FAILURES,
    MANIFEST,
    LockedError,
    OutputDir,
    OutputError,
    config_id,
    now,
    source_stamp,
    write_npy,
    write_npz,
)
from ._features import DEFAULT_SR, FEATURES, FeatureSpec, parse_params
from ._inputs import InputError, Item, discover
from ._progress import Progress

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


_STATS = ("mean", "var", "std", "min", "max", "median")


def _stats(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    stats = tuple(s.strip() for s in value.split(",") if s.strip())
    bad = [s for s in stats if s not in _STATS]
    if not stats or bad:
        raise ValueError(f"--summary {value!r}: statistics must be among {', '.join(_STATS)}")
    return stats


def summarize(spec: FeatureSpec, F: _Array, stats: tuple[str, ...]) -> dict[str, list[float]]:
    """Per-feature statistics over time: ``{"mfcc_mean": [...n_out], ...}``."""
    import cepstra

    X = F if spec.time_axis == -1 else F.T
    X = X.reshape(-1, X.shape[-1])
    summary_fn: Any = getattr(getattr(cepstra, "feature", None), "summary", None)
    if summary_fn is not None and set(stats) <= {"mean", "var", "std", "min", "max"}:
        res = summary_fn({spec.name: X}, stats=stats)
        return {str(k): np.asarray(v, dtype=np.float64).ravel().tolist() for k, v in res.items()}
    fns: dict[str, Any] = {
        "mean": np.mean,
        "var": np.var,
        "std": np.std,
        "min": np.min,
        "max": np.max,
        "median": np.median,
    }
    return {f"{spec.name}_{s}": np.asarray(fns[s](X, axis=-1), dtype=np.float64).tolist() for s in stats}


def _print_err(msg: str) -> None:
    print(f"cepstra extract: error: {msg}", file=sys.stderr, flush=True)


class _Run:
    def __init__(
        self,
        args: argparse.Namespace,
        spec: FeatureSpec,
        out: OutputDir,
        stats: tuple[str, ...] | None,
        labels_mod: Any,
    ) -> None:
        self.args, self.spec, self.out, self.stats, self.labels_mod = args, spec, out, stats, labels_mod
        self.config = spec.config()
        self.cid = config_id(self.config)
        self.writer: Any = None
        if args.format == "parquet":
            from ._parquet import ShardWriter

            self.writer = ShardWriter(out, rows_per_shard=args.shard_rows)
        self.claimed: dict[str, str] = {}  # output name -> source, to refuse collisions
        # One writer thread: the fsync + rename of each output overlaps the next batch's features.
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cepstra-write")
        self._io_futures: deque[Future[None]] = deque()

    def _io_submit(self, fn: Any, *args: Any) -> None:
        self.check_io()
        while len(self._io_futures) >= 8:  # bounded: at most 8 outputs waiting in memory
            self._io_futures.popleft().result()
        self._io_futures.append(self._io.submit(fn, *args))

    def check_io(self, wait: bool = False) -> None:
        """Re-raise a failed write (OutputError) in the main thread; ``wait``: for all of them."""
        while self._io_futures and (wait or self._io_futures[0].done()):
            self._io_futures.popleft().result()

    def close_io(self) -> None:
        self._io.shutdown(wait=True)

    def _write_npy(self, name: str, rel: str, F: _Array, labels: dict[str, _Array], rec: dict[str, Any]) -> None:
        write_npy(os.path.join(self.out.root, name), F)
        if labels:
            write_npz(os.path.join(self.out.root, rel + ".labels.npz"), labels)
        rec["output"] = name
        self.out.append(MANIFEST, [rec])
        self.progress.update(audio_s=rec["duration_s"])

    # --- records ----------------------------------------------------------------------------
    def _base(self, item: Item, stamp: dict[str, int] | None) -> dict[str, Any]:
        import cepstra

        return {
            "path": item.source,
            "rel": item.rel,
            "source": stamp,
            "config": self.config,
            "config_id": self.cid,
            "format": self.args.format,
            "cepstra": cepstra.__version__,
            "time": now(),
        }

    def fail(self, item: Item, stamp: dict[str, int] | None, exc: BaseException | str) -> None:
        reason = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        rec = dict(self._base(item, stamp), status="failed", reason=reason)
        old = self.out.records.get(item.source)
        if old and old.get("format") == "npy" and old.get("output"):
            # A stale output of an earlier run would contradict the manifest: remove it.
            try:
                os.remove(os.path.join(self.out.root, old["output"]))
            except OSError:
                pass
        self.out.append(FAILURES, [{"path": item.source, "reason": reason, "time": rec["time"]}])
        self.out.append(MANIFEST, [rec])
        self.progress.update(failed=True)

    def write(self, item: Item, stamp: dict[str, int], y_len: int, F: _Array) -> None:
        rec = dict(
            self._base(item, stamp),
            status="ok",
            shape=list(F.shape),
            dtype=str(F.dtype),
            n_frames=self.spec.n_frames(F),
            n_samples=int(y_len),
            sample_rate=self.spec.sr,
            duration_s=y_len / self.spec.sr,
        )
        labels: dict[str, _Array] = {}
        if self.labels_mod is not None:
            if not item.midi:
                self.fail(item, stamp, "no MIDI file beside the audio (same name, .mid or .midi) for --labels midi")
                return
            try:
                labels = dict(self.labels_mod.labels_for(item.midi, like=self.spec._ext, n_samples=int(y_len)))
            except Exception as exc:  # noqa: BLE001 (cepstra.MidiError and friends: this input fails, the run goes on)
                self.fail(item, stamp, exc)
                return
            rec["midi"] = item.midi
            rec["labels"] = sorted(labels)
        if self.stats:
            rec["summary"] = summarize(self.spec, F, self.stats)
        if self.writer is not None:
            self.writer.add(rec, F, labels)
        else:
            name = item.rel + ".npy"
            owner = self.claimed.setdefault(name, item.source)
            if owner != item.source:
                self.fail(
                    item,
                    stamp,
                    f"output name {name!r} is also that of {owner!r} (same name, other "
                    "extension?); rename one or list it in a manifest",
                )
                return
            self._io_submit(self._write_npy, name, item.rel, F, labels, rec)
            return  # progress counts it once it is on disk
        self.progress.update(audio_s=y_len / self.spec.sr)

    # --- the loop -----------------------------------------------------------------------------
    def decode(self, item: Item) -> tuple[str, Item, Any, dict[str, int] | None]:
        import cepstra

        stamp = None
        try:
            stamp = source_stamp(item.source)  # before reading: a file changed meanwhile is redone
            if self.spec.streamable:
                rate = cepstra.get_samplerate(item.source)
                if cepstra.get_duration(path=item.source) > self.args.long_seconds:
                    return "long", item, rate, stamp
            y, _ = cepstra.load(item.source, sr=self.spec.sr)
            if y.shape[-1] == 0:
                return "fail", item, "empty audio: no samples", stamp
            return "ok", item, y, stamp
        except Exception as exc:  # noqa: BLE001 (any failure of one input is recorded; the run goes on)
            return "fail", item, exc, stamp

    def compute(self, batch: list[tuple[Item, _Array, dict[str, int]]]) -> None:
        if not batch:
            return
        try:
            outs = self.spec.batch([y for _, y, _ in batch])
        except Exception:  # noqa: BLE001 (any failure of one input is recorded; the run goes on)
            outs = []  # one bad input (e.g. shorter than n_fft) fails alone below
        if len(outs) != len(batch):
            for item, y, stamp in batch:
                try:
                    F = self.spec.batch([y])[0]
                except Exception as exc:  # noqa: BLE001 (any failure of one input is recorded; the run goes on)
                    self.fail(item, stamp, exc)
                    continue
                self.write(item, stamp, y.shape[-1], F)
            return
        for (item, y, stamp), F in zip(batch, outs):
            self.write(item, stamp, y.shape[-1], F)

    def run(self, todo: list[Item], jobs: int, progress: Progress) -> None:
        self.progress = progress
        window = 2 * jobs + 8
        batch_audio_s = 120.0
        pending: deque[Future[tuple[str, Item, Any, dict[str, int] | None]]] = deque()
        it = iter(todo)
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="cepstra-decode") as pool:
            try:

                def refill() -> None:
                    while len(pending) < window:
                        nxt = next(it, None)
                        if nxt is None:
                            return
                        pending.append(pool.submit(self.decode, nxt))

                refill()
                batch: list[tuple[Item, _Array, dict[str, int]]] = []
                seconds = 0.0
                while pending:
                    kind, item, value, stamp = pending.popleft().result()
                    refill()
                    if kind == "fail":
                        self.fail(item, stamp, value)
                    elif kind == "long":
                        try:
                            F = self.spec.file(item.source)
                        except (OutputError, KeyboardInterrupt):
                            raise
                        except Exception as exc:  # noqa: BLE001 (any failure of one input is recorded; the run goes on)
                            self.fail(item, stamp, exc)
                        else:
                            n = round(cepstra_duration(item.source) * self.spec.sr)
                            assert stamp is not None
                            self.write(item, stamp, n, F)
                    else:
                        assert stamp is not None
                        batch.append((item, value, stamp))
                        seconds += value.shape[-1] / self.spec.sr
                        if seconds >= batch_audio_s or len(batch) >= 4 * jobs or not pending:
                            self.compute(batch)
                            batch, seconds = [], 0.0
                self.compute(batch)
                if self.writer is not None:
                    self.writer.flush()
                self.check_io(wait=True)
            except BaseException:
                for f in pending:
                    f.cancel()
                raise


def cepstra_duration(path: str) -> float:
    import cepstra

    return float(cepstra.get_duration(path=path))


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def prepare(args: argparse.Namespace) -> tuple[FeatureSpec, list[Item], tuple[str, ...] | None, Any]:
    """Validate everything that can be checked before touching OUT (raises ValueError/InputError)."""
    sr = args.sr if args.sr is not None else DEFAULT_SR.get(args.feature, 22050)
    if sr <= 0:
        raise ValueError(f"--sr {sr} must be a positive sample rate")
    spec = FeatureSpec(args.feature, sr, parse_params(args.param))
    stats = _stats(args.summary)
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
    run_: _Run | None = None
    try:
        if out.has_dataset() and not args.resume:
            _print_err(
                f"{out.root!r} already holds a dataset (manifest.jsonl): pass --resume to continue it, "
                "or choose a new folder"
            )
            return EXIT_USAGE
        out.clean_temporaries()
        out.load_manifest()
        run_ = _Run(args, spec, out, stats, labels_mod)
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


def _select(run_: _Run, items: list[Item]) -> list[Item]:
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
