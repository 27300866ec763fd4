"""``cepstra extract --engine ray``: the same dataset, computed by Ray Data actors.

The driver lists the inputs and stamps them (size, mtime), Ray actors decode and compute
(:class:`cepstra.ray.FeatureExtractor`, plans built once per actor, cepstra's threads = the
CPUs each actor holds), and the driver writes the rows through the same writers as the local
engine: same npy tree or Parquet shards, same manifest, resume and failure log. Ray retries the
batches of a killed worker; rows are keyed by source path, so a batch computed twice is written
once.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def run_ray(
    run: Any,
    todo: list[Any],
    address: str | None,
    progress: Any,
    extractor_cls: type | None = None,
    batch_size: int = 4,
) -> None:
    try:
        import ray
    except ImportError as exc:
        raise ValueError("--engine ray needs Ray Data: pip install 'cepstra[ray]'") from exc
    from ..ray import FeatureExtractor

    if not todo:
        return
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    cls = extractor_cls or FeatureExtractor
    spec = run.spec
    resources: Any = ray.cluster_resources
    total_cpus = int(resources().get("CPU", 1))
    jobs = run.args.jobs or total_cpus
    # One actor per --jobs slot, one CPU each: cepstra in each actor runs on the CPU it holds.
    n_actors = max(1, min(jobs, total_cpus, len(todo)))
    stamps = {}
    items = {}
    rows = []
    from ._dataset import source_stamp

    for it in todo:
        try:
            stamps[it.source] = source_stamp(it.source)
        except OSError as exc:
            run.fail(it, None, exc)
            continue
        items[it.source] = it
        rows.append({"path": it.source})
    if not rows:
        return
    ds = ray.data.from_items(rows, override_num_blocks=max(1, len(rows) // batch_size))
    kwargs = dict(feature=spec.name, sr=spec.sr, num_threads=1, errors="record", **spec.params)
    feats = ds.map_batches(
        cls,
        fn_constructor_kwargs=kwargs,
        batch_size=batch_size,
        num_cpus=1,
        compute=ray.data.ActorPoolStrategy(min_size=1, max_size=n_actors),
        max_restarts=-1,
        max_task_retries=-1,
    )
    written: set[str] = set()
    for batch in feats.iter_batches(batch_size=batch_size, batch_format="numpy", prefetch_batches=2):
        for i, path in enumerate(batch["path"]):
            path = str(path)
            if path in written:
                continue  # a retried batch: already written
            written.add(path)
            item = items[path]
            if batch["error"][i]:
                run.fail(item, stamps[path], str(batch["error"][i]))
                continue
            F = np.asarray(batch["features"][i]).reshape(tuple(int(d) for d in batch["shape"][i]))
            run.write(item, stamps[path], int(batch["n_samples"][i]), F)
    if run.writer is not None:
        run.writer.flush()
    missing = [p for p in items if p not in written]
    for p in missing:
        run.fail(items[p], stamps[p], "Ray returned no row for this input")
