"""cepstra.fft.rfft / irfft (our own C++ FFT) against numpy.fft, plus exact FFT identities.

Sizes: every n in 1..512, every prime up to 8191, and a few large sizes.  Sizes
are checked in chunks (one test case per chunk) and a failure lists every
failing size of the chunk.
"""

import numpy as np
import pytest

import cepstra
from conftest import assert_close, primes_upto, tol_for

F32, F64 = np.float32, np.float64
C_OF = {F32: np.complex64, F64: np.complex128}
R_OF = {np.complex64: F32, np.complex128: F64}

SMALL = list(range(1, 513))
PRIMES = [p for p in primes_upto(8191) if p > 512]
LARGE = [2047, 4096, 4097, 65536, 65537, 3 * 5 * 7 * 11 * 13]


def chunks(seq, k):
    return [seq[i : i + k] for i in range(0, len(seq), k)]


def _signal(n, dtype, rows=3, seed=None):
    rng = np.random.default_rng(n if seed is None else seed)
    x = rng.standard_normal((rows, n)) + 0.5  # non-zero mean: DC bin is exercised
    return x.astype(dtype)


def _rel_err(actual, expected):
    scale = max(float(np.max(np.abs(expected))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(actual.astype(np.complex128) - expected.astype(np.complex128)))) / scale


