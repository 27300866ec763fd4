"""cepstra.Features (one STFT pass) equals the separate calls; summary gives flat per-file stats."""

import librosa
import numpy as np
import pytest

import cepstra
from cepstra import ParameterError
from music_ref import clip, synthetic

GTZAN = [
    "chroma_stft",
    "rms",
    "spectral_centroid",
    "spectral_bandwidth",
    "spectral_rolloff",
    "zero_crossing_rate",
    "mfcc",
]
ALL = GTZAN + ["melspectrogram", "spectral_contrast", "spectral_flatness", "poly_features"]


def _separate(name, y, **kw):
    fn = getattr(cepstra.feature, name)
    return fn(y, **kw) if name == "zero_crossing_rate" else fn(y=y, **kw)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_features_equal_separate_calls(dtype):
    y = clip("vibe_ace_5s.ogg").astype(dtype)
    out = cepstra.Features(ALL, sr=22050)(y)
    assert list(out) == ALL
    tol = 1e-12 if dtype == np.float64 else 1e-6
    for name in ALL:
        ref = _separate(name, y)
        assert out[name].shape == ref.shape and out[name].dtype == ref.dtype, name
        np.testing.assert_allclose(out[name], ref, rtol=0, atol=tol * float(np.max(np.abs(ref))), err_msg=name)


def test_features_params_routed():
    y = synthetic()
    kw = dict(n_fft=1024, hop_length=256, n_mfcc=13, roll_percent=0.9, n_chroma=24)
    out = cepstra.Features(GTZAN, sr=22050, **kw)(y)
    np.testing.assert_allclose(
        out["mfcc"],
        librosa.feature.mfcc(y=y, n_fft=1024, hop_length=256, n_mfcc=13),
        rtol=0,
        atol=1e-6 * float(np.max(np.abs(out["mfcc"]))),
    )
    np.testing.assert_array_equal(
        out["spectral_rolloff"], cepstra.feature.spectral_rolloff(y=y, n_fft=1024, hop_length=256, roll_percent=0.9)
    )
    np.testing.assert_array_equal(out["rms"], librosa.feature.rms(y=y, frame_length=1024, hop_length=256))
    np.testing.assert_array_equal(
        out["zero_crossing_rate"], librosa.feature.zero_crossing_rate(y, frame_length=1024, hop_length=256)
    )
    assert out["chroma_stft"].shape[0] == 24
    frames = {v.shape[-1] for v in out.values()}
    assert frames == {1 + len(y) // 256}


def test_features_lists_and_multichannel():
    a, b = clip("trumpet.ogg"), synthetic(30000)
    ex = cepstra.Features(["spectral_centroid", "rms"], sr=22050)
    outs = ex([a, b])
    assert isinstance(outs, list) and len(outs) == 2
    np.testing.assert_array_equal(outs[1]["rms"], librosa.feature.rms(y=b))
    stereo = np.stack([a[:30000], b])
    out = ex(stereo)
    assert out["spectral_centroid"].shape == (2, 1, 1 + 30000 // 512)
    np.testing.assert_allclose(out["spectral_centroid"][1], librosa.feature.spectral_centroid(y=b), rtol=1e-9)


def test_summary():
    y = synthetic()
    feats = cepstra.Features(GTZAN, sr=22050)(y)
    s = cepstra.feature.summary(feats)
    assert list(s)[:4] == ["chroma_stft_mean", "chroma_stft_var", "rms_mean", "rms_var"]
    np.testing.assert_allclose(s["mfcc_mean"], feats["mfcc"].astype(np.float64).mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(s["chroma_stft_var"], feats["chroma_stft"].var(axis=1), rtol=1e-12)
    assert np.concatenate(list(s.values())).shape == (2 * (12 + 1 + 1 + 1 + 1 + 1 + 20),)
    s2 = cepstra.feature.summary({"tempo": np.array([120.0]), "rms": feats["rms"]}, stats=("max", "median"))
    assert list(s2) == ["tempo", "rms_max", "rms_median"]
    assert s2["rms_max"][0] == np.max(feats["rms"])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cepstra.Features(["nope"]), "nope"),
        (lambda: cepstra.Features([]), "empty"),
        (lambda: cepstra.Features("rms"), "names"),
        (lambda: cepstra.Features(["rms", "rms"]), "duplicates"),
        (lambda: cepstra.Features(["rms"], n_mfcc=13), "n_mfcc"),
        (lambda: cepstra.Features(["rms"], sr=0), "sr"),
        (lambda: cepstra.Features(["rms"])(np.array([np.inf, 1.0])), "NaN or infinite"),
        (lambda: cepstra.feature.summary({"x": np.zeros((2, 3))}, stats=("mode",)), "mode"),
        (lambda: cepstra.feature.summary([1, 2]), "dict"),
        (lambda: cepstra.feature.summary({"x": np.zeros((2, 0))}), "no frames"),
    ],
)
def test_validation(call, match):
    with pytest.raises(ParameterError, match=match):
        call()
