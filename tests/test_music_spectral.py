"""Spectral descriptors, chroma and pitch tracking against librosa 0.11 (numbers, shapes, dtypes)."""

import warnings

import librosa
import numpy as np
import pytest

import cepstra
from cepstra import ParameterError
from music_ref import check, clip, synthetic

SIGNALS = {
    "vibe_ace": lambda: clip("vibe_ace_5s.ogg"),
    "trumpet": lambda: clip("trumpet.ogg"),
    "synthetic": lambda: synthetic(),
}

STFT_GRID = [
    dict(),
    dict(n_fft=1024, hop_length=256),
    dict(n_fft=512, hop_length=128, win_length=400, window="hamming"),
    dict(n_fft=2048, hop_length=512, center=False),
    dict(n_fft=1024, hop_length=300, pad_mode="reflect"),
]

DESCRIPTORS = {
    "spectral_centroid": dict(),
    "spectral_bandwidth": dict(),
    "spectral_rolloff": dict(),
    "spectral_flatness": dict(),
    "spectral_contrast": dict(),
    "poly_features": dict(),
    "chroma_stft": dict(),
}

EXTRA = [
    ("spectral_bandwidth", dict(p=3, norm=False)),
    ("spectral_bandwidth", dict(p=1.5)),
    ("spectral_rolloff", dict(roll_percent=0.5)),
    ("spectral_rolloff", dict(roll_percent=0.99)),
    ("spectral_flatness", dict(power=1.0, amin=1e-6)),
    ("spectral_contrast", dict(fmin=100.0, n_bands=5, quantile=0.1)),
    ("spectral_contrast", dict(linear=True)),
    ("poly_features", dict(order=2)),
    ("poly_features", dict(order=0)),
    ("chroma_stft", dict(tuning=0.25, n_chroma=24)),
    ("chroma_stft", dict(norm=2, octwidth=None, base_c=False)),
    ("chroma_stft", dict(norm=None, tuning=0.0)),
]


@pytest.fixture(scope="module", params=list(SIGNALS))
def signal(request):
    return SIGNALS[request.param]()


def _both(name, y, **kw):
    ours = getattr(cepstra.feature, name)
    ref = getattr(librosa.feature, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return (ours(y=y, **kw), ref(y=y, **kw), ours(y=y.astype(np.float32), **kw), ref(y=y.astype(np.float32), **kw))


@pytest.mark.parametrize("name", list(DESCRIPTORS))
@pytest.mark.parametrize("grid", range(len(STFT_GRID)))
def test_descriptor_grid(signal, name, grid):
    check(name, *_both(name, signal, **STFT_GRID[grid]))


@pytest.mark.parametrize("case", range(len(EXTRA)))
def test_descriptor_options(signal, case):
    name, kw = EXTRA[case]
    check(name, *_both(name, signal, **kw))


@pytest.mark.parametrize("name", list(DESCRIPTORS))
def test_descriptor_from_S(name):
    y = clip("trumpet.ogg")
    power = 2.0 if name == "chroma_stft" else 1.0
    S = np.abs(librosa.stft(y, n_fft=1024, hop_length=256)) ** power
    kw = {} if name == "spectral_flatness" else dict(sr=22050)
    ours = getattr(cepstra.feature, name)(S=S, **kw)
    ref = getattr(librosa.feature, name)(S=S, **kw)
    check(name + "(S)", ours, ref)


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(frame_length=1024, hop_length=256),
        dict(center=False),
        dict(pad_mode="reflect"),
        dict(dtype=np.float64),
    ],
)
def test_rms(signal, kw):
    check("rms", *_both("rms", signal, **kw))


