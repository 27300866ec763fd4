"""Onset strength, onset detection, tempograms, tempo and beat tracking against librosa 0.11."""

import warnings

import numpy as np
import pytest

import cepstra
from cepstra import beat, onset
from cepstra.feature import rhythm
from music_common import SR, assert_like_librosa, click_track, load_clip

librosa = pytest.importorskip("librosa")


@pytest.fixture(scope="module")
def clip64():
    return load_clip(8.0).astype(np.float64)


@pytest.fixture(scope="module")
def clicks():
    return click_track(bpm=132.0)


# ------------------------------------------------------------------ onset strength

ONSET_GRID = [
    {},
    {"lag": 2},
    {"max_size": 3},
    {"max_size": 4, "lag": 3},
    {"detrend": True},
    {"center": False},
    {"aggregate": np.median},
    {"n_mels": 64, "fmax": 8000.0},
    {"hop_length": 256, "n_fft": 1024},
]


@pytest.mark.parametrize("kw", ONSET_GRID, ids=lambda k: ",".join(k) or "default")
def test_onset_strength_music(clip64, kw):
    assert_like_librosa(
        lambda x: onset.onset_strength(y=x, sr=SR, **kw),
        lambda x: librosa.onset.onset_strength(y=x, sr=SR, **kw),
        clip64,
        label="onset_strength",
    )


def test_onset_strength_synthetic(clicks):
    assert_like_librosa(
        lambda x: onset.onset_strength(y=x, sr=SR),
        lambda x: librosa.onset.onset_strength(y=x, sr=SR),
        clicks,
        label="onset_strength",
    )


def test_onset_strength_from_S_and_multichannel(clip64):
    S = librosa.power_to_db(librosa.feature.melspectrogram(y=clip64, sr=SR))
    np.testing.assert_allclose(
        onset.onset_strength(S=S, sr=SR), librosa.onset.onset_strength(S=S, sr=SR), rtol=0, atol=1e-12
    )
    y2 = np.stack([clip64[: SR * 3], clip64[SR : SR * 4]])
    ours = onset.onset_strength(y=y2, sr=SR)
    ref = librosa.onset.onset_strength(y=y2, sr=SR)
    assert ours.shape == ref.shape == (2, ref.shape[-1])
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize("channels", [[0, 32, 64, 128], [10, 40], [slice(0, 20), slice(50, 128)]])
def test_onset_strength_multi(clip64, channels):
    kw = {"channels": channels}
    assert_like_librosa(
        lambda x: onset.onset_strength_multi(y=x, sr=SR, **kw),
        lambda x: librosa.onset.onset_strength_multi(y=x, sr=SR, **kw),
        clip64,
        label="onset_strength_multi",
    )


def test_onset_strength_multi_no_aggregate(clip64):
    y = clip64[: SR * 2]
    ours = onset.onset_strength_multi(y=y, sr=SR, aggregate=False)
    ref = librosa.onset.onset_strength_multi(y=y, sr=SR, aggregate=False)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"units": "time"},
        {"units": "samples", "backtrack": True},
        {"delta": 0.2, "wait": 4},
        {"normalize": False},
        {"pre_max": 2.5, "post_avg": 7},
    ],
)
def test_onset_detect(clip64, dtype, kw):
    x = clip64.astype(dtype)
    ours = onset.onset_detect(y=x, sr=SR, **kw)
    ref = librosa.onset.onset_detect(y=x, sr=SR, **kw)
    assert ours.dtype == ref.dtype
    np.testing.assert_array_equal(ours, ref)
    assert len(ref) > 5


def test_onset_detect_dense_and_backtrack_energy(clip64):
    env = librosa.onset.onset_strength(y=clip64, sr=SR)
    np.testing.assert_array_equal(
        onset.onset_detect(onset_envelope=env, sr=SR, sparse=False),
        librosa.onset.onset_detect(onset_envelope=env, sr=SR, sparse=False),
    )
    rms = librosa.feature.rms(y=clip64)[0]
    np.testing.assert_array_equal(
        onset.onset_detect(onset_envelope=env, sr=SR, backtrack=True, energy=rms),
        librosa.onset.onset_detect(onset_envelope=env, sr=SR, backtrack=True, energy=rms),
    )


def test_onset_detect_silence_is_empty():
    z = np.zeros(SR)
    assert onset.onset_detect(y=z, sr=SR).shape == (0,)
    assert librosa.onset.onset_detect(y=z, sr=SR).shape == (0,)


