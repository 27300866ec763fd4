"""Drop-in corners that librosa's own test suite checks (issue 14; scripts/librosa_gate):
stft(out=) semantics, the n_fft-too-large warning, dB conversion of numbers and integer arrays,
integer 0/1 flags."""

from __future__ import annotations

import tracemalloc

import librosa
import numpy as np
import pytest

import cepstra


@pytest.fixture(scope="module")
def y2() -> np.ndarray:
    return np.random.default_rng(3).standard_normal((2, 8192))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("center", [False, True])
@pytest.mark.parametrize("n_fft, hop", [(1023, 129), (1023, 128), (2048, 512)])
def test_stft_out_is_returned_and_matches_librosa(y2, dtype, center, n_fft, hop):
    y = y2.astype(dtype)
    ref = librosa.stft(y, n_fft=n_fft, hop_length=hop, center=center)
    out = np.full_like(ref, np.nan)
    D = cepstra.stft(y, n_fft=n_fft, hop_length=hop, center=center, out=out)
    assert D is out
    tol = 1e-4 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(out, ref, rtol=0, atol=tol * np.abs(ref).max())


def test_stft_out_writes_in_place_without_a_temporary():
    y = np.random.default_rng(0).standard_normal(1 << 17)
    D = cepstra.stft(y, n_fft=1024)
    out = np.empty_like(D)
    tracemalloc.start()
    try:
        cepstra.stft(y, n_fft=1024, out=out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < D.nbytes // 8  # a temporary result would be D.nbytes
    np.testing.assert_array_equal(out, D)


def test_stft_out_oversize_returns_a_view_and_leaves_the_rest(y2):
    D = cepstra.stft(y2, n_fft=512)
    big = np.full(D.shape[:-1] + (2 * D.shape[-1],), 7 + 7j)
    R = cepstra.stft(y2, n_fft=512, out=big)
    assert R.shape == D.shape and np.shares_memory(R, big)
    np.testing.assert_array_equal(big[..., : D.shape[-1]], D)
    assert np.all(big[..., D.shape[-1] :] == 7 + 7j)


def test_stft_out_fortran_order_and_other_complex_dtype(y2):
    D = cepstra.stft(y2, n_fft=512)
    F = np.asfortranarray(np.zeros_like(D))
    assert cepstra.stft(y2, n_fft=512, out=F) is F
    np.testing.assert_array_equal(F, D)
    c64 = np.zeros(D.shape, np.complex64)
    assert cepstra.stft(y2, n_fft=512, out=c64) is c64
    np.testing.assert_array_equal(c64, D.astype(np.complex64))


def test_stft_out_refusals(y2):
    D = cepstra.stft(y2, n_fft=512)
    with pytest.raises(cepstra.ParameterError, match=r"Shape mismatch.*out.shape=\(100, 10\)"):
        cepstra.stft(y2, n_fft=512, out=np.zeros((100, 10), complex))
    with pytest.raises(cepstra.ParameterError, match="Shape mismatch"):
        cepstra.stft(y2, n_fft=512, out=np.zeros(D.shape[:-1] + (D.shape[-1] - 1,), complex))
    with pytest.raises(cepstra.ParameterError, match="dtype=float32 is not of complex type"):
        cepstra.stft(y2, n_fft=512, out=np.zeros(D.shape, np.float32))
    ro = np.zeros_like(D)
    ro.flags.writeable = False
    with pytest.raises(cepstra.ParameterError, match="out is read-only"):
        cepstra.stft(y2, n_fft=512, out=ro)
    assert np.all(ro == 0)


def test_stft_warns_when_n_fft_exceeds_the_signal_as_librosa():
    y = np.zeros(128)
    with pytest.warns(UserWarning, match="n_fft=2048 is too large for input signal of length=128") as mine:
        cepstra.stft(y, n_fft=2048)
    with pytest.warns(UserWarning) as theirs:
        librosa.stft(y, n_fft=2048)
    assert str(mine[0].message) == str(theirs[0].message)
    assert mine[0].filename == __file__


@pytest.mark.parametrize("fn", ["power_to_db", "amplitude_to_db"])
@pytest.mark.parametrize("S", [2, 2.5, 1, np.float64(3.0)])
def test_db_of_numbers_is_librosas_scalar(fn, S):
    mine, ref = getattr(cepstra, fn)(S), getattr(librosa, fn)(S)
    assert type(mine) is type(ref) is np.float64
    assert mine == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("fn", ["power_to_db", "amplitude_to_db"])
def test_db_of_integer_arrays_and_0d(fn):
    S = np.array([[0, 1, 2, 300]], dtype=np.int32)  # int16 would overflow in librosa's squaring
    mine, ref = getattr(cepstra, fn)(S), getattr(librosa, fn)(S)
    assert mine.dtype == np.float64 and mine.shape == S.shape
    np.testing.assert_allclose(mine, ref, rtol=1e-12)
    z = getattr(cepstra, fn)(np.array(4.0))
    assert isinstance(z, np.ndarray) and z.shape == ()
    assert float(z) == pytest.approx(float(getattr(librosa, fn)(np.array(4.0))), rel=1e-12)


@pytest.mark.parametrize("flag", [np.uint8(1), np.int64(1), 1, np.bool_(True)])
def test_integer_one_is_a_true_flag(flag):
    np.testing.assert_array_equal(
        cepstra.filters.mel(sr=22050, n_fft=2048, htk=flag), cepstra.filters.mel(sr=22050, n_fft=2048, htk=True)
    )
    ref = librosa.filters.mel(sr=22050, n_fft=2048, htk=True)
    np.testing.assert_allclose(cepstra.filters.mel(sr=22050, n_fft=2048, htk=flag), ref, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("flag", [np.uint8(0), 0, np.int32(0)])
def test_integer_zero_is_a_false_flag(flag):
    y = np.random.default_rng(1).standard_normal(4096)
    np.testing.assert_array_equal(cepstra.stft(y, n_fft=512, center=flag), cepstra.stft(y, n_fft=512, center=False))


@pytest.mark.parametrize("flag", ["no", "True", 1.0, 0.0, 2, -1, None, [1]])
def test_other_flags_are_refused(flag):
    with pytest.raises(cepstra.ParameterError, match=r"htk=.* must be True or False \(or the integer 0 or 1\)"):
        cepstra.filters.mel(sr=22050, n_fft=2048, htk=flag)