def test_rms_from_S():
    y = clip("vibe_ace_5s.ogg")
    S = np.abs(librosa.stft(y, n_fft=1024))
    check("rms(S)", cepstra.feature.rms(S=S, frame_length=1024), librosa.feature.rms(S=S, frame_length=1024))
    S = librosa.stft(y, n_fft=1023)  # odd frame length, complex input
    check(
        "rms(S)",
        cepstra.feature.rms(S=S, frame_length=1023, dtype=np.float64),
        librosa.feature.rms(S=S, frame_length=1023, dtype=np.float64),
    )


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(frame_length=1024, hop_length=256),
        dict(center=False),
        dict(threshold=0.01),
        dict(zero_pos=False),
        dict(pad=True),
        dict(threshold=0.1, ref_magnitude=np.max),
    ],
)
def test_zero_crossing_rate(signal, kw):
    ours = cepstra.feature.zero_crossing_rate
    ref = librosa.feature.zero_crossing_rate
    check(
        "zero_crossing_rate",
        ours(signal, **kw),
        ref(signal, **kw),
        ours(signal.astype(np.float32), **kw),
        ref(signal.astype(np.float32), **kw),
    )


def test_zero_crossing_rate_exact_zeros():
    y = np.array([0.0, 1.0, -1.0, 0.0, 0.0, 2.0, -0.0, 1e-12, -3.0] * 50)
    for kw in (dict(), dict(zero_pos=False), dict(threshold=0.0)):
        np.testing.assert_array_equal(
            cepstra.feature.zero_crossing_rate(y, frame_length=8, hop_length=3, **kw),
            librosa.feature.zero_crossing_rate(y, frame_length=8, hop_length=3, **kw),
        )


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(fmin=50.0, fmax=2000.0, threshold=0.2),
        dict(ref=0.5),
        dict(n_fft=1024, hop_length=256),
        dict(ref=np.mean),
    ],
)
def test_piptrack(signal, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p64, m64 = cepstra.piptrack(y=signal, **kw)
        rp64, rm64 = librosa.piptrack(y=signal, **kw)
        p32, m32 = cepstra.piptrack(y=signal.astype(np.float32), **kw)
        rp32, rm32 = librosa.piptrack(y=signal.astype(np.float32), **kw)
    check("piptrack.pitches", p64, rp64)
    check("piptrack.mags", m64, rm64)
    # float32: the same peaks, pitches and magnitudes to float32 rounding
    np.testing.assert_array_equal(p32 > 0, rp32 > 0)
    np.testing.assert_allclose(p32, rp32, rtol=2e-5, atol=1e-3)
    np.testing.assert_allclose(m32, rm32, rtol=1e-4, atol=1e-5 * float(np.max(rm64)))


@pytest.mark.parametrize("kw", [dict(), dict(resolution=0.05), dict(bins_per_octave=24), dict(n_fft=1024)])
def test_estimate_tuning(signal, kw):
    assert cepstra.estimate_tuning(y=signal, **kw) == librosa.estimate_tuning(y=signal, **kw)
    assert cepstra.estimate_tuning(y=signal.astype(np.float32), **kw) == librosa.estimate_tuning(
        y=signal.astype(np.float32), **kw
    )


def test_pitch_tuning():
    f = 440.0 * 2.0 ** (np.array([0.1, 0.12, 0.1, 3.1, -7.9, 12.11]) / 12)
    for kw in (dict(), dict(resolution=0.02), dict(bins_per_octave=36)):
        assert cepstra.pitch_tuning(f, **kw) == librosa.pitch_tuning(f, **kw)
    with pytest.warns(UserWarning, match="empty frequency set"):
        assert cepstra.pitch_tuning([0.0, -1.0]) == 0.0


@pytest.mark.parametrize(
    "kw",
    [
        dict(sr=22050, n_fft=2048),
        dict(sr=16000, n_fft=1024, tuning=-0.2, n_chroma=24),
        dict(sr=44100, n_fft=4096, ctroct=3.0, octwidth=None, norm=None),
        dict(sr=22050, n_fft=999, norm=np.inf, base_c=False, dtype=np.float64),
    ],
)
def test_chroma_filter(kw):
    ours, ref = cepstra.filters.chroma(**kw), librosa.filters.chroma(**kw)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-6 if ref.dtype == np.float32 else 1e-12, atol=0)


