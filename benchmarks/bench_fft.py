"""The FFT stage alone: real FFT of windowed float32 frames, cepstra vs scipy.fft (workers=1) and numpy."""

import numpy as np
import pytest

import cepstra
from conftest import frames_of

SIZES = [256, 400, 512, 1024, 2048, 4096]


@pytest.fixture(scope="module", params=SIZES, ids=[f"n{n}" for n in SIZES])
def frames(request, y16):
    n = request.param
    return frames_of(y16, n, 160, n_frames=max(1000, (1 << 23) // n))


@pytest.mark.parametrize("lib", ["cepstra", "scipy", "numpy"])
def test_rfft_frames(benchmark, frames, lib):
    benchmark.group = f"rfft-n{frames.shape[1]}"
    if lib == "cepstra":
        benchmark(cepstra.fft.rfft, frames)
    elif lib == "scipy":
        scipy_fft = pytest.importorskip("scipy.fft")
        benchmark(lambda: scipy_fft.rfft(frames, workers=1))
    else:
        benchmark(np.fft.rfft, frames)
