"""The output folder of ``cepstra extract``: a lock, a manifest, atomic files.

Layout::

    OUT/manifest.jsonl    one JSON record per input attempt (last record per source wins)
    OUT/failures.jsonl    the inputs that failed, with the reason
    OUT/<rel>.npy         --format npy: one array per input, mirroring the input tree
    OUT/part-00000.parquet  --format parquet: shards, one row per input
    OUT/summary.csv       --summary: one row of statistics per input

Every file is written to a hidden temporary name in its final folder and renamed, so a crash,
Ctrl-C or kill leaves either the complete file or none. A record enters the manifest only after
its output is in place; a Parquet shard's rows count only when the manifest names them, so the
rows of a shard renamed just before a kill are dropped (and recomputed) on ``--resume``.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import numpy as np
import numpy.typing as npt

TMP_SUFFIX = ".cepstra-tmp"
LOCK_NAME = ".cepstra-extract.lock"
MANIFEST = "manifest.jsonl"
FAILURES = "failures.jsonl"
SHARD_PREFIX = "part-"


class OutputError(Exception):
    """Writing the dataset failed (disk full, read-only, permission): the run must stop."""


class LockedError(Exception):
    """Another run holds the lock on this OUT folder."""


def describe_oserror(exc: OSError, path: str) -> str:
    why = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    if exc.errno is None:
        # numpy reports a short write without errno ("N requested and M written"): ask the disk.
        try:
            free = shutil.disk_usage(os.path.dirname(path) or ".").free
        except OSError:
            free = -1
        if 0 <= free < (1 << 20):
            why = f"the disk is full ({free} bytes free; {exc})"
    return f"cannot write {path!r}: {why}"


def config_id(config: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]


def source_stamp(path: str) -> dict[str, int]:
    st = os.stat(path)
    return {"size": int(st.st_size), "mtime_ns": int(st.st_mtime_ns)}


@contextmanager
def atomic_file(path: str) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` (fsynced first)."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(describe_oserror(exc, path)) from exc
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def write_npy(path: str, array: npt.NDArray[Any]) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError as exc:
        raise OutputError(describe_oserror(exc, os.path.dirname(path))) from exc
    with atomic_file(path) as fh:
        np.save(fh, array, allow_pickle=False)


def write_npz(path: str, arrays: dict[str, npt.NDArray[Any]]) -> None:
    with atomic_file(path) as fh:
        buf = io.BytesIO()
        np.savez(buf, **arrays)  # type: ignore[arg-type]
        fh.write(buf.getvalue())


class OutputDir:
    """The locked OUT folder of one run, its manifest and failure log."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self._lock_fh: IO[str] | None = None
        self._append_lock = threading.Lock()  # the writer thread and the main thread both append
        self.records: dict[str, dict[str, Any]] = {}  # source -> last record

    # --- lock -------------------------------------------------------------------------------
    def lock(self) -> None:
        try:
            os.makedirs(self.root, exist_ok=True)
            fh = open(os.path.join(self.root, LOCK_NAME), "a+")  # noqa: SIM115 (held open: the lock lives as long as the run)
        except OSError as exc:
            raise OutputError(describe_oserror(exc, self.root)) from exc
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # Windows
            import msvcrt

            try:
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
            except OSError as exc:
                fh.close()
                raise LockedError(self._held_by()) from exc
        except OSError as exc:
            fh.close()
            raise LockedError(self._held_by()) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._lock_fh = fh

    def _held_by(self) -> str:
        try:
            with open(os.path.join(self.root, LOCK_NAME)) as fh:
                pid = fh.read().strip()
        except OSError:
            pid = "?"
        return (
            f"another `cepstra extract` (pid {pid or '?'}) is writing into {self.root!r}; "
            "wait for it to finish (two runs into one folder are refused, not interleaved)"
        )

    def unlock(self) -> None:
        if self._lock_fh is not None:
            self._lock_fh.close()  # closing releases the lock; the file stays (harmless)
            self._lock_fh = None

    # --- state ------------------------------------------------------------------------------
    def has_dataset(self) -> bool:
        return os.path.exists(os.path.join(self.root, MANIFEST))

    def clean_temporaries(self) -> int:
        """Remove temporary files that a killed run left (we hold the lock: none is live)."""
        n = 0
        for dirpath, _, files in os.walk(self.root):
            for f in files:
                if f.endswith(TMP_SUFFIX):
                    _remove(os.path.join(dirpath, f))
                    n += 1
        return n

    def load_manifest(self) -> None:
        self.records = {}
        path = os.path.join(self.root, MANIFEST)
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a kill: its output is recomputed
                if isinstance(rec, dict) and "path" in rec:
                    self.records[rec["path"]] = rec

    def rewrite_manifest(self) -> None:
        """Replace the manifest by its last record per source (atomically)."""
        path = os.path.join(self.root, MANIFEST)
        with atomic_file(path) as fh:
            for rec in self.records.values():
                fh.write((json.dumps(rec, ensure_ascii=False) + "\n").encode())

    def is_done(self, source: str, stamp: dict[str, int], cid: str, exists: Callable[[dict[str, Any]], bool]) -> bool:
        rec = self.records.get(source)
        return bool(
            rec
            and rec.get("status") == "ok"
            and rec.get("config_id") == cid
            and rec.get("source") == stamp
            and exists(rec)
        )

    def append(self, name: str, records: Iterable[dict[str, Any]]) -> None:
        """Append JSON lines in one write (a kill cuts at most the last line)."""
        path = os.path.join(self.root, name)
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if not text:
            return
        with self._append_lock:
            try:
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
            except OSError as exc:
                raise OutputError(describe_oserror(exc, path)) from exc
            if name == MANIFEST:
                for line in text.splitlines():
                    rec = json.loads(line)
                    self.records[rec["path"]] = rec


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
