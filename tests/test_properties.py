"""Exact mathematical properties of cepstra's transforms (no librosa involved)."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cepstra
from conftest import SR, assert_close, make_batch, make_signal, tol_for

F32, F64 = np.float32, np.float64
C_OF = {F32: np.complex64, F64: np.complex128}


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n_fft", [256, 257, 1000])
def test_parseval_stft_boxcar(n_fft, dtype):
    """With a boxcar window and hop == n_fft (uncentred), the frames tile the signal, so the
    spectral energy (with one-sided weights) equals the signal energy."""
    n_frames = 5
    y = make_signal(n_fft * n_frames, dtype=dtype)
    S = cepstra.stft(y, n_fft=n_fft, hop_length=n_fft, window="boxcar", center=False)
    assert S.shape == (n_fft // 2 + 1, n_frames)
    P = np.abs(S.astype(np.complex128)) ** 2
    w = np.full(P.shape[0], 2.0)
    w[0] = 1.0
    if n_fft % 2 == 0:
        w[-1] = 1.0
    energy_f = (w @ P) / n_fft  # per frame
    energy_t = (y.astype(np.float64).reshape(n_frames, n_fft) ** 2).sum(axis=1)
    np.testing.assert_allclose(energy_f, energy_t, rtol=1e-12 if dtype == F64 else 1e-5)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("center,pad_mode", [(True, "constant"), (False, "constant"), (True, "reflect")])
def test_stft_linearity(dtype, center, pad_mode):
    """stft(a*x + b*z) == a*stft(x) + b*stft(z) (padding modes used here are linear)."""
    x = make_signal(3000, seed=1, dtype=dtype)
    z = make_signal(3000, seed=2, dtype=dtype)
    a, b = dtype(1.5), dtype(-0.25)
    kw = dict(n_fft=512, hop_length=100, center=center, pad_mode=pad_mode)
    lhs = cepstra.stft(a * x + b * z, **kw)
    rhs = a * cepstra.stft(x, **kw) + b * cepstra.stft(z, **kw)
    assert_close(lhs, rhs, C_OF[dtype], tol=1e-12 if dtype == F64 else 1e-5)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("n_fft", [256, 512, 1021])
def test_istft_round_trip_hann(n_fft, center, dtype):
    """istft(stft(y)) == y for hann with hop = n_fft/4 (perfect reconstruction).

    Uncentred, the first/last n_fft samples are only partially covered (the window
    sum there approaches zero), so only the fully covered interior is compared."""
    hop = n_fft // 4
    n = 4000 if center else n_fft + 40 * hop
    y = make_signal(n, dtype=dtype)
    S = cepstra.stft(y, n_fft=n_fft, hop_length=hop, center=center)
    back = cepstra.istft(S, hop_length=hop, n_fft=n_fft, center=center, length=n)
    assert back.dtype == dtype and back.shape == y.shape
    if center:
        assert_close(back, y, dtype, tol=1e-12 if dtype == F64 else 1e-5)
    else:
        sl = slice(n_fft, n - n_fft)
        assert_close(back[sl], y[sl], dtype, tol=1e-12 if dtype == F64 else 1e-5)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_istft_round_trip_batch(dtype):
    y = make_batch((2, 2, 3000), dtype=dtype)
    S = cepstra.stft(y, n_fft=512, hop_length=128)
    back = cepstra.istft(S, hop_length=128, length=3000)
    assert back.shape == y.shape
    assert_close(back, y, dtype, tol=1e-12 if dtype == F64 else 1e-5)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hop=st.integers(1, 120),
    overlap=st.sampled_from([2, 3, 4, 8]),
    extra=st.integers(0, 700),
    window=st.sampled_from(["hann", "hamming", "blackman"]),
    dtype=st.sampled_from([F32, F64]),
)
def test_istft_round_trip_hypothesis(hop, overlap, extra, window, dtype):
    """Centred round trip for arbitrary n_fft = overlap * hop (odd sizes included): istft
    divides by the overlap-added squared window, which is non-zero everywhere here."""
    n_fft = hop * overlap
    n = n_fft + extra
    y = make_signal(n, seed=n, dtype=dtype)
    S = cepstra.stft(y, n_fft=n_fft, hop_length=hop, window=window)
    back = cepstra.istft(S, n_fft=n_fft, hop_length=hop, window=window, length=n)
    assert back.shape == y.shape and back.dtype == dtype
    assert_close(back, y, dtype, tol=1e-10 if dtype == F64 else 1e-4)


@pytest.mark.parametrize(
    "sr,n_fft,n_mels,fmin,fmax,htk,norm",
    [
        (22050, 2048, 128, 0.0, None, False, "slaney"),
        (16000, 400, 40, 20.0, 7600.0, True, None),
        (8000, 256, 26, 0.0, 4000.0, False, 2.0),
        (44100, 1021, 60, 100.0, None, True, 1.0),
    ],
)
def test_mel_filterbank_properties(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    """Rows are non-negative triangles: each row is unimodal and (for these grids) non-empty."""
    M = cepstra.filters.mel(
        sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm, dtype=np.float64
    )
    assert M.shape == (n_mels, 1 + n_fft // 2)
    assert np.all(M >= 0)
    assert np.all(M.max(axis=1) > 0)
    freqs = cepstra.fft_frequencies(sr=sr, n_fft=n_fft)
    fmax_ = sr / 2 if fmax is None else fmax
    assert np.all(M[:, (freqs < fmin) | (freqs > fmax_)] == 0)
    for row in M:
        nz = np.flatnonzero(row)
        seg = row[nz[0] : nz[-1] + 1]
        peak = np.argmax(seg)
        assert np.all(np.diff(seg[: peak + 1]) >= 0) and np.all(np.diff(seg[peak:]) <= 0)
    if isinstance(norm, float):
        np.testing.assert_allclose(np.linalg.norm(M, ord=norm, axis=1), 1.0, rtol=1e-12)
    # row centres increase with the mel index
    centres = np.argmax(M, axis=1)
    assert np.all(np.diff(centres) >= 0)


def test_mel_frequencies_monotonic_and_endpoints():
    for htk in (False, True):
        f = cepstra.mel_frequencies(50, fmin=30.0, fmax=8000.0, htk=htk)
        assert f.shape == (50,)
        assert np.all(np.diff(f) > 0)
        np.testing.assert_allclose([f[0], f[-1]], [30.0, 8000.0], rtol=1e-9)


FRAME_COUNT_CASES = [
    (n_fft, hop, length)
    for n_fft in (256, 257, 400, 1021, 2048)
    for hop in (1, 100, 128, 300, 2048, 5000)
    for length in (2048, 3000, 3001)
    if hop > 1 or length == 2048  # hop=1 gives thousands of frames: one length is enough
]


@pytest.mark.parametrize("n_fft,hop,length", FRAME_COUNT_CASES)
def test_frame_count_formulas(n_fft, hop, length):
    """Frames: centred 1 + (len + 2*(n_fft//2) - n_fft)//hop, i.e. 1 + len//hop for even n_fft
    and 1 + (len-1)//hop for odd n_fft; uncentred 1 + (len - n_fft)//hop.

    Only shapes are computed here, on a tiny number of bins per call."""
    y = np.zeros(length)
    centred = cepstra.stft(y, n_fft=n_fft, hop_length=hop, center=True)
    assert centred.shape == (1 + n_fft // 2, 1 + (length + 2 * (n_fft // 2) - n_fft) // hop)
    if n_fft % 2 == 0:
        assert centred.shape[1] == 1 + length // hop
    uncentred = cepstra.stft(y, n_fft=n_fft, hop_length=hop, center=False)
    assert uncentred.shape == (1 + n_fft // 2, 1 + (length - n_fft) // hop)


@pytest.mark.parametrize("n_fft,hop", [(512, 128), (400, 160), (1021, 256)])
def test_feature_frame_counts_and_shapes(n_fft, hop):
    y = make_batch((2, 3, 3000))
    n_frames = 1 + (3000 + 2 * (n_fft // 2) - n_fft) // hop
    M = cepstra.feature.melspectrogram(y=y, sr=SR, n_fft=n_fft, hop_length=hop, n_mels=32)
    assert M.shape == (2, 3, 32, n_frames) and M.dtype == np.float64
    C = cepstra.feature.mfcc(y=y.astype(F32), sr=SR, n_fft=n_fft, hop_length=hop, n_mels=32, n_mfcc=7)
    assert C.shape == (2, 3, 7, n_frames) and C.dtype == F32
    # a batch computed at once equals each channel computed alone (no top_db coupling here)
    for i in range(2):
        for j in range(3):
            assert_close(
                M[i, j],
                cepstra.feature.melspectrogram(y=y[i, j], sr=SR, n_fft=n_fft, hop_length=hop, n_mels=32),
                F64,
                tol=1e-12,
            )


def test_stft_of_zeros_is_zero():
    S = cepstra.stft(np.zeros(2000), n_fft=512)
    assert S.dtype == np.complex128 and np.all(S == 0)


def test_stft_dc_signal_exact():
    """A constant signal (uncentred, boxcar) has DC = n_fft * c and no other content."""
    c = 0.25
    S = cepstra.stft(np.full(1024, c), n_fft=256, hop_length=256, window="boxcar", center=False)
    np.testing.assert_allclose(S[0].real, 256 * c, rtol=1e-13)
    np.testing.assert_allclose(np.abs(S[1:]), 0.0, atol=1e-12)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_power_to_db_properties(dtype):
    S = (10.0 ** np.random.default_rng(0).uniform(-12, 2, size=(30, 20))).astype(dtype)
    D = cepstra.power_to_db(S, ref=np.max, top_db=80.0)
    assert D.dtype == dtype
    assert abs(float(D.max())) <= 1e-4  # ref=max -> the maximum maps to 0 dB
    np.testing.assert_allclose(D.min(), -80.0, atol=1e-4)  # clipped at top_db below the max
    D0 = cepstra.power_to_db(S, top_db=None)
    np.testing.assert_allclose(
        D0, 10 * np.log10(np.maximum(S.astype(np.float64), 1e-10)), atol=1e-9 if dtype == F64 else 5e-3
    )
    A = cepstra.amplitude_to_db(np.sqrt(S), top_db=None)
    # amplitude_to_db(a) == power_to_db(a**2) with amin squared
    np.testing.assert_allclose(
        A, 10 * np.log10(np.maximum(S.astype(np.float64), 1e-10)), atol=1e-9 if dtype == F64 else 5e-3
    )


def test_mfcc_zero_lifter_equals_no_lifter_and_truncation():
    """n_mfcc truncates: the first k MFCCs do not depend on n_mfcc."""
    y = make_signal(3000)
    a = cepstra.feature.mfcc(y=y, sr=SR, n_fft=512, n_mfcc=20)
    b = cepstra.feature.mfcc(y=y, sr=SR, n_fft=512, n_mfcc=7)
    assert a.shape[0] == 20 and b.shape[0] == 7
    assert_close(b, a[:7], F64, tol=1e-13)


def test_tol_helper():
    assert tol_for(F64) < tol_for(F32)


def test_delta_constant_is_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = cepstra.feature.delta(np.full((5, 30), 3.0), width=7, order=1)
    np.testing.assert_allclose(d, 0.0, atol=1e-12)
