"""Music features against librosa (22.05 kHz, librosa defaults), one group per call, plus the
whole GTZAN-style script (the same rows as ``cepstra bench --music``).

Run: ``PYTHONPATH=python pytest benchmarks/bench_music_spectral.py --benchmark-only``
(single-threaded; CEPSTRA_BENCH_SECONDS sets the signal length).
"""

import pytest

import cepstra
from cepstra.cli.bench_music import ROWS, _call, gtzan_script

librosa = pytest.importorskip("librosa")

PATHS = [path for _, path, _ in ROWS]


@pytest.mark.parametrize("path", PATHS)
def test_cepstra(benchmark, y22, path):
    benchmark.group = f"music-{path}"
    benchmark(_call(cepstra, path, y22, 22050))


@pytest.mark.parametrize("path", PATHS)
def test_librosa(benchmark, y22, path):
    benchmark.group = f"music-{path}"
    benchmark(_call(librosa, path, y22, 22050))


def test_gtzan_script_cepstra(benchmark, y22):
    benchmark.group = "music-gtzan-script"
    benchmark(lambda: gtzan_script(cepstra, y22, 22050))


def test_gtzan_script_librosa(benchmark, y22):
    benchmark.group = "music-gtzan-script"
    benchmark(lambda: gtzan_script(librosa, y22, 22050))