def test_multichannel_and_lists():
    y = np.stack([clip("trumpet.ogg")[:30000], synthetic(30000)])
    for name in ("spectral_centroid", "spectral_rolloff", "chroma_stft", "rms", "spectral_contrast"):
        ours = getattr(cepstra.feature, name)(y=y)
        ref = getattr(librosa.feature, name)(y=y)
        check(name + "(multichannel)", ours, ref)
        listed = getattr(cepstra.feature, name)(y=[y[0], y[1, :20000]])
        assert isinstance(listed, list) and len(listed) == 2
        check(name + "(list)", listed[1], getattr(librosa.feature, name)(y=y[1, :20000]))
    zc = cepstra.feature.zero_crossing_rate([y[0], y[1]])
    np.testing.assert_array_equal(zc[0], librosa.feature.zero_crossing_rate(y[0]))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cepstra.feature.spectral_centroid(), "y or S"),
        (lambda: cepstra.feature.spectral_centroid(S=-np.ones((5, 4))), "non-negative"),
        (lambda: cepstra.feature.spectral_rolloff(y=np.ones(4096), roll_percent=1.5), "roll_percent"),
        (lambda: cepstra.feature.spectral_flatness(y=np.ones(4096), amin=0), "amin"),
        (lambda: cepstra.feature.spectral_contrast(y=np.ones(4096), n_bands=0), "n_bands"),
        (lambda: cepstra.feature.spectral_contrast(y=np.ones(4096), fmin=3000.0), "fmin"),
        (lambda: cepstra.feature.spectral_contrast(y=np.ones(4096), quantile=1.0), "quantile"),
        (lambda: cepstra.feature.spectral_bandwidth(y=np.ones(4096), p=0), "p="),
        (lambda: cepstra.feature.poly_features(y=np.ones(4096), order=-1), "order"),
        (lambda: cepstra.feature.rms(y=np.ones(4096), frame_length=0), "frame_length"),
        (lambda: cepstra.feature.rms(S=np.ones((10, 3)), frame_length=2048), "frame_length"),
        (lambda: cepstra.feature.rms(y=np.ones(100), center=False), "frame_length"),
        (lambda: cepstra.feature.zero_crossing_rate(np.ones(4096), hop_length=-1), "hop_length"),
        (lambda: cepstra.feature.zero_crossing_rate(np.array([1.0, np.nan] * 3000)), "NaN"),
        (lambda: cepstra.feature.chroma_stft(y=np.ones(4096), n_chroma=0), "n_chroma"),
        (lambda: cepstra.feature.chroma_stft(y=np.ones(4096), norm="x"), "norm"),
        (lambda: cepstra.feature.spectral_centroid(y=np.ones(4096), n_fft=0), "n_fft"),
        (lambda: cepstra.filters.chroma(sr=22050, n_fft=2048, octwidth=0), "octwidth"),
        (lambda: cepstra.pitch_tuning([440.0], resolution=0), "resolution"),
        (lambda: cepstra.piptrack(y=np.ones(4096), sr=-1), "sr"),
    ],
)
def test_validation(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_type_errors():
    with pytest.raises(TypeError, match="y"):
        cepstra.feature.spectral_centroid(y=np.arange(4096))
    with pytest.raises(TypeError, match="y"):
        cepstra.feature.rms(y="audio")


def test_input_not_modified():
    y = synthetic(20000)
    keep = y.copy()
    S = np.abs(librosa.stft(y))
    S_keep = S.copy()
    cepstra.feature.chroma_stft(y=y)
    cepstra.feature.rms(S=S)
    cepstra.feature.spectral_bandwidth(S=S)
    np.testing.assert_array_equal(y, keep)
    np.testing.assert_array_equal(S, S_keep)
