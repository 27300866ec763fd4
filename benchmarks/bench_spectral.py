"""librosa-default workloads (22.05 kHz, n_fft 2048, hop 512): stft, melspectrogram, mfcc."""

import numpy as np
import pytest

import cepstra

librosa = pytest.importorskip("librosa")


def _torch():
    try:
        import torch
        import torchaudio
    except ImportError:
        pytest.skip("torchaudio not installed")
    return torch, torchaudio


@pytest.mark.benchmark(group="stft-22k")
def test_stft_cepstra(benchmark, y22):
    benchmark(cepstra.stft, y22)


@pytest.mark.benchmark(group="stft-22k")
def test_stft_librosa(benchmark, y22):
    benchmark(librosa.stft, y22)


@pytest.mark.benchmark(group="stft-22k")
def test_stft_scipy_by_hand(benchmark, y22):
    scipy_fft = pytest.importorskip("scipy.fft")
    w = np.hanning(2049)[:-1].astype(np.float32)

    def run():
        frames = cepstra.util.frame(np.pad(y22, 1024), frame_length=2048, hop_length=512)
        return scipy_fft.rfft(frames * w[:, None], axis=0, workers=1)

    benchmark(run)


@pytest.mark.benchmark(group="stft-22k")
def test_stft_torch(benchmark, y22):
    torch, _ = _torch()
    x = torch.from_numpy(y22)
    w = torch.hann_window(2048)
    benchmark(lambda: torch.stft(x, 2048, 512, 2048, w, center=True, pad_mode="constant", return_complex=True))


@pytest.mark.benchmark(group="mel-22k")
def test_mel_cepstra(benchmark, y22):
    benchmark(lambda: cepstra.feature.melspectrogram(y=y22))


@pytest.mark.benchmark(group="mel-22k")
def test_mel_librosa(benchmark, y22):
    benchmark(lambda: librosa.feature.melspectrogram(y=y22))


@pytest.mark.benchmark(group="mel-22k")
def test_mel_torchaudio(benchmark, y22):
    torch, ta = _torch()
    m = ta.transforms.MelSpectrogram(
        sample_rate=22050,
        n_fft=2048,
        hop_length=512,
        n_mels=128,
        mel_scale="slaney",
        norm="slaney",
        pad_mode="constant",
    )
    x = torch.from_numpy(y22)
    benchmark(lambda: m(x))


@pytest.mark.benchmark(group="mfcc-22k")
def test_mfcc_cepstra(benchmark, y22):
    benchmark(lambda: cepstra.feature.mfcc(y=y22))


@pytest.mark.benchmark(group="mfcc-22k")
def test_mfcc_cepstra_extractor(benchmark, y22):
    ext = cepstra.MFCC(sr=22050)
    benchmark(ext, y22)


@pytest.mark.benchmark(group="mfcc-22k")
def test_mfcc_librosa(benchmark, y22):
    benchmark(lambda: librosa.feature.mfcc(y=y22))


@pytest.mark.benchmark(group="mfcc-22k")
def test_mfcc_torchaudio(benchmark, y22):
    torch, ta = _torch()
    m = ta.transforms.MFCC(
        sample_rate=22050,
        n_mfcc=20,
        melkwargs=dict(n_fft=2048, hop_length=512, n_mels=128, mel_scale="slaney", norm="slaney", pad_mode="constant"),
    )
    x = torch.from_numpy(y22)
    benchmark(lambda: m(x))


@pytest.mark.benchmark(group="mfcc-22k")
def test_mfcc_python_speech_features(benchmark, y22):
    psf = pytest.importorskip("python_speech_features")
    benchmark(
        lambda: psf.mfcc(
            y22, samplerate=22050, winlen=2048 / 22050, winstep=512 / 22050, numcep=20, nfilt=128, nfft=2048
        )
    )
