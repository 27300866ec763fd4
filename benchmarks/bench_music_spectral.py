"""Music descriptors against librosa (22.05 kHz, librosa defaults), one group per function.

Run: ``PYTHONPATH=python pytest benchmarks/bench_music_spectral.py --benchmark-only``
(single-threaded; CEPSTRA_BENCH_SECONDS sets the signal length).
"""

import pytest

import cepstra
from cepstra._bench_music import GTZAN_SPECTRAL, MUSIC_ROWS, _call

librosa = pytest.importorskip("librosa")

NAMES = [name for _, name, _ in MUSIC_ROWS]


@pytest.mark.parametrize("name", NAMES)
def test_cepstra(benchmark, y22, name):
    benchmark.group = f"music-{name}"
    benchmark(_call(cepstra.feature, name, y22))


@pytest.mark.parametrize("name", NAMES)
def test_librosa(benchmark, y22, name):
    benchmark.group = f"music-{name}"
    benchmark(_call(librosa.feature, name, y22))


def test_gtzan_set_cepstra(benchmark, y22):
    benchmark.group = "music-gtzan-spectral-set"
    ex = cepstra.Features(GTZAN_SPECTRAL, sr=22050)
    benchmark(lambda: ex(y22))


def test_gtzan_set_librosa(benchmark, y22):
    benchmark.group = "music-gtzan-spectral-set"

    def run():
        for name in GTZAN_SPECTRAL:
            _call(librosa.feature, name, y22)()

    benchmark(run)
