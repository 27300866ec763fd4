"""16 kHz speech workloads: mel (512/400/160, 80 mels), whisper-like mel (400/160), Kaldi fbank/MFCC."""

import numpy as np
import pytest

import cepstra

librosa = pytest.importorskip("librosa")
SPEECH = dict(sr=16000, n_fft=512, win_length=400, hop_length=160, n_mels=80)
WHISPER = dict(sr=16000, n_fft=400, hop_length=160, n_mels=80)


@pytest.mark.benchmark(group="mel-speech-16k")
def test_speech_mel_cepstra(benchmark, y16):
    benchmark(lambda: cepstra.feature.melspectrogram(y=y16, **SPEECH))


@pytest.mark.benchmark(group="mel-speech-16k")
def test_speech_mel_librosa(benchmark, y16):
    benchmark(lambda: librosa.feature.melspectrogram(y=y16, **SPEECH))


@pytest.mark.benchmark(group="mel-speech-16k")
def test_speech_mel_torchaudio(benchmark, y16):
    torch = pytest.importorskip("torch")
    ta = pytest.importorskip("torchaudio")
    m = ta.transforms.MelSpectrogram(
        sample_rate=16000,
        n_fft=512,
        win_length=400,
        hop_length=160,
        n_mels=80,
        mel_scale="slaney",
        norm="slaney",
        pad_mode="constant",
    )
    x = torch.from_numpy(y16)
    benchmark(lambda: m(x))


@pytest.mark.benchmark(group="mel-whisper-16k")
def test_whisper_like_cepstra(benchmark, y16):
    benchmark(lambda: cepstra.feature.melspectrogram(y=y16, **WHISPER))


@pytest.mark.benchmark(group="mel-whisper-16k")
def test_whisper_like_librosa(benchmark, y16):
    benchmark(lambda: librosa.feature.melspectrogram(y=y16, **WHISPER))


@pytest.mark.benchmark(group="whisper-log-mel")
def test_whisper_cepstra(benchmark, y16):
    whisper = pytest.importorskip("cepstra.whisper")
    benchmark(lambda: whisper.log_mel_spectrogram(y16))


@pytest.mark.benchmark(group="whisper-log-mel")
def test_whisper_transformers(benchmark, y16):
    transformers = pytest.importorskip("transformers")
    fe = transformers.WhisperFeatureExtractor(feature_size=80)
    benchmark(lambda: fe._np_extract_fbank_features(y16[None, :], "cpu"))


def _knf_fbank(x):
    import kaldi_native_fbank as knf

    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0.0
    opts.mel_opts.num_bins = 80
    comp = knf.OnlineFbank(opts)
    comp.accept_waveform(16000, x.tolist())
    comp.input_finished()
    return np.stack([comp.get_frame(i) for i in range(comp.num_frames_ready)])


@pytest.mark.benchmark(group="kaldi-fbank-80")
def test_kaldi_fbank_cepstra(benchmark, y16):
    kaldi = pytest.importorskip("cepstra.kaldi")
    x = y16 * 32768
    benchmark(lambda: kaldi.fbank(x, num_mel_bins=80))


@pytest.mark.benchmark(group="kaldi-fbank-80")
def test_kaldi_fbank_knf(benchmark, y16):
    pytest.importorskip("kaldi_native_fbank")
    benchmark(_knf_fbank, y16 * 32768)


@pytest.mark.benchmark(group="kaldi-fbank-80")
def test_kaldi_fbank_torchaudio(benchmark, y16):
    torch = pytest.importorskip("torch")
    ta = pytest.importorskip("torchaudio")
    x = torch.from_numpy(y16 * 32768)[None]
    benchmark(lambda: ta.compliance.kaldi.fbank(x, num_mel_bins=80))