def _check_sizes(sizes, dtype, rows):
    bad = []
    tol = tol_for(dtype)
    for n in sizes:
        x = _signal(n, dtype, rows)
        x0 = x.copy()
        X = cepstra.fft.rfft(x)
        E = np.fft.rfft(x)
        if X.shape != (rows, n // 2 + 1) or X.dtype != C_OF[dtype]:
            bad.append((n, f"shape/dtype {X.shape} {X.dtype}"))
            continue
        err = _rel_err(X, E)
        if not err <= tol:
            bad.append((n, f"rfft rel err {err:.2e}"))
        xr = cepstra.fft.irfft(E.astype(C_OF[dtype]), n)
        if xr.shape != (rows, n) or xr.dtype != dtype:
            bad.append((n, f"irfft shape/dtype {xr.shape} {xr.dtype}"))
            continue
        err = _rel_err(xr, np.fft.irfft(E.astype(C_OF[dtype]), n))
        if not err <= tol:
            bad.append((n, f"irfft rel err {err:.2e}"))
        if not np.array_equal(x, x0):
            bad.append((n, "input modified"))
    assert not bad, f"failing sizes: {bad[:20]}"


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("sizes", chunks(SMALL, 64), ids=lambda s: f"{s[0]}-{s[-1]}")
def test_rfft_small_sizes(sizes, dtype):
    _check_sizes(sizes, dtype, rows=3)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("sizes", chunks(PRIMES, 128), ids=lambda s: f"primes{s[0]}-{s[-1]}")
def test_rfft_primes(sizes, dtype):
    _check_sizes(sizes, dtype, rows=2)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n", LARGE)
def test_rfft_large(n, dtype):
    _check_sizes([n], dtype, rows=2)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_rfft_batch_shapes(dtype):
    """Leading axes are batch axes; the transform is over the last axis."""
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 30)).astype(dtype)
    X = cepstra.fft.rfft(x)
    assert X.shape == (2, 3, 4, 16) and X.dtype == C_OF[dtype]
    assert_close(X, np.fft.rfft(x), C_OF[dtype])
    x1 = x[0, 0, 0]
    assert_close(cepstra.fft.rfft(x1), np.fft.rfft(x1), C_OF[dtype])
    xr = cepstra.fft.irfft(X, 30)
    assert xr.shape == x.shape and xr.dtype == dtype
    assert_close(xr, x, dtype)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_rfft_non_contiguous(dtype):
    base = np.random.default_rng(1).standard_normal((4, 200)).astype(dtype)
    for x in (base[:, ::2], base[::2], np.asfortranarray(base), base[:, ::-1]):
        x0 = x.copy()
        assert_close(cepstra.fft.rfft(x), np.fft.rfft(x), C_OF[dtype])
        np.testing.assert_array_equal(x, x0)
    ro = base.copy()
    ro.setflags(write=False)
    assert_close(cepstra.fft.rfft(ro), np.fft.rfft(base), C_OF[dtype])
    assert not ro.flags.writeable


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n", [1, 2, 7, 8, 15, 16, 97, 100, 128, 1000, 1021])
def test_irfft_arbitrary_spectrum(n, dtype):
    """irfft of an arbitrary half spectrum equals numpy's: the imaginary part of the DC bin
    (and of the Nyquist bin when n is even) is ignored; for odd n the last bin is a full bin."""
    rng = np.random.default_rng(n)
    X = (rng.standard_normal((3, n // 2 + 1)) + 1j * rng.standard_normal((3, n // 2 + 1))).astype(C_OF[dtype])
    X0 = X.copy()
    out = cepstra.fft.irfft(X, n)
    assert out.dtype == dtype and out.shape == (3, n)
    assert_close(out, np.fft.irfft(X, n), dtype)
    np.testing.assert_array_equal(X, X0)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n", [1, 2, 3, 64, 257, 1000, 4096, 8191])
def test_round_trip(n, dtype):
    x = _signal(n, dtype, rows=2, seed=3)
    back = cepstra.fft.irfft(cepstra.fft.rfft(x), n)
    assert back.dtype == dtype
    assert_close(back, x, dtype)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n", [1, 2, 5, 64, 100, 509, 1024, 4099])
def test_parseval(n, dtype):
    """sum|x|^2 == (|X_0|^2 + 2 sum_k |X_k|^2 [+ |X_{n/2}|^2 for even n]) / n."""
    x = _signal(n, F64, rows=2, seed=4).astype(dtype)
    X = cepstra.fft.rfft(x).astype(np.complex128)
    P = np.abs(X) ** 2
    w = np.full(P.shape[-1], 2.0)
    w[0] = 1.0
    if n % 2 == 0 and n > 1:
        w[-1] = 1.0
    energy_f = (P * w).sum(axis=-1) / n
    energy_t = (x.astype(np.float64) ** 2).sum(axis=-1)
    np.testing.assert_allclose(energy_f, energy_t, rtol=1e-12 if dtype == F64 else 1e-5)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n", [12, 255, 512, 2039])
def test_linearity(n, dtype):
    rng = np.random.default_rng(n)
    a = rng.standard_normal(n).astype(dtype)
    b = rng.standard_normal(n).astype(dtype)
    alpha, beta = dtype(0.75), dtype(-2.5)
    lhs = cepstra.fft.rfft(alpha * a + beta * b)
    rhs = alpha * cepstra.fft.rfft(a) + beta * cepstra.fft.rfft(b)
    assert_close(lhs, rhs, C_OF[dtype], tol=10 * tol_for(dtype) if dtype == F32 else 1e-12)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_exact_known_transforms(dtype):
    """Impulse -> all ones; constant -> n at DC only; cosine at bin k -> n/2 at bin k."""
    n = 96
    d = np.zeros(n, dtype)
    d[0] = 1
    assert_close(cepstra.fft.rfft(d), np.ones(n // 2 + 1), C_OF[dtype], tol=1e-6 if dtype == F32 else 1e-14)
    c = np.ones(n, dtype)
    exp = np.zeros(n // 2 + 1)
    exp[0] = n
    assert_close(cepstra.fft.rfft(c), exp, C_OF[dtype], tol=1e-6 if dtype == F32 else 1e-13)
    k = 5
    cs = np.cos(2 * np.pi * k * np.arange(n) / n).astype(dtype)
    exp = np.zeros(n // 2 + 1)
    exp[k] = n / 2
    assert_close(cepstra.fft.rfft(cs), exp, C_OF[dtype], tol=1e-5 if dtype == F32 else 1e-12)
