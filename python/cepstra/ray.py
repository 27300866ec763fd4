"""Ray Data: cepstra features as a ``Dataset.map_batches`` stage (extra ``cepstra[ray]``).

>>> import ray, cepstra.ray
>>> ds = ray.data.read_audio("s3://bucket/songs/", include_paths=True)     # or rows with a "path"
>>> feats = ds.map_batches(cepstra.ray.FeatureExtractor,
...                        fn_constructor_kwargs={"feature": "mfcc", "sr": 22050, "n_mfcc": 20},
...                        concurrency=8, num_cpus=4, batch_size=16)
>>> feats.write_parquet("s3://bucket/features/")

Each actor builds its plans once (in ``__init__``) and sets cepstra's thread count to the CPUs
Ray gave it (``num_cpus``), so N actors on a node use the node's cores, not N times them.

Rows are either ``ray.data.read_audio`` rows (``amplitude`` (channels, n) float32 and
``sample_rate``; ``path`` with ``include_paths=True``), downmixed and resampled exactly as
:func:`cepstra.load` does, or rows with a ``path`` column, decoded with :func:`cepstra.load`.
Either way the features are bit-identical to ``cepstra extract``'s local engine.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["FeatureExtractor", "assigned_cpus"]

_Array = npt.NDArray[Any]


def assigned_cpus(default: int | None = None) -> int:
    """The CPUs Ray assigned to the calling task/actor (``default`` or os.cpu_count() outside Ray)."""
    import os

    try:
        import ray

        if ray.is_initialized():
            ctx: Any = ray.get_runtime_context()
            cpus = ctx.get_assigned_resources().get("CPU")
            if cpus:
                return max(1, int(cpus))
    except ImportError:
        pass
    return default or os.cpu_count() or 1


class FeatureExtractor:
    """A callable class for ``Dataset.map_batches``: a batch of audio rows -> a batch of features.

    Parameters
    ----------
    feature : str
        As ``cepstra extract --feature``: mfcc, melspectrogram, stft (magnitude), chroma,
        kaldi-fbank, kaldi-mfcc, whisper.
    sr : int or None
        Target rate (default 22050; 16000 for kaldi-* and whisper).
    num_threads : int or None
        cepstra's threads in this actor (default: the CPUs Ray assigned to it).
    errors : {"raise", "record"}
        ``record``: a row that cannot be decoded or computed gets an empty ``features`` array
        and its reason in the ``error`` column instead of failing the whole job.
    **params
        Feature parameters (``n_mels=80``, ``hop_length=160``, ...).

    Returns (per call)
    ------------------
    dict with ``path`` (str; "" for read_audio rows without paths), ``sample_rate`` (int32),
    ``n_samples`` (int64), ``n_frames`` (int64), ``shape`` (int64, (batch, 2)) and ``features``
    (one float32 array per row; Ray stores them as variable-shaped tensors), and ``error``
    (str, "" when the row succeeded).
    """

    def __init__(
        self,
        feature: str = "mfcc",
        *,
        sr: int | None = None,
        num_threads: int | None = None,
        errors: str = "raise",
        **params: Any,
    ) -> None:
        import cepstra

        if errors not in ("raise", "record"):
            raise cepstra.ParameterError(f"errors={errors!r} must be 'raise' or 'record'")
        self.errors = errors
        from .cli._features import DEFAULT_SR, FeatureSpec

        self.threads = num_threads or assigned_cpus()
        cepstra.set_num_threads(self.threads)
        rate = sr if sr is not None else DEFAULT_SR.get(feature, 22050)
        self.spec = FeatureSpec(feature, rate, params)

    def _signal(self, batch: dict[str, Any], i: int) -> _Array:
        import cepstra

        if "amplitude" in batch:
            y = cepstra.io.to_mono(np.asarray(batch["amplitude"][i], dtype=np.float32))
            return cepstra.io.resample(y, orig_sr=float(batch["sample_rate"][i]), target_sr=self.spec.sr)
        y, _ = cepstra.load(str(batch["path"][i]), sr=self.spec.sr)
        if y.shape[-1] == 0:
            raise cepstra.AudioError(f"{batch['path'][i]!r}: empty audio: no samples", path=str(batch["path"][i]))
        return y

    def _one(self, y: _Array | None) -> _Array:
        if y is None:
            raise ValueError("no signal")
        return self.spec.batch([y])[0]

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import cepstra

        if "amplitude" not in batch and "path" not in batch:
            raise cepstra.ParameterError(
                f"batch has columns {sorted(batch)}: expected 'path' or read_audio's 'amplitude' and 'sample_rate'"
            )
        n = len(batch["amplitude"] if "amplitude" in batch else batch["path"])
        paths = [str(p) for p in batch["path"]] if "path" in batch else [""] * n
        signals: list[_Array | None] = []
        errors = [""] * n
        for i in range(n):
            try:
                signals.append(self._signal(batch, i))
            except Exception as exc:
                if self.errors == "raise":
                    raise
                signals.append(None)
                errors[i] = f"{type(exc).__name__}: {exc}"
        good = [y for y in signals if y is not None]
        try:
            computed = iter(self.spec.batch(good) if good else [])
            feats: list[_Array | None] = [next(computed) if y is not None else None for y in signals]
        except Exception:
            if self.errors == "raise":
                raise
            feats = []
            for i, y in enumerate(signals):
                try:
                    feats.append(None if y is None else self._one(y))
                except Exception as exc:  # noqa: BLE001 (one bad row, e.g. shorter than n_fft)
                    feats.append(None)
                    errors[i] = f"{type(exc).__name__}: {exc}"
        empty = np.zeros((0, 0), dtype=np.float32)
        arrays = [empty if F is None else np.ascontiguousarray(F, dtype=np.float32) for F in feats]
        out = np.empty(n, dtype=object)
        out[:] = arrays
        return {
            "path": np.asarray(paths, dtype=object),
            "sample_rate": np.full(n, self.spec.sr, dtype=np.int32),
            "n_samples": np.asarray([0 if y is None else y.shape[-1] for y in signals], dtype=np.int64),
            "n_frames": np.asarray([0 if F is None else self.spec.n_frames(F) for F in feats], dtype=np.int64),
            "shape": np.asarray([a.shape for a in arrays], dtype=np.int64).reshape(n, -1),
            "features": out,
            "error": np.asarray(errors, dtype=object),
        }
