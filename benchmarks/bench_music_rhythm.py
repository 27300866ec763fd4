"""Music workloads, cepstra vs librosa in the same group: onset strength, beat tracking, HPSS
(on a spectrogram and end to end on audio) and Griffin-Lim (32 iterations).

Single-threaded by default (see conftest.py); librosa's numba kernels are compiled by a warm-up
call before timing.
"""

import numpy as np
import pytest

import cepstra

SR = 22050
SECONDS = 30.0


@pytest.fixture(scope="module")
def y30(y22):
    return np.ascontiguousarray(y22[: int(SECONDS * SR)])


@pytest.fixture(scope="module")
def stft30(y30):
    return cepstra.stft(y30)


def _lib():
    return pytest.importorskip("librosa")


@pytest.mark.parametrize("lib", ["cepstra", "librosa"])
def test_onset_strength(benchmark, y30, lib):
    benchmark.group = "onset_strength-30s"
    mod = cepstra if lib == "cepstra" else _lib()
    mod.onset.onset_strength(y=y30, sr=SR)
    benchmark(lambda: mod.onset.onset_strength(y=y30, sr=SR))


@pytest.mark.parametrize("lib", ["cepstra", "librosa"])
def test_beat_track(benchmark, y30, lib):
    benchmark.group = "beat_track-30s"
    mod = cepstra if lib == "cepstra" else _lib()
    mod.beat.beat_track(y=y30, sr=SR)
    benchmark(lambda: mod.beat.beat_track(y=y30, sr=SR))


@pytest.mark.parametrize("lib", ["cepstra", "librosa"])
def test_decompose_hpss(benchmark, stft30, lib):
    benchmark.group = "decompose.hpss-30s"
    mod = cepstra if lib == "cepstra" else _lib()
    benchmark.pedantic(lambda: mod.decompose.hpss(stft30), rounds=3, iterations=1)


@pytest.mark.parametrize("lib", ["cepstra", "librosa"])
def test_effects_hpss(benchmark, y30, lib):
    benchmark.group = "effects.hpss-30s"
    mod = cepstra if lib == "cepstra" else _lib()
    benchmark.pedantic(lambda: mod.effects.hpss(y30), rounds=3, iterations=1)


@pytest.mark.parametrize("lib", ["cepstra", "librosa"])
def test_griffinlim(benchmark, stft30, lib):
    benchmark.group = "griffinlim32-30s"
    mod = cepstra if lib == "cepstra" else _lib()
    S = np.abs(stft30)
    benchmark.pedantic(lambda: mod.griffinlim(S, n_iter=32, random_state=0), rounds=2, iterations=1)
