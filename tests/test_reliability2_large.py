"""Issue 13, item 3: large transforms run one frame at a time (memory O(n_fft) per thread, not
O(n_fft x SIMD lanes)), with the same numbers as the reference."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import cepstra
from conftest import assert_close


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [2**16, 2**17 + 6, 2**18 - 5, 3 * 5 * 7 * 11 * 13 * 17])
def test_large_rfft_matches_numpy(n, dtype):
    x = np.random.default_rng(n).standard_normal(n).astype(dtype)
    ours = cepstra.fft.rfft(x)
    ref = np.fft.rfft(x.astype(np.float64)).astype(np.complex64 if dtype == np.float32 else np.complex128)
    assert_close(ours, ref, ours.dtype, tol=1e-4 if dtype == np.float32 else 1e-9)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_stft_matches_scipy_and_small_path(dtype):
    scipy_fft = pytest.importorskip("scipy.fft")
    n_fft = 2**16
    y = np.random.default_rng(3).standard_normal(3 * n_fft).astype(dtype)
    ours = cepstra.stft(y, n_fft=n_fft, hop_length=n_fft // 2, center=False, window="hann")
    win = np.hanning(n_fft + 1)[:-1]  # periodic hann
    frames = np.lib.stride_tricks.sliding_window_view(y.astype(np.float64), n_fft)[:: n_fft // 2]
    ref = scipy_fft.rfft(frames * win, axis=-1).T
    assert_close(ours, ref.astype(ours.dtype), ours.dtype, tol=1e-4 if dtype == np.float32 else 1e-9)
    inv = cepstra.istft(ours, hop_length=n_fft // 2, center=False, window="hann", length=y.size)
    # interior samples are covered by two frames: exact reconstruction there
    mid = slice(n_fft // 2, y.size - n_fft // 2)
    np.testing.assert_allclose(inv[mid], y[mid], atol=1e-3 if dtype == np.float32 else 1e-9)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_large_stft_peak_memory():
    code = textwrap.dedent("""
        import numpy as np
        import cepstra
        from cepstra._engine import core
        core.set_num_threads(2)
        x = np.zeros((2, 2**20), np.float32)
        with open("/proc/self/statm") as f:
            base = int(f.read().split()[1]) * 4096 / 2**20
        out = cepstra.stft(x, n_fft=2**20, center=False)
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
        with open("/proc/self/status") as f:
            peak = [int(ln.split()[1]) for ln in f if ln.startswith("VmHWM")][0] / 1024
        print("PEAK", peak - base)
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    peak = float(proc.stdout.split("PEAK")[1])
    # Output 8 MB; per thread 4 x (one 4 MB frame + one 4 MB output row) = 32 MB; the plan
    # (~30 MB of tables) and allocator slack on top: 75-130 MB measured. Was 921 MB (one frame
    # per SIMD lane), 3.65 GB at n_fft 2**22.
    assert peak < 300, peak
