"""Parquet shards for ``cepstra extract --format parquet`` (and the Ray engine).

Rows: ``path`` (the source), ``rel``, ``sample_rate``, ``n_samples``, ``n_frames``, ``shape``
and ``features`` (nested lists: ``features[i]`` is row ``i`` of the 2-D array), plus
``label_<name>`` columns for ``--labels``. Shards live in ``OUT/data/`` so that
``pandas.read_parquet("OUT/data")``, ``pyarrow.dataset.dataset("OUT/data")`` and
``datasets.load_dataset("parquet", data_files="OUT/data/*.parquet")`` read them directly.
"""

from __future__ import annotations

import os
import re
from typing import Any

import numpy as np
import numpy.typing as npt

from ._dataset import OutputDir, OutputError, atomic_file, describe_oserror

_Array = npt.NDArray[Any]
DATA_DIR = "data"
_SHARD = re.compile(r"^part-(\d{5,})\.parquet$")


def pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet
    except ImportError as exc:
        raise ImportError("--format parquet needs pyarrow: pip install 'cepstra[io]'") from exc
    return pa


def _nested(arrays: list[_Array]) -> Any:
    """A list<list<T>> column (list<T> for 1-D arrays) from arrays of one dtype, without copies to Python."""
    pa = pyarrow()
    flat = [a.reshape(a.shape[0], -1) if a.ndim > 1 else a for a in arrays]
    values = pa.array(np.concatenate([a.ravel() for a in flat]) if flat else np.zeros(0, np.float32))
    if all(a.ndim == 1 for a in flat):
        offsets = np.concatenate([[0], np.cumsum([a.shape[0] for a in flat])]).astype(np.int64)
        return pa.LargeListArray.from_arrays(pa.array(offsets), values)
    inner_len = np.concatenate([np.full(a.shape[0], a.shape[1], np.int64) for a in flat])
    inner = pa.LargeListArray.from_arrays(
        pa.array(np.concatenate([[0], np.cumsum(inner_len)]).astype(np.int64)), values
    )
    outer = np.concatenate([[0], np.cumsum([a.shape[0] for a in flat])]).astype(np.int64)
    return pa.LargeListArray.from_arrays(pa.array(outer), inner)


def table(rows: list[dict[str, Any]], features: list[_Array], labels: list[dict[str, _Array]]) -> Any:
    """The Arrow table of one shard."""
    pa = pyarrow()
    cols: dict[str, Any] = {
        "path": pa.array([r["path"] for r in rows], pa.string()),
        "rel": pa.array([r["rel"] for r in rows], pa.string()),
        "sample_rate": pa.array([int(r["sample_rate"]) for r in rows], pa.int32()),
        "n_samples": pa.array([int(r["n_samples"]) for r in rows], pa.int64()),
        "n_frames": pa.array([int(r["n_frames"]) for r in rows], pa.int64()),
        "shape": pa.array([list(f.shape) for f in features], pa.list_(pa.int64())),
        "features": _nested(features),
    }
    for key in sorted({k for lab in labels for k in lab}):
        if all(key in lab for lab in labels):
            cols[f"label_{key}"] = _nested([np.asarray(lab[key]) for lab in labels])
    return pa.table(cols)


def write_table(tbl: Any, path: str) -> None:
    import pyarrow.parquet as pq

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError as exc:
        raise OutputError(describe_oserror(exc, os.path.dirname(path))) from exc
    with atomic_file(path) as fh:
        # Dictionaries and min/max statistics of float arrays cost 8x the write time and save nothing.
        scalar = [c for c in ("path", "rel", "sample_rate", "n_samples", "n_frames") if c in tbl.column_names]
        pq.write_table(tbl, fh, compression="zstd", use_dictionary=["path", "rel"], write_statistics=scalar)


def shard_names(root: str) -> list[str]:
    folder = os.path.join(root, DATA_DIR)
    if not os.path.isdir(folder):
        return []
    return sorted(n for n in os.listdir(folder) if _SHARD.match(n))


def next_index(root: str) -> int:
    names = shard_names(root)
    return 1 + max((int(_SHARD.match(n).group(1)) for n in names), default=-1)  # type: ignore[union-attr]


def reconcile(out: OutputDir, stale: set[str]) -> None:
    """Make the shards agree with the manifest before a resumed run adds to them.

    A row stays only if the manifest's last record for its source is ``ok`` and names this
    shard, and the source is not about to be recomputed (``stale``). This drops the rows of a
    shard renamed just before a kill (no record yet) and the old rows of changed inputs, so no
    source ever has two rows.
    """
    import pyarrow.parquet as pq

    pa = pyarrow()
    for name in shard_names(out.root):
        path = os.path.join(out.root, DATA_DIR, name)
        try:
            tbl = pq.read_table(path)
        except (OSError, pa.ArrowInvalid):
            os.remove(path)  # not a complete shard of ours (renames are atomic, so: foreign)
            continue
        sources = tbl.column("path").to_pylist()
        keep = [
            (out.records.get(s, {}).get("status") == "ok" and out.records[s].get("output") == name and s not in stale)
            for s in sources
        ]
        for s, k in zip(sources, keep):
            if not k and out.records.get(s, {}).get("output") == name:
                del out.records[s]
        if all(keep):
            continue
        if not any(keep):
            os.remove(path)
        else:
            write_table(tbl.filter(pa.array(keep)), path)
    present = set(shard_names(out.root))
    for s in [
        s
        for s, r in out.records.items()
        if r.get("status") == "ok" and r.get("format") == "parquet" and r.get("output") not in present
    ]:
        del out.records[s]


class ShardWriter:
    """Collects rows and writes a shard every ``rows_per_shard`` rows or ``bytes_per_shard`` bytes."""

    def __init__(self, out: OutputDir, rows_per_shard: int = 256, bytes_per_shard: int = 128 << 20) -> None:
        self.out = out
        self.rows_per_shard, self.bytes_per_shard = rows_per_shard, bytes_per_shard
        self._rows: list[dict[str, Any]] = []
        self._features: list[_Array] = []
        self._labels: list[dict[str, _Array]] = []
        self._bytes = 0
        self._index = next_index(out.root)

    def add(self, record: dict[str, Any], features: _Array, labels: dict[str, _Array]) -> list[dict[str, Any]]:
        """Queue one row; returns the records committed by a shard this call wrote (maybe none)."""
        self._rows.append(record)
        self._features.append(features)
        self._labels.append(labels)
        self._bytes += features.nbytes
        if len(self._rows) >= self.rows_per_shard or self._bytes >= self.bytes_per_shard:
            return self.flush()
        return []

    def flush(self) -> list[dict[str, Any]]:
        """Write the queued rows as one shard, then record them in the manifest."""
        if not self._rows:
            return []
        name = f"part-{self._index:05d}.parquet"
        write_table(table(self._rows, self._features, self._labels), os.path.join(self.out.root, DATA_DIR, name))
        self._index += 1
        records = [dict(r, output=name) for r in self._rows]
        self._rows, self._features, self._labels, self._bytes = [], [], [], 0
        from ._dataset import MANIFEST

        self.out.append(MANIFEST, records)
        return records
