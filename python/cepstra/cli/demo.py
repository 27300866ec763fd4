"""``cepstra demo``: the main job on bundled real recordings, nothing downloaded.

Two short recordings shipped inside the package (python/cepstra/data, CC-BY / public domain,
attribution beside them) go through the same path as ``cepstra extract`` (decode, resample,
features, dataset with manifest), then one is drawn as a mel spectrogram PNG. Each step is timed.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt


def data_dir() -> str:
    """The folder of the bundled recordings (each with its attribution ``.txt``)."""
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def example_signal(seconds: float = 30.0, sr: int = 22050, seed: int = 0) -> npt.NDArray[np.float32]:
    """A chord with vibrato plus a little noise, float32: deterministic and self-contained."""
    t = np.arange(int(seconds * sr)) / sr
    vibrato = 0.003 * np.sin(2 * np.pi * 5.0 * t)
    y = np.zeros_like(t)
    for f, a in ((220.0, 0.5), (277.2, 0.3), (329.6, 0.2)):
        y = y + a * np.sin(2 * np.pi * f * t * (1 + vibrato))
    y = y * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t) ** 2)
    y = y + 0.01 * np.random.default_rng(seed).standard_normal(t.size)
    return y.astype(np.float32)


def _best_of(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _step(label: str, fn: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    result = fn()
    print(f"  {label:<44s} {time.perf_counter() - t0:6.2f} s")
    return result


def main(out: str | None = None, seconds: float = 30.0, repeat: int = 3) -> int:
    import cepstra

    from . import EXIT_OK, EXIT_USAGE

    print(f"cepstra {cepstra.__version__}  (SIMD path: {cepstra.get_isa()}, threads: {cepstra.get_num_threads()})")
    src = data_dir()
    clips = sorted(f for f in os.listdir(src) if f.endswith(".ogg"))
    try:
        import soundfile  # noqa: F401
        import soxr  # noqa: F401
    except ImportError:
        print("cepstra demo reads audio files: pip install 'cepstra[io,plot]'")
        return EXIT_USAGE
    root = out or tempfile.mkdtemp(prefix="cepstra-demo-")
    os.makedirs(root, exist_ok=True)
    dataset = os.path.join(root, "features")
    try:
        import pyarrow  # noqa: F401

        fmt = "parquet"
    except ImportError:
        fmt = "npy"
    print(f"bundled recordings ({src}):")
    for c in clips:
        print(
            f"  {c}: {cepstra.get_duration(path=os.path.join(src, c)):.1f} s at "
            f"{cepstra.get_samplerate(os.path.join(src, c))} Hz"
        )
    print("steps:")
    from . import build_parser
    from .extract import run as extract_run

    argv = [
        "extract",
        src,
        "-o",
        dataset,
        "--feature",
        "mfcc",
        "--format",
        fmt,
        "--summary",
        "mean,var",
        "--quiet",
        "--resume",
    ]
    rc = _step(
        f"extract: mfcc of {len(clips)} files -> {fmt} dataset", lambda: extract_run(build_parser().parse_args(argv))
    )
    if rc != 0:
        print(f"extract failed (exit code {rc}); see {dataset}/failures.jsonl")
        return int(rc)
    png = os.path.join(root, "spectrogram.png")
    try:
        from .plot import render

        _step(f"plot: mel spectrogram of {clips[0]}", lambda: render(os.path.join(src, clips[0]), png))
    except ImportError:
        png = "(skipped: pip install 'cepstra[plot]' for the PNG)"
    y = example_signal(seconds)
    t_ours = _best_of(lambda: cepstra.feature.mfcc(y=y, sr=22050), repeat)
    speed = f"mfcc of {seconds:.0f} s of audio: cepstra {t_ours * 1e3:.1f} ms"
    try:
        import librosa

        t_ref = _best_of(lambda: librosa.feature.mfcc(y=y, sr=22050), repeat)
        speed += f", librosa {t_ref * 1e3:.1f} ms ({t_ref / t_ours:.1f}x)"
    except ImportError:
        pass
    print(speed)
    print("written:")
    print(
        f"  dataset     {dataset}  (manifest.jsonl, summary.csv, {'data/*.parquet' if fmt == 'parquet' else '*.npy'})"
    )
    print(f"  spectrogram {png}")
    print(f"recordings: see the .txt attribution beside each file in {src}")
    return EXIT_OK
