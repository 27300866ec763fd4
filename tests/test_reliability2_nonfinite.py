"""Issue 13, items 5 and 6: NaN and overflow propagate, as in the references; never a finite
number computed from an overflow or a NaN.

Contract (all of cepstra): inputs that are finite but whose power overflows the dtype give
inf/NaN outputs exactly where the reference (librosa, Kaldi, Whisper's torch code) gives them;
the decibel functions propagate NaN as numpy does.
"""

import warnings

import numpy as np
import pytest

import cepstra

librosa = pytest.importorskip("librosa")

FMAX32 = np.finfo(np.float32).max


def quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return f(*a, **k)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("top_db", [80.0, None])
def test_power_to_db_propagates_nan(dtype, top_db):
    S = np.array([1.0, np.nan, 100.0], dtype)
    ours = cepstra.power_to_db(S, top_db=top_db)
    ref = quiet(librosa.power_to_db, S, top_db=top_db)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
    assert np.isnan(ours[1])
    if top_db is None:
        np.testing.assert_allclose(ours[[0, 2]], [0.0, 20.0], atol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_power_to_db_nan_reference(dtype):
    S = np.array([1.0, np.nan, 100.0], dtype)
    ours = cepstra.power_to_db(S, ref=np.max, top_db=None)
    ref = quiet(librosa.power_to_db, S, ref=np.max, top_db=None)
    assert np.isnan(ours).all() and np.isnan(ref).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_amplitude_to_db_propagates_nan_and_inf(dtype):
    S = np.array([1.0, np.nan, 100.0, np.inf], dtype)
    ours = cepstra.amplitude_to_db(S, top_db=None)
    ref = quiet(librosa.amplitude_to_db, S, top_db=None)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
    np.testing.assert_array_equal(np.isposinf(ours), np.isposinf(ref))
    np.testing.assert_allclose(ours[[0, 2]], ref[[0, 2]], atol=1e-4)


def spike_signal(dtype):
    y = np.random.default_rng(1).standard_normal(22050).astype(dtype) * 0.1
    y[5000] = 1e30 if dtype == np.float32 else 1e200
    return y


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mfcc_of_an_overflowing_spike_is_not_finite(dtype):
    y = spike_signal(dtype)
    ours = cepstra.feature.mfcc(y=y, sr=22050)
    ref = quiet(librosa.feature.mfcc, y=y, sr=22050)
    # librosa's top_db floor is max - 80 = inf: every value is non-finite there.
    assert not np.isfinite(ref).any()
    np.testing.assert_array_equal(np.isfinite(ours), np.isfinite(ref))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_melspectrogram_overflow_matches_reference_pattern(dtype):
    y = spike_signal(dtype)
    ours = cepstra.feature.melspectrogram(y=y, sr=22050)
    ref = quiet(librosa.feature.melspectrogram, y=y, sr=22050)
    assert not np.isfinite(ref).all()
    np.testing.assert_array_equal(np.isfinite(ours), np.isfinite(ref))
    # ... and its dB (top_db floor = inf - 80) is non-finite everywhere, as librosa's.
    assert not np.isfinite(cepstra.power_to_db(ours)).any()
    assert not np.isfinite(quiet(librosa.power_to_db, ref)).any()


def full_scale_square():
    m = np.full(16000, FMAX32, np.float32)
    m[::2] *= -1
    return m


def test_kaldi_fbank_at_float32_max_is_not_the_silence_floor():
    out = cepstra.kaldi.fbank(full_scale_square())
    # Before: every value was ln(FLT_EPSILON) (Kaldi's silence floor) or ln(FLT_MAX).
    assert not np.isfinite(out).any()


def test_kaldi_huge_dither_is_not_finite():
    y = np.random.default_rng(0).standard_normal(16000)
    out = cepstra.kaldi.fbank(y, dither=1e308)
    assert not np.isfinite(out).any()


def test_kaldi_mfcc_overflow_not_finite():
    out = cepstra.kaldi.mfcc(full_scale_square())
    assert not np.isfinite(out).any()


def test_whisper_at_float32_max_is_not_the_minimum():
    out = cepstra.whisper.log_mel_spectrogram(full_scale_square())
    # torch propagates NaN through log10 and max: everything is NaN.
    assert np.isnan(out).all()
