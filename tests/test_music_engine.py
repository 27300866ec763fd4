"""The C++ descriptor kernels: bit-identical for any thread count, lists in one pass, and equal
to the numpy reference path (which the librosa comparisons also cover)."""

import librosa
import numpy as np
import pytest

import cepstra
from cepstra.feature import _fast
from music_ref import clip, synthetic

pytestmark = pytest.mark.skipif(not _fast.available(), reason="extension built without the descriptor kernels")

NAMES = ("centroid", "bandwidth", "rolloff", "flatness")


@pytest.fixture
def restore_threads():
    n = cepstra.get_num_threads()
    yield
    cepstra.set_num_threads(n)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bit_identical_across_threads(restore_threads, dtype):
    y = np.stack([clip("vibe_ace_5s.ogg")[:70000], synthetic(70000)]).astype(dtype)
    results = []
    for n in (1, 2, 4):
        cepstra.set_num_threads(n)
        res = _fast.spectral(y, NAMES, n_fft=1024, hop_length=256)
        results.append(
            [res[k] for k in NAMES]
            + [cepstra.feature.rms(y=y), cepstra.feature.zero_crossing_rate(y), cepstra.feature.chroma_stft(y=y)]
        )
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(n_fft=512, hop_length=100, window="hamming", center=False),
        dict(n_fft=1000, win_length=800, pad_mode="reflect"),
    ],
)
def test_engine_equals_numpy_path(kw):
    y = clip("trumpet.ogg")
    freq = np.fft.rfftfreq(kw.get("n_fft", 2048), 1 / 22050)
    for name in ("spectral_centroid", "spectral_bandwidth", "spectral_rolloff"):
        fn = getattr(cepstra.feature, name)
        fast, ref = fn(y=y, **kw), fn(y=y, freq=freq, **kw)  # an explicit freq takes the numpy path
        np.testing.assert_allclose(fast, ref, rtol=1e-12, atol=1e-9)
    fast = cepstra.feature.spectral_flatness(y=y, **kw)
    S = np.abs(cepstra.stft(y, **{"hop_length": 512, **kw}))
    np.testing.assert_allclose(fast, cepstra.feature.spectral_flatness(S=S), rtol=1e-12, atol=0)


def test_engine_lists_and_multichannel():
    a, b = clip("trumpet.ogg"), synthetic(30000)
    out = cepstra.feature.spectral_centroid(y=[a, b])
    np.testing.assert_allclose(out[1], librosa.feature.spectral_centroid(y=b), rtol=1e-9)
    stereo = np.stack([a[:30000], b]).astype(np.float32)
    np.testing.assert_array_equal(cepstra.feature.rms(y=stereo)[1], librosa.feature.rms(y=stereo[1]))
    np.testing.assert_array_equal(
        cepstra.feature.zero_crossing_rate(stereo)[0], librosa.feature.zero_crossing_rate(stereo[0])
    )


def test_rms_bit_exact_small_frames():
    y = synthetic(5000).astype(np.float32)
    for fl in (1, 5, 8, 9, 127, 128, 129, 300):
        np.testing.assert_array_equal(
            cepstra.feature.rms(y=y, frame_length=fl, hop_length=3),
            librosa.feature.rms(y=y, frame_length=fl, hop_length=3),
        )


def test_silent_frames():
    y = np.zeros(8192)
    y[5000:5100] = 1.0
    for name in ("spectral_centroid", "spectral_bandwidth", "spectral_rolloff", "spectral_flatness"):
        for dt in (np.float32, np.float64):
            ours = getattr(cepstra.feature, name)(y=y.astype(dt))
            ref = getattr(librosa.feature, name)(y=y.astype(dt))
            np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6 * float(np.max(np.abs(ref))))


@pytest.mark.parametrize("frame_length, hop", [(2048, 512), (8, 3), (5, 5), (4, 9), (1, 1), (300, 299)])
def test_zero_crossings_sliding_counts(frame_length, hop):
    y = synthetic(6000)
    y[100:140] = 0.0
    for dt in (np.float32, np.float64):
        np.testing.assert_array_equal(
            cepstra.feature.zero_crossing_rate(y.astype(dt), frame_length=frame_length, hop_length=hop),
            librosa.feature.zero_crossing_rate(y.astype(dt), frame_length=frame_length, hop_length=hop),
        )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_contrast_and_chroma_bit_identical_across_threads(restore_threads, dtype):
    y = np.stack([clip("vibe_ace_5s.ogg")[:70000], synthetic(70000)]).astype(dtype)
    results = []
    for n in (1, 2, 4):
        cepstra.set_num_threads(n)
        results.append(
            [
                cepstra.feature.spectral_contrast(y=y),
                cepstra.feature.spectral_contrast(y=y, quantile=0.4, n_fft=1024),
                cepstra.feature.chroma_stft(y=y, n_fft=1024, hop_length=256),
            ]
        )
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "frame_length, hop", [(2048, 512), (256, 128), (4096, 512), (1024, 384), (512, 100), (128, 256)]
)
@pytest.mark.parametrize("center, pad_mode", [(True, "constant"), (True, "reflect"), (False, "constant")])
def test_rms_leaves_and_padding_bit_exact(frame_length, hop, center, pad_mode):
    # the shared 128-sample leaves (frame_length = 128 * 2^k, hop a multiple of 128) and the
    # zero padding read by the kernel instead of a padded copy
    y = synthetic(9000)
    for dt in (np.float32, np.float64):
        for out_dt in (np.float32, np.float64):
            kw = dict(frame_length=frame_length, hop_length=hop, center=center, pad_mode=pad_mode, dtype=out_dt)
            np.testing.assert_array_equal(
                cepstra.feature.rms(y=y.astype(dt), **kw), librosa.feature.rms(y=y.astype(dt), **kw)
            )


@pytest.mark.parametrize(
    "kw",
    [dict(), dict(n_fft=1024, hop_length=256, quantile=0.3), dict(fmin=100.0, n_bands=5, linear=True)],
)
def test_contrast_engine_equals_numpy_path(kw):
    y = clip("trumpet.ogg")
    freq = np.fft.rfftfreq(kw.get("n_fft", 2048), 1 / 22050)
    for dt in (np.float32, np.float64):
        fast = cepstra.feature.spectral_contrast(y=y.astype(dt), **kw)
        ref = cepstra.feature.spectral_contrast(y=y.astype(dt), freq=freq, **kw)  # freq: the numpy path
        scale = float(np.max(np.abs(ref)))
        np.testing.assert_allclose(fast, ref, rtol=0, atol=(1e-6 if dt == np.float32 else 1e-12) * scale)


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_rms_rejects_non_finite_anywhere(center, bad):
    # the fast path checks finiteness through its output and the samples past the last frame
    from cepstra.exceptions import ParameterError

    n = 5100
    for pos in (0, 1, n // 2, n - 300, n - 2, n - 1):
        y = synthetic(n).astype(np.float32)
        y[pos] = bad
        with pytest.raises(ParameterError, match="y contains NaN or infinite values"):
            cepstra.feature.rms(y=y, center=center)
    huge = np.full(5000, 3e19, np.float32)  # finite, but its squares overflow: librosa's inf
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(cepstra.feature.rms(y=huge), librosa.feature.rms(y=huge))
