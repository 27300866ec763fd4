"""cepstra.fft.rfft / irfft on every SIMD path this CPU can run, against numpy.fft.

test_fft.py sweeps every size on the default path; the paths differ in pack width (and so in
which lanes a ragged last block leaves empty), so every radix, Bluestein (small and inside the
one-frame large path) and the large path itself are checked here on each path.
"""

import numpy as np
import pytest

import cepstra
from conftest import tol_for

F32, F64 = np.float32, np.float64
C_OF = {F32: np.complex64, F64: np.complex128}

# every radix and small Bluestein; sizes whose buffers leave L1 and L2; the one-frame path
SIZES = list(range(1, 41)) + [64, 97, 125, 256, 343, 1000, 1024, 2048, 2401, 4096, 6000, 8192, 12000]
SIZES += [16384, 16382, 32768, 65536, 65537]


def _rel_err(actual, expected):
    scale = max(float(np.max(np.abs(expected))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(actual.astype(np.complex128) - expected.astype(np.complex128)))) / scale


@pytest.mark.parametrize("dtype", [F32, F64])
def test_rfft_irfft_every_path(isa, dtype):
    bad = []
    tol = tol_for(dtype)
    for n in SIZES:
        # more rows than the widest pack, and a ragged last block
        rows = 19 if n <= 16384 else 2
        x = (np.random.default_rng(n).standard_normal((rows, n)) + 0.5).astype(dtype)
        E = np.fft.rfft(x.astype(np.float64))
        err = _rel_err(cepstra.fft.rfft(x), E)
        if not err <= tol:
            bad.append((n, f"rfft {err:.2e}"))
        back = cepstra.fft.irfft(E.astype(C_OF[dtype]), n)
        err = _rel_err(back, x.astype(np.float64))
        if not err <= tol:
            bad.append((n, f"irfft {err:.2e}"))
    assert not bad, f"{isa}: failing sizes {bad}"


@pytest.mark.parametrize("n", [2048, 8192, 16384])
def test_rows_independent_of_block(isa, n):
    """A row's spectrum does not depend on which lane or block it lands in (thread counts)."""
    x = np.random.default_rng(n).standard_normal((21, n)).astype(np.float32)
    full = cepstra.fft.rfft(x)
    for r in (0, 7, 20):
        np.testing.assert_array_equal(cepstra.fft.rfft(x[r : r + 1])[0], full[r])
