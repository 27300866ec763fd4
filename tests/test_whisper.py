"""cepstra.whisper.log_mel_spectrogram must equal openai-whisper's log_mel_spectrogram.

The reference below is whisper's published recipe (whisper/audio.py) written with numpy in
float64: periodic Hann(400), torch.stft(center=True, pad_mode="reflect") framing, |X|^2 with
the last frame dropped, librosa's Slaney mel filters stored as float32 (whisper's
mel_filters.npz), log10(clamp(1e-10)), max - 8 floor, (x + 4) / 4. HF's
WhisperFeatureExtractor is compared too when transformers is installed.
"""

import numpy as np
import pytest

import cepstra
from cepstra import ParameterError
from conftest import make_signal

librosa = pytest.importorskip("librosa")

N_FFT, HOP, SR = 400, 160, 16000


def whisper_reference(audio, n_mels=80, padding=0, batch_max=False):
    """openai-whisper's log_mel_spectrogram in numpy (float64), for (n,) or (batch, n)."""
    x = np.asarray(audio, dtype=np.float64)
    single = x.ndim == 1
    x = np.atleast_2d(x)
    if padding:
        x = np.pad(x, [(0, 0), (0, padding)])
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)  # torch.hann_window(400)
    padded = np.pad(x, [(0, 0), (N_FFT // 2, N_FFT // 2)], mode="reflect")
    n_frames = 1 + x.shape[-1] // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    stft = np.fft.rfft(padded[:, idx] * window, axis=-1)  # (batch, frames, 201)
    magnitudes = np.abs(stft[:, :-1]) ** 2  # last frame dropped
    filters = librosa.filters.mel(sr=SR, n_fft=N_FFT, n_mels=n_mels).astype(np.float32).astype(np.float64)
    mel = np.einsum("mk,bfk->bmf", filters, magnitudes)
    log_spec = np.log10(np.maximum(mel, 1e-10))
    mx = log_spec.max() if batch_max else log_spec.max(axis=(1, 2), keepdims=True)
    log_spec = np.maximum(log_spec, mx - 8.0)
    out = (log_spec + 4.0) / 4.0
    return out[0] if single else out


def audio(n, seed=0, quiet_part=True):
    """Speech-scale audio in [-1, 1] with a very quiet stretch, so that the max - 8 floor bites."""
    y = 0.3 * make_signal(n, sr=SR, seed=seed)
    if quiet_part:
        y[n // 4: n // 2] *= 1e-5
    return y


# float32 (whisper's own precision) against the float64 reference: the values are ~[-1, 2];
# ~1.5e-5 is reached (30 s clips, every ISA path);
# the difference is float32 rounding, largest just above the floor
TOL = {np.float32: 5e-5, np.float64: 1e-9}


def assert_matches(got, exp, dtype):
    assert got.shape == exp.shape, f"{got.shape} != {exp.shape}"
    assert got.dtype == dtype
    err = float(np.max(np.abs(got.astype(np.float64) - exp))) if exp.size else 0.0
    assert err <= TOL[dtype], f"max abs error {err:.3e}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_mels", [80, 128])
@pytest.mark.parametrize("n", [201, 400, 401, 16000, 16000 * 7 + 123])
def test_matches_whisper_formula(n, n_mels, dtype):
    y = audio(n, seed=n).astype(dtype)
    got = cepstra.whisper.log_mel_spectrogram(y, n_mels=n_mels)
    assert got.shape == (n_mels, n // HOP)
    assert_matches(got, whisper_reference(y, n_mels), dtype)


def test_floor_is_active_and_output_range():
    y = audio(16000 * 3).astype(np.float32)
    got = cepstra.whisper.log_mel_spectrogram(y)
    top = got.max()
    assert np.isclose(got.min(), top - 2.0, atol=1e-6)  # the max - 8 floor, after /4
    assert (got == got.min()).mean() > 0.1


def test_thirty_seconds_gives_3000_frames_and_padding():
    y = audio(16000 * 30, seed=1).astype(np.float32)
    assert cepstra.whisper.log_mel_spectrogram(y).shape == (80, 3000)
    short = audio(16000 * 4 + 17, seed=2).astype(np.float32)
    got = cepstra.whisper.log_mel_spectrogram(short, padding=cepstra.whisper.N_SAMPLES)
    assert got.shape == (80, (len(short) + 480000) // HOP)
    assert_matches(got, whisper_reference(short, padding=480000), np.float32)
    # padding makes the short clip valid
    got = cepstra.whisper.log_mel_spectrogram(short[:50], padding=1000)
    assert_matches(got, whisper_reference(short[:50], padding=1000), np.float32)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_max_per_item_and_global(dtype):
    # items at very different levels: a per-item and a batch-wide floor differ
    y = np.stack([audio(16000 * 2, seed=s, quiet_part=False) * 10.0 ** (-3 * s) for s in range(3)]).astype(dtype)
    per_item = cepstra.whisper.log_mel_spectrogram(y)
    assert per_item.shape == (3, 80, 200)
    assert_matches(per_item, whisper_reference(y), dtype)
    for i in range(3):
        np.testing.assert_array_equal(per_item[i], cepstra.whisper.log_mel_spectrogram(y[i]))
    glob = cepstra.whisper.log_mel_spectrogram(y, batch_max=True)
    assert_matches(glob, whisper_reference(y, batch_max=True), dtype)
    assert not np.allclose(glob[2], per_item[2])
    np.testing.assert_array_equal(glob[0], per_item[0])  # the loudest item sets the global max


def test_strided_input_and_threads():
    y = audio(16000 * 5, seed=3).astype(np.float32)
    big = np.zeros(2 * len(y), np.float32)
    big[::2] = y
    ref = cepstra.whisper.log_mel_spectrogram(y)
    np.testing.assert_array_equal(cepstra.whisper.log_mel_spectrogram(big[::2]), ref)
    old = cepstra.get_num_threads()
    try:
        cepstra.set_num_threads(1)
        one = cepstra.whisper.log_mel_spectrogram(np.stack([y, y[::-1]]))
        cepstra.set_num_threads(2)
        two = cepstra.whisper.log_mel_spectrogram(np.stack([y, y[::-1]]))
    finally:
        cepstra.set_num_threads(old)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one[0], ref)


def test_validation():
    y = audio(4000).astype(np.float32)
    with pytest.raises(ParameterError, match="n_mels"):
        cepstra.whisper.log_mel_spectrogram(y, n_mels=64)
    with pytest.raises(ParameterError, match="padding"):
        cepstra.whisper.log_mel_spectrogram(y, padding=-1)
    with pytest.raises(ParameterError, match="audio"):
        cepstra.whisper.log_mel_spectrogram(y[:200])
    with pytest.raises(ParameterError, match="audio"):
        cepstra.whisper.log_mel_spectrogram(np.zeros((2, 2, 4000), np.float32))
    bad = y.copy()
    bad[7] = np.nan
    with pytest.raises(ParameterError, match="audio"):
        cepstra.whisper.log_mel_spectrogram(bad)
    with pytest.raises(ParameterError, match="batch_max"):
        cepstra.whisper.log_mel_spectrogram(y, batch_max=2)  # 0/1 are flags (issue 14); 2 is not
    with pytest.raises(TypeError):
        cepstra.whisper.log_mel_spectrogram((y * 32767).astype(np.int16))


def test_matches_hf_feature_extractor():
    transformers = pytest.importorskip("transformers")
    y = audio(16000 * 9 + 5, seed=4).astype(np.float32)
    for n_mels in (80, 128):
        fe = transformers.WhisperFeatureExtractor(feature_size=n_mels)
        exp = fe(y, sampling_rate=SR, return_tensors="np").input_features[0]
        # HF pads the raw audio to 30 s before the STFT
        got = cepstra.whisper.log_mel_spectrogram(np.pad(y, (0, 480000 - len(y))), n_mels=n_mels)
        assert got.shape == exp.shape == (n_mels, 3000)
        # HF's filters are float64 (whisper's are float32): tiny differences
        assert np.max(np.abs(got - exp)) < 1e-4
