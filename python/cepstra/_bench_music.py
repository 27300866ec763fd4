"""Rows of ``python -m cepstra bench`` for the music descriptors (music engineer A).

Wire-in: in the bench CLI's workload list call ``music_rows(add, y22)`` with its ``add(name,
target, ours, refs)`` helper and the 22.05 kHz float32 signal; the rows compare each function
with librosa on the same array, single-threaded, with the issue's target ratios.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

_Fn = Callable[[], object]

# (row name, cepstra.feature / librosa.feature function, target ratio)
MUSIC_ROWS: tuple[tuple[str, str, float], ...] = (
    ("spectral_centroid 22k", "spectral_centroid", 10.0),
    ("spectral_bandwidth 22k", "spectral_bandwidth", 10.0),
    ("spectral_rolloff 22k", "spectral_rolloff", 10.0),
    ("spectral_flatness 22k", "spectral_flatness", 10.0),
    ("spectral_contrast 22k", "spectral_contrast", 1.0),
    ("rms 22k", "rms", 10.0),
    ("zero_crossing_rate 22k", "zero_crossing_rate", 10.0),
    ("chroma_stft 22k", "chroma_stft", 10.0),
)

GTZAN_SPECTRAL = ["chroma_stft", "rms", "spectral_centroid", "spectral_bandwidth", "spectral_rolloff",
                  "zero_crossing_rate", "mfcc"]


def _call(module: Any, name: str, y: npt.NDArray[Any]) -> _Fn:
    fn = getattr(module, name)
    if name == "zero_crossing_rate":
        return lambda: fn(y)
    return lambda: fn(y=y)


def music_rows(add: Callable[..., None], y22: npt.NDArray[np.float32]) -> None:
    """Adds one row per descriptor plus the one-pass GTZAN spectral set (Features vs 7 librosa calls)."""
    import cepstra

    librosa: Any
    try:
        import librosa
    except ImportError:
        librosa = None
    for row, name, target in MUSIC_ROWS:
        add(row, target, _call(cepstra.feature, name, y22),
            [("librosa", _call(librosa.feature, name, y22)) if librosa else None])
    ex = cepstra.Features(GTZAN_SPECTRAL, sr=22050)

    def lib_set() -> None:
        assert librosa is not None
        for name in GTZAN_SPECTRAL:
            _call(librosa.feature, name, y22)()

    add("GTZAN spectral set (7 features)", 10.0, lambda: ex(y22), [("librosa", lib_set) if librosa else None])


def main(seconds: float = 30.0, repeat: int = 5) -> None:
    """Prints the rows as a table: ``python -m cepstra._bench_music [seconds]`` (one thread)."""
    import statistics
    import time

    import cepstra
    from ._demo import example_signal

    cepstra.set_num_threads(1)
    y22 = example_signal(seconds, 22050)

    def add(name: str, target: float, ours: _Fn, refs: list[Any]) -> None:
        for ref in refs:
            if ref is None:
                continue
            label, fn = ref[0], ref[1]
            ours()
            fn()
            a: list[float] = []
            b: list[float] = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                ours()
                a.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                fn()
                b.append(time.perf_counter() - t0)
            ta, tb = statistics.median(a), statistics.median(b)
            print(f"| {name:32s} | {ta * 1e3:9.2f} | {label} {tb * 1e3:9.2f} | {tb / ta:6.1f}x | {target:g}x |")

    print(f"| workload ({seconds:g} s, float32, 1 thread) | cepstra ms | reference ms | ratio | target |")
    print("|---|---|---|---|---|")
    music_rows(add, y22)


if __name__ == "__main__":
    import sys

    main(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0)
