"""Shared signals for the pytest-benchmark suite (run: pytest benchmarks --benchmark-only).

Every workload is one benchmark group holding cepstra and each installed reference library,
all fed the same array in the same run; compare with --benchmark-compare / the JSON output.
Single-threaded by default (CEPSTRA_BENCH_THREADS to change); signal length from
CEPSTRA_BENCH_SECONDS (default 60 s; the README's table uses 600 s via `python -m cepstra bench`).
"""

import os

import numpy as np
import pytest

import cepstra
from cepstra.cli.demo import example_signal

SECONDS = float(os.environ.get("CEPSTRA_BENCH_SECONDS", "60"))
THREADS = int(os.environ.get("CEPSTRA_BENCH_THREADS", "1"))


def pytest_configure(config):
    cepstra.set_num_threads(THREADS)
    try:
        import torch

        torch.set_num_threads(THREADS)
    except ImportError:
        pass


@pytest.fixture(scope="session")
def y22():
    return example_signal(SECONDS, 22050)


@pytest.fixture(scope="session")
def y16():
    return example_signal(SECONDS, 16000)


def frames_of(y, n_fft, hop, n_frames=None):
    """Windowed frames (n_frames, n_fft) float32, as an FFT-stage input."""
    f = cepstra.util.frame(np.pad(y, n_fft // 2), frame_length=n_fft, hop_length=hop).T
    if n_frames is not None:
        f = f[:n_frames]
    return np.ascontiguousarray(f * np.hanning(n_fft).astype(np.float32))
