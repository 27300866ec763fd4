"""cepstra.Stream: any chunking, concatenated, is bit-identical to the offline result."""

import numpy as np
import pytest

import cepstra


def _chunkings(n, rng):
    """Chunk size lists: 1 sample, one hop-ish, odd sizes, random sizes, everything at once."""
    yield [1] * n
    yield [160] * (n // 160 + 1)
    yield [7, 333, 1, 2048] * (n // 2389 + 1)
    yield list(rng.integers(1, 900, size=n))
    yield [n]


def _stream(ext, y, sizes):
    s = cepstra.Stream(ext)
    parts, i = [], 0
    for k in sizes:
        if i >= len(y):
            break
        parts.append(s.push(y[i : i + k]))
        i += k
    parts.append(s.flush())
    assert s.frames_emitted == sum(p.shape[-1] for p in parts)
    return np.concatenate(parts, axis=-1)


EXTRACTORS = [
    ("stft-reflect", lambda: cepstra.STFT(n_fft=512, hop_length=128, pad_mode="reflect")),
    ("stft-uncentred", lambda: cepstra.STFT(n_fft=256, hop_length=100, center=False)),
    ("stft-odd-short-window", lambda: cepstra.STFT(n_fft=257, win_length=200, hop_length=64, pad_mode="symmetric")),
    (
        "mel-whisper-like",
        lambda: cepstra.MelSpectrogram(sr=16000, n_fft=400, hop_length=160, n_mels=80, pad_mode="reflect"),
    ),
    ("mel-edge-big-hop", lambda: cepstra.MelSpectrogram(sr=22050, n_fft=512, hop_length=700, pad_mode="edge")),
    ("mfcc-no-floor", lambda: cepstra.MFCC(sr=22050, n_fft=1024, hop_length=256, top_db=None)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,make", EXTRACTORS, ids=[e[0] for e in EXTRACTORS])
@pytest.mark.parametrize("n", [3001, 600, 258])
def test_stream_equals_offline(name, make, n, dtype):
    ext = make()
    rng = np.random.default_rng(n)
    y = rng.standard_normal(n).astype(dtype)
    try:
        ref = ext(y)
    except cepstra.ParameterError:
        with pytest.raises(cepstra.ParameterError):
            _stream(ext, y, [n])
        return
    for sizes in _chunkings(n, rng):
        out = _stream(ext, y, sizes)
        assert out.dtype == ref.dtype and out.shape == ref.shape
        assert np.array_equal(out, ref)


def test_stream_emits_frames_before_the_end():
    ext = cepstra.MelSpectrogram(sr=16000, n_fft=400, hop_length=160)
    s = cepstra.Stream(ext)
    y = np.random.default_rng(0).standard_normal(16000).astype(np.float32)
    first = s.push(y[:8000])
    # frames whose window ends by sample 8000: t*160 - 200 + 400 <= 8000
    assert first.shape == (128, (8000 + 200 - 400) // 160 + 1)
    rest = s.push(y[8000:])
    tail = s.flush()
    assert first.shape[1] + rest.shape[1] + tail.shape[1] == 1 + 16000 // 160
    assert 0 < tail.shape[1] <= 2  # only frames that reach past the end wait for flush()


def test_stream_memory_is_bounded():
    s = cepstra.Stream(cepstra.STFT(n_fft=512, hop_length=128))
    for _ in range(200):
        s.push(np.zeros(1000, np.float32))
    assert s._buf.size <= 512 + 128 + 2


def test_stream_rejects_misuse():
    with pytest.raises(cepstra.ParameterError, match="top_db"):
        cepstra.Stream(cepstra.MFCC(sr=22050))
    s = cepstra.Stream(cepstra.STFT(n_fft=256))
    with pytest.raises(cepstra.ParameterError, match="no samples"):
        s.flush()
    s.push(np.zeros(100, np.float32))
    with pytest.raises(TypeError, match="dtype"):
        s.push(np.zeros(10, np.float64))
    with pytest.raises(cepstra.ParameterError, match="chunk"):
        s.push(np.full(10, np.nan, np.float32))
    with pytest.raises(cepstra.ParameterError, match="chunk"):
        s.push(np.zeros((2, 10), np.float32))
    s.flush()
    with pytest.raises(cepstra.ParameterError, match="flush"):
        s.push(np.zeros(10, np.float32))
    with pytest.raises(cepstra.ParameterError, match="extractor"):
        cepstra.Stream(object())


def test_uncentred_stream_too_short_raises_at_flush_like_offline():
    s = cepstra.Stream(cepstra.STFT(n_fft=512, center=False))
    assert s.push(np.zeros(300, np.float32)).shape == (257, 0)
    with pytest.raises(cepstra.ParameterError, match="n_fft"):
        s.flush()