# ------------------------------------------------------------------ tempograms and tempo


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"win_length": 200},
        {"center": False, "win_length": 200},
        {"norm": None},
        {"norm": 2},
        {"window": "hamming", "win_length": 101},
    ],
)
def test_tempogram(clip64, kw):
    assert_like_librosa(
        lambda x: rhythm.tempogram(y=x, sr=SR, **kw),
        lambda x: librosa.feature.tempogram(y=x, sr=SR, **kw),
        clip64,
        label="tempogram",
    )


@pytest.mark.parametrize("kw", [{}, {"win_length": 128}, {"center": False, "win_length": 64}])
def test_fourier_tempogram(clip64, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # librosa: n_fft too large for a short envelope
        assert_like_librosa(
            lambda x: rhythm.fourier_tempogram(y=x, sr=SR, **kw),
            lambda x: librosa.feature.fourier_tempogram(y=x, sr=SR, **kw),
            clip64,
            label="fourier_tempogram",
        )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"start_bpm": 80},
        {"std_bpm": 0.5},
        {"ac_size": 4.0},
        {"max_tempo": None},
        {"max_tempo": 140.0},
        {"aggregate": None},
        {"aggregate": np.median},
        {"hop_length": 256},
    ],
)
def test_tempo(clip64, dtype, kw):
    x = clip64.astype(dtype)
    ours = rhythm.tempo(y=x, sr=SR, **kw)
    ref = librosa.feature.tempo(y=x, sr=SR, **kw)
    assert ours.shape == ref.shape and ours.dtype == ref.dtype
    np.testing.assert_allclose(ours, ref, rtol=1e-6)


def test_tempo_synthetic_and_prior(clicks):
    scipy_stats = pytest.importorskip("scipy.stats")
    ref = librosa.feature.tempo(y=clicks, sr=SR)
    np.testing.assert_allclose(rhythm.tempo(y=clicks, sr=SR), ref, rtol=1e-6)
    assert abs(ref[0] - 132.0) < 5
    prior = scipy_stats.uniform(30, 300)
    np.testing.assert_allclose(
        rhythm.tempo(y=clicks, sr=SR, prior=prior), librosa.feature.tempo(y=clicks, sr=SR, prior=prior), rtol=1e-6
    )


def test_tempo_frequencies():
    np.testing.assert_array_equal(
        rhythm.tempo_frequencies(10, sr=SR, hop_length=256), librosa.tempo_frequencies(10, sr=SR, hop_length=256)
    )
    np.testing.assert_allclose(
        rhythm.fourier_tempo_frequencies(sr=SR, win_length=100),
        librosa.fourier_tempo_frequencies(sr=SR, win_length=100),
        rtol=1e-15,
    )


# ------------------------------------------------------------------ beat tracking

