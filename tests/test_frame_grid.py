"""The public frame grid of every extractor: n_frames(n) is exactly the output's time-axis
length, frame_times(k) the centre of each frame's analysis window, sr and hop_length public."""

import numpy as np
import pytest

import cepstra
from cepstra import kaldi

HOP = 64
N_FFT = 256


def _lengths(n_fft, hop, lo=1):
    """Lengths around every multiple of the hop up to a few windows, and below n_fft."""
    out = set(range(lo, n_fft + 3))
    for m in range(1, 4 * n_fft // hop + 2):
        out.update((m * hop - 1, m * hop, m * hop + 1))
    return sorted(n for n in out if n >= lo)


LIBROSA = [
    ("stft", lambda center: cepstra.STFT(n_fft=N_FFT, hop_length=HOP, center=center, sr=8000)),
    ("mel", lambda center: cepstra.MelSpectrogram(sr=8000, n_fft=N_FFT, hop_length=HOP, center=center, n_mels=16)),
    ("mfcc", lambda center: cepstra.MFCC(sr=8000, n_fft=N_FFT, hop_length=HOP, center=center, n_mels=16, n_mfcc=5)),
]


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("kind,make", LIBROSA, ids=[k for k, _ in LIBROSA])
def test_librosa_n_frames_matches_output(kind, make, center):
    ext = make(center)
    rng = np.random.default_rng(0)
    lo = 1 if center else N_FFT
    for n in _lengths(N_FFT, HOP, lo):
        y = rng.standard_normal(n).astype(np.float32)
        assert ext.n_frames(n) == ext(y).shape[-1], n
    if not center:
        for n in (1, N_FFT - 1):
            with pytest.raises(cepstra.ParameterError, match="too large for uncentered"):
                ext.n_frames(n)
            with pytest.raises(cepstra.ParameterError, match="too large for uncentered"):
                ext(np.zeros(n, np.float32))


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("kind,make", LIBROSA, ids=[k for k, _ in LIBROSA])
def test_librosa_frame_times(kind, make, center):
    ext = make(center)
    assert ext.sr == 8000.0 and ext.hop_length == HOP
    t = ext.frame_times(7)
    assert t.dtype == np.float64 and t.shape == (7,)
    k = np.arange(7)
    expected = k * HOP / 8000 if center else (k * HOP + N_FFT / 2) / 8000
    np.testing.assert_array_equal(t, expected)
    assert ext.frame_times(0).shape == (0,)


def test_librosa_frame_times_agree_with_librosa():
    librosa = pytest.importorskip("librosa")
    ext = cepstra.MelSpectrogram(sr=22050, n_fft=2048, hop_length=512)
    np.testing.assert_allclose(ext.frame_times(50), librosa.frames_to_time(np.arange(50), sr=22050, hop_length=512),
                               rtol=0, atol=1e-12)


def test_librosa_frame_times_is_window_centre():
    """The frame whose window is centred on an impulse has the largest energy there."""
    sr, n_fft, hop = 1000, 64, 16
    for center in (True, False):
        ext = cepstra.STFT(n_fft=n_fft, hop_length=hop, center=center, sr=sr)
        y = np.zeros(1000)
        k0 = 20
        t0 = ext.frame_times(k0 + 1)[k0]
        y[int(round(t0 * sr))] = 1.0
        S = np.abs(ext(y)) ** 2
        assert int(np.argmax(S.sum(axis=0))) == k0


def test_stft_sr_default_and_validation():
    assert cepstra.STFT().sr == 22050.0
    with pytest.raises(cepstra.ParameterError, match="sr=0"):
        cepstra.STFT(sr=0)


def test_n_frames_refuses_bad_values():
    ext = cepstra.STFT(n_fft=N_FFT, hop_length=HOP)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(cepstra.ParameterError, match="n_samples="):
            ext.n_frames(bad)
    with pytest.raises(cepstra.ParameterError, match="n_frames=-1"):
        ext.frame_times(-1)
    with pytest.raises(cepstra.ParameterError, match="n_samples=-1"):
        kaldi.Fbank().n_frames(-1)


KALDI = [("fbank", kaldi.Fbank), ("mfcc", kaldi.Mfcc)]


@pytest.mark.parametrize("snip_edges", [True, False])
@pytest.mark.parametrize("frame_shift", [10.0, 7.3])
@pytest.mark.parametrize("kind,cls", KALDI, ids=[k for k, _ in KALDI])
def test_kaldi_n_frames_matches_output(kind, cls, snip_edges, frame_shift):
    ext = cls(sample_frequency=8000, frame_length=25.0, frame_shift=frame_shift, snip_edges=snip_edges)
    win, shift = ext.window_size, ext.window_shift
    assert ext.hop_length == shift and ext.sr == 8000.0
    rng = np.random.default_rng(1)
    for n in _lengths(win, shift, 1):
        x = rng.standard_normal(n).astype(np.float32) * 1000
        assert ext.n_frames(n) == ext(x).shape[0], n
    assert ext.n_frames(0) == 0


@pytest.mark.parametrize("snip_edges", [True, False])
def test_kaldi_frame_times(snip_edges):
    ext = kaldi.Fbank(sample_frequency=16000, frame_length=25.0, frame_shift=10.0, snip_edges=snip_edges)
    win, shift = 400, 160
    assert (ext.window_size, ext.window_shift) == (win, shift)
    f = np.arange(5)
    start = f * shift if snip_edges else f * shift + shift // 2 - win // 2
    np.testing.assert_array_equal(ext.frame_times(5), (start + win / 2) / 16000)
    if not snip_edges:
        # CONVENTIONS.md: the frames are centred on f * shift + shift // 2.
        np.testing.assert_array_equal(ext.frame_times(5), (f * shift + shift // 2) / 16000)


def test_stream_uses_the_grid():
    """Stream's final frame count is the extractor's n_frames, for both conventions."""
    for ext in (cepstra.MelSpectrogram(sr=8000, n_fft=N_FFT, hop_length=HOP, n_mels=16),
                kaldi.Fbank(sample_frequency=8000, snip_edges=False)):
        st = cepstra.Stream(ext)
        y = np.random.default_rng(2).standard_normal(1234).astype(np.float32)
        parts = [st.push(y[i:i + 100]) for i in range(0, 1234, 100)] + [st.flush()]
        assert np.concatenate(parts, axis=st.time_axis).shape[st.time_axis] == ext.n_frames(1234)
