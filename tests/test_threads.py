"""Concurrent calls from Python threads give bit-identical results to serial calls
(no shared scratch buffers, no races in cached FFT plans or mel bases)."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

import cepstra
from conftest import make_batch, make_signal

N_THREADS = 8


def _tasks():
    """Sixteen jobs with distinct parameters (several per FFT size, so plans are shared)."""
    y64 = make_signal(6000, seed=1)
    y32 = make_signal(5000, seed=2, dtype=np.float32)
    b64 = make_batch((2, 3000), seed=3)
    b32 = make_batch((2, 2, 2500), seed=4, dtype=np.float32)
    mfcc_ext = cepstra.MFCC(sr=16000, n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)
    mel_ext = cepstra.MelSpectrogram(sr=22050, n_fft=1021, hop_length=256, n_mels=60)
    return [
        lambda: cepstra.stft(y64, n_fft=512, hop_length=128),
        lambda: cepstra.stft(y32, n_fft=1021, hop_length=200, window="hamming"),
        lambda: cepstra.stft(b64, n_fft=2048, hop_length=512, pad_mode="reflect"),
        lambda: cepstra.stft(b32, n_fft=257, hop_length=64, center=False),
        lambda: cepstra.feature.melspectrogram(y=y64, sr=22050, n_fft=512, n_mels=64),
        lambda: cepstra.feature.melspectrogram(y=b32, sr=16000, n_fft=400, hop_length=160, n_mels=40, htk=True),
        lambda: cepstra.feature.melspectrogram(y=y32, sr=44100, n_fft=1021, hop_length=300, n_mels=80, power=1.0),
        lambda: cepstra.feature.mfcc(y=y64, sr=22050, n_fft=2048, n_mfcc=20),
        lambda: cepstra.feature.mfcc(y=b64, sr=16000, n_fft=512, n_mfcc=13, dct_type=3, lifter=22),
        lambda: cepstra.feature.mfcc(y=b32, sr=8000, n_fft=256, hop_length=80, n_mels=26, n_mfcc=12, norm=None),
        lambda: cepstra.feature.mfcc(y=y32, sr=16000, n_fft=400, hop_length=160, n_mels=40, n_mfcc=13, dct_type=1),
        lambda: cepstra.istft(cepstra.stft(b64, n_fft=512, hop_length=128), hop_length=128, length=3000),
        lambda: mfcc_ext(y32),
        lambda: mfcc_ext(b64),
        lambda: mel_ext(y64),
        lambda: mel_ext(b32),
    ]


def test_threads_match_serial():
    tasks = _tasks()
    serial = [t() for t in tasks]
    assert all(np.all(np.isfinite(r)) and r.size > 0 for r in serial)
    with ThreadPoolExecutor(max_workers=N_THREADS) as pool:
        for _ in range(3):  # several rounds, submitted in a different order each time
            order = np.random.default_rng(_).permutation(len(tasks))
            futures = {i: pool.submit(tasks[i]) for i in order}
            for i, fut in futures.items():
                res = fut.result(timeout=120)
                assert res.dtype == serial[i].dtype and res.shape == serial[i].shape, i
                assert np.array_equal(res, serial[i]), f"task {i} differs when run concurrently"


def test_threads_same_call_many_times():
    """Eight threads running the very same call at once (maximal contention on one plan)."""
    y = make_batch((3, 4000), seed=7)
    kw = dict(sr=22050, n_fft=1024, hop_length=256, n_mfcc=20)
    ref = cepstra.feature.mfcc(y=y, **kw)
    with ThreadPoolExecutor(max_workers=N_THREADS) as pool:
        results = list(pool.map(lambda _: cepstra.feature.mfcc(y=y, **kw), range(4 * N_THREADS)))
    for r in results:
        assert np.array_equal(r, ref)


def test_threads_shared_extractor():
    """One extractor object used by eight threads at once."""
    ext = cepstra.STFT(n_fft=512, hop_length=128, window="blackman")
    inputs = [make_signal(3000 + 100 * i, seed=i) for i in range(N_THREADS * 2)]
    serial = [ext(x) for x in inputs]
    with ThreadPoolExecutor(max_workers=N_THREADS) as pool:
        results = list(pool.map(ext, inputs))
    for r, s in zip(results, serial):
        assert np.array_equal(r, s)