BEAT_GRID = [
    {},
    {"tightness": 0.3},
    {"tightness": 400, "trim": False},
    {"start_bpm": 60},
    {"units": "time"},
    {"units": "samples"},
    {"hop_length": 256},
    {"bpm": 100.0},
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kw", BEAT_GRID, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "default")
def test_beat_track_music(clip64, dtype, kw):
    x = clip64.astype(dtype)
    t_ours, b_ours = beat.beat_track(y=x, sr=SR, **kw)
    t_ref, b_ref = librosa.beat.beat_track(y=x, sr=SR, **kw)
    np.testing.assert_allclose(t_ours, t_ref, rtol=1e-6)
    assert b_ours.dtype == b_ref.dtype
    np.testing.assert_array_equal(b_ours, b_ref)
    assert b_ref.size > 5


@pytest.mark.parametrize("bpm", [92.0, 132.0, 181.0])
def test_beat_track_synthetic(bpm):
    y = click_track(bpm=bpm)
    t_ours, b_ours = beat.beat_track(y=y, sr=SR)
    t_ref, b_ref = librosa.beat.beat_track(y=y, sr=SR)
    np.testing.assert_allclose(t_ours, t_ref, rtol=1e-6)
    np.testing.assert_array_equal(b_ours, b_ref)


def test_beat_track_time_varying_tempo_and_dense(clip64):
    env = librosa.onset.onset_strength(y=clip64, sr=SR, aggregate=np.median)
    local = librosa.feature.tempo(onset_envelope=env, sr=SR, aggregate=None)
    np.testing.assert_array_equal(
        beat.beat_track(onset_envelope=env, sr=SR, bpm=local)[1],
        librosa.beat.beat_track(onset_envelope=env, sr=SR, bpm=local)[1],
    )
    env2 = np.stack([env, env[::-1].copy()])
    t_o, b_o = beat.beat_track(onset_envelope=env2, sr=SR, sparse=False)
    t_r, b_r = librosa.beat.beat_track(onset_envelope=env2, sr=SR, sparse=False)
    np.testing.assert_allclose(t_o, t_r, rtol=1e-6)
    np.testing.assert_array_equal(b_o, b_r)


def test_beat_track_numpy_reference_equals_kernel(clip64):
    """The numpy transcription of librosa's numba kernels and the C++ kernel agree bit for bit."""
    env = librosa.onset.onset_strength(y=clip64, sr=SR, aggregate=np.median)
    for fpb in (np.array([43.0]), np.full(env.shape, 40.0)):
        norm = env / (env.std(ddof=1) + np.finfo(env.dtype).tiny)
        a = beat._track_one(norm, fpb, np.float32(100), True, native=True)
        b = beat._track_one(norm, fpb, np.float32(100), True, native=False)
        np.testing.assert_array_equal(a, b)
        assert a.sum() > 5


def test_beat_track_silence():
    tempo, beats = beat.beat_track(y=np.zeros(SR), sr=SR)
    assert tempo == 0.0 and beats.shape == (0,)


# ------------------------------------------------------------------ validation


def test_rhythm_validation(clip64):
    y = clip64[:SR]
    with pytest.raises(cepstra.ParameterError, match="lag"):
        onset.onset_strength(y=y, sr=SR, lag=0)
    with pytest.raises(cepstra.ParameterError, match="max_size"):
        onset.onset_strength(y=y, sr=SR, max_size=-1)
    with pytest.raises(cepstra.ParameterError, match="aggregate"):
        onset.onset_strength(y=y, sr=SR, aggregate=False)
    with pytest.raises(cepstra.ParameterError, match="y or S"):
        onset.onset_strength(sr=SR)
    with pytest.raises(cepstra.ParameterError, match="ref.shape"):
        onset.onset_strength(S=np.ones((4, 10)), ref=np.ones((3, 10)))
    with pytest.raises(cepstra.ParameterError, match="units"):
        onset.onset_detect(y=y, sr=SR, units="beats")
    with pytest.raises(cepstra.ParameterError, match="pre_max"):
        onset.onset_detect(y=y, sr=SR, pre_max=-1)
    with pytest.raises(cepstra.ParameterError, match="unexpected keyword"):
        onset.onset_detect(y=y, sr=SR, bogus=1)
    with pytest.raises(cepstra.ParameterError, match="win_length"):
        rhythm.tempogram(y=y, sr=SR, win_length=0)
    with pytest.raises(cepstra.ParameterError, match="start_bpm"):
        rhythm.tempo(y=y, sr=SR, start_bpm=0)
    with pytest.raises(cepstra.ParameterError, match="tightness"):
        beat.beat_track(y=clip64, sr=SR, tightness=0)
    with pytest.raises(cepstra.ParameterError, match="bpm"):
        beat.beat_track(y=clip64, sr=SR, bpm=-5.0)
    with pytest.raises(cepstra.ParameterError, match="sparse"):
        beat.beat_track(onset_envelope=np.ones((2, 100)), sr=SR)
    with pytest.raises(cepstra.ParameterError, match="units"):
        beat.beat_track(y=clip64, sr=SR, units="bars")
    with pytest.raises(cepstra.ParameterError, match="onset_envelope"):
        beat.beat_track(onset_envelope=np.array([1.0, np.nan, 2.0]), sr=SR)
    with pytest.raises(TypeError, match="onset_envelope"):
        rhythm.tempo(onset_envelope=np.arange(10), sr=SR)


def test_inputs_not_modified(clip64):
    y = clip64[: SR * 2].copy()
    env = librosa.onset.onset_strength(y=y, sr=SR)
    y0, env0 = y.copy(), env.copy()
    onset.onset_strength(y=y, sr=SR)
    onset.onset_detect(onset_envelope=env, sr=SR)
    beat.beat_track(onset_envelope=env, sr=SR)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(env, env0)
