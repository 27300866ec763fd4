"""The per-file work of ``cepstra extract``: decode on a thread pool, compute features of each
decoded batch through the list API, write each file's output (and its manifest record) on one
writer thread, record failures; long files stream block by block. ``extract.run`` drives it.
"""

from __future__ import annotations

import argparse
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from ._dataset import (
    FAILURES,
    MANIFEST,
    OutputDir,
    OutputError,
    config_id,
    now,
    source_stamp,
    write_npy,
    write_npz,
)
from ._features import FeatureSpec
from ._inputs import Item
from ._progress import Progress

_Array = npt.NDArray[Any]


_STATS = ("mean", "var", "std", "min", "max", "median")


def parse_stats(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    stats = tuple(s.strip() for s in value.split(",") if s.strip())
    bad = [s for s in stats if s not in _STATS]
    if not stats or bad:
        raise ValueError(f"--summary {value!r}: statistics must be among {', '.join(_STATS)}")
    return stats


def summarize(spec: FeatureSpec, F: _Array, stats: tuple[str, ...]) -> dict[str, list[float]]:
    """Per-feature statistics over time: ``{"mfcc_mean": [...n_out], ...}``."""
    from ..feature import summary

    X = F if spec.time_axis == -1 else F.T
    res = summary({spec.name: X.reshape(-1, X.shape[-1])}, stats=stats)
    return {str(k): np.asarray(v, dtype=np.float64).ravel().tolist() for k, v in res.items()}


class Run:
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
