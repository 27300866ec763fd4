"""Frame/time conversions and stack_memory against librosa 0.11."""

import librosa
import numpy as np
import pytest

import cepstra
from cepstra import ParameterError


@pytest.mark.parametrize("kw", [dict(), dict(hop_length=256), dict(hop_length=300, n_fft=2048), dict(n_fft=1023)])
def test_frame_sample_conversions(kw):
    frames = np.array([0, 1, 7, 100, 1291])
    samples = np.array([0, 1, 511, 512, 1024, 99999, -5])
    for fn, x in (("frames_to_samples", frames), ("samples_to_frames", samples)):
        ours, ref = getattr(cepstra, fn)(x, **kw), getattr(librosa, fn)(x, **kw)
        np.testing.assert_array_equal(ours, ref)
        assert ours.dtype == ref.dtype
        assert getattr(cepstra, fn)(int(x[2]), **kw) == getattr(librosa, fn)(int(x[2]), **kw)


@pytest.mark.parametrize("sr", [22050, 16000, 44100.0])
def test_time_conversions(sr):
    times = np.array([0.0, 0.01, 0.5, 1.2345678, 30.0])
    for kw in (dict(), dict(hop_length=128, n_fft=1024)):
        for fn, x in (("frames_to_time", np.arange(10)), ("time_to_frames", times)):
            ours, ref = getattr(cepstra, fn)(x, sr=sr, **kw), getattr(librosa, fn)(x, sr=sr, **kw)
            np.testing.assert_array_equal(ours, ref)
            assert ours.dtype == ref.dtype
    np.testing.assert_array_equal(cepstra.time_to_samples(times, sr=sr), librosa.time_to_samples(times, sr=sr))
    np.testing.assert_array_equal(
        cepstra.samples_to_time([0, 5, 22050], sr=sr), librosa.samples_to_time([0, 5, 22050], sr=sr)
    )


@pytest.mark.parametrize("kw", [dict(), dict(sr=16000, hop_length=160, n_fft=400), dict(axis=0)])
def test_times_like_samples_like(kw):
    X = np.zeros((12, 37))
    np.testing.assert_array_equal(cepstra.times_like(X, **kw), librosa.times_like(X, **kw))
    skw = {k: v for k, v in kw.items() if k != "sr"}
    np.testing.assert_array_equal(cepstra.samples_like(X, **skw), librosa.samples_like(X, **skw))
    np.testing.assert_array_equal(cepstra.times_like(37), librosa.times_like(37))


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(n_steps=3),
        dict(n_steps=4, delay=-2),
        dict(delay=3, mode="edge"),
        dict(n_steps=3, mode="constant", constant_values=-1.0),
        dict(n_steps=1),
    ],
)
def test_stack_memory(kw):
    rng = np.random.default_rng(1)
    for data in (rng.standard_normal((5, 20)), rng.standard_normal((2, 3, 9)).astype(np.float32), np.arange(7.0)):
        ours, ref = cepstra.feature.stack_memory(data, **kw), librosa.feature.stack_memory(data, **kw)
        np.testing.assert_array_equal(ours, ref)
        assert ours.dtype == ref.dtype


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cepstra.frames_to_time([1, 2], hop_length=0), "hop_length"),
        (lambda: cepstra.samples_to_time([1], sr=0), "sr"),
        (lambda: cepstra.frames_to_samples([1], n_fft=-4), "n_fft"),
        (lambda: cepstra.times_like(np.zeros((2, 3)), axis=5), "axis"),
        (lambda: cepstra.times_like(-3), "X"),
        (lambda: cepstra.feature.stack_memory(np.zeros((2, 3)), n_steps=0), "n_steps"),
        (lambda: cepstra.feature.stack_memory(np.zeros((2, 3)), delay=0), "delay"),
        (lambda: cepstra.feature.stack_memory(np.zeros((2, 0))), "no columns"),
    ],
)
def test_validation(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_type_error():
    with pytest.raises(TypeError, match="frames"):
        cepstra.frames_to_time(["a"])
