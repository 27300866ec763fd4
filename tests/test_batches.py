"""Lists of signals of unequal lengths: one parallel call, each item equal to its own call."""

import numpy as np
import pytest

import cepstra


def _signals(dtype=np.float32):
    rng = np.random.default_rng(7)
    # lengths: shorter than n_fft, one frame, a few chunks of frames, one long
    return [(rng.standard_normal(n) * (i + 1)).astype(dtype) for i, n in enumerate((5, 511, 3000, 40000, 1234))]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["stft", "mel", "mfcc"])
def test_list_equals_items(kind, dtype):
    ys = _signals(dtype)
    if kind == "stft":
        ext = cepstra.STFT(n_fft=512, hop_length=128)
        single = [cepstra.stft(y, n_fft=512, hop_length=128) for y in ys]
    elif kind == "mel":
        ext = cepstra.MelSpectrogram(sr=16000, n_fft=512, hop_length=160, n_mels=40)
        single = [cepstra.feature.melspectrogram(y=y, sr=16000, n_fft=512, hop_length=160, n_mels=40) for y in ys]
    else:
        ext = cepstra.MFCC(sr=16000, n_fft=512, hop_length=160, n_mels=40, n_mfcc=13)
        single = [cepstra.feature.mfcc(y=y, sr=16000, n_fft=512, hop_length=160, n_mels=40, n_mfcc=13) for y in ys]
    out = ext(ys)
    assert isinstance(out, list) and len(out) == len(ys)
    for o, s, y in zip(out, single, ys):
        assert o.shape == s.shape and o.shape[-1] == 1 + len(y) // ext.hop_length
        np.testing.assert_array_equal(o, s)  # bit-identical: same kernels, same frames


def test_functional_list_matches_librosa_per_item():
    librosa = pytest.importorskip("librosa")
    ys = _signals(np.float64)
    out = cepstra.feature.mfcc(y=ys, sr=22050, n_fft=1024, hop_length=256)
    for o, y in zip(out, ys):
        ref = librosa.feature.mfcc(y=y, sr=22050, n_fft=1024, hop_length=256)
        assert np.max(np.abs(o - ref)) <= 1e-9 * np.max(np.abs(ref))


def test_pad_true_gives_padded_array_and_lengths():
    ys = _signals()
    ext = cepstra.MelSpectrogram(sr=16000, n_fft=400, hop_length=160, n_mels=80)
    feats, lengths = ext(ys, pad=True)
    single = ext(ys)
    assert feats.shape == (len(ys), 80, max(s.shape[-1] for s in single))
    assert lengths.dtype == np.int64 and list(lengths) == [s.shape[-1] for s in single]
    for i, s in enumerate(single):
        np.testing.assert_array_equal(feats[i, :, : lengths[i]], s)
        assert not feats[i, :, lengths[i] :].any()


def test_mixed_dtypes_and_multichannel_items():
    rng = np.random.default_rng(1)
    ys = [rng.standard_normal(3000).astype(np.float32), rng.standard_normal((2, 5000))]
    out = cepstra.MFCC(sr=22050, n_fft=512)(ys)
    assert out[0].dtype == np.float32 and out[0].shape == (20, 1 + 3000 // 512)
    assert out[1].dtype == np.float64 and out[1].shape == (2, 20, 1 + 5000 // 512)
    np.testing.assert_array_equal(out[1], cepstra.feature.mfcc(y=ys[1], n_fft=512))


def test_list_rejects_bad_item_naming_it():
    ys = [np.zeros(1000, np.float32), np.array([1.0, np.nan, 2.0] * 400, np.float32)]
    with pytest.raises(cepstra.ParameterError, match=r"y\[1\]"):
        cepstra.MFCC(sr=22050)(ys)
    with pytest.raises(cepstra.ParameterError, match="pad"):
        cepstra.MFCC(sr=22050)(np.zeros(1000, np.float32), pad=True)
