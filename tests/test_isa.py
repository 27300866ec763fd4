"""Every SIMD path this CPU can run reproduces librosa (stft, melspectrogram, mfcc).

The widest path is what users get by default, but the others are what users on older (or
different) CPUs get: each must be exact on its own. ``cepstra.set_isa(name)`` forces a path;
the fixture restores the automatic choice afterwards.
"""

import warnings

import librosa
import numpy as np
import pytest

import cepstra
from conftest import DB_ATOL, assert_abs_close, assert_close, make_batch

F32, F64 = np.float32, np.float64
C_OF = {F32: np.complex64, F64: np.complex128}
ISAS = cepstra.available_isas()


def _quiet(fn, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(**kw)


def test_available_isas_sane():
    assert "generic" in ISAS
    if cepstra.get_isa() != "generic":  # x86-64: sse2 is the baseline and always present
        assert "sse2" in ISAS
    assert cepstra.get_isa() in ISAS
    with pytest.raises(cepstra.ParameterError, match="isa"):
        cepstra.set_isa("no-such-isa")
    assert cepstra.get_isa() in ISAS  # a refused request changes nothing


# (n_fft, hop, shape): a power of two, an odd composite and a prime n_fft; 1-D and batches;
# lengths shorter than, equal to and much longer than n_fft
CASES = [
    (512, 128, (3000,)),
    (1000, 250, (2, 2100)),
    (441, 110, (2, 1, 1500)),  # odd: 3^2 * 7^2
    (1021, 256, (1021,)),  # prime, length == n_fft
    (257, 64, (100,)),  # prime, shorter than n_fft
]


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n_fft,hop,shape", CASES)
def test_stft(isa, dtype, n_fft, hop, shape):
    y = make_batch(shape, seed=n_fft, dtype=dtype)
    for center, pad_mode in ((True, "constant"), (True, "reflect"), (False, "constant")):
        if not center and shape[-1] < n_fft:
            continue
        kw = dict(n_fft=n_fft, hop_length=hop, center=center, pad_mode=pad_mode)
        assert_close(cepstra.stft(y, **kw), _quiet(librosa.stft, y=y, **kw), C_OF[dtype])


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n_fft,hop,shape", CASES)
def test_melspectrogram(isa, dtype, n_fft, hop, shape):
    y = make_batch(shape, seed=n_fft + 1, dtype=dtype)
    kw = dict(sr=16000, n_fft=n_fft, hop_length=hop, n_mels=40)
    assert_close(cepstra.feature.melspectrogram(y=y, **kw), _quiet(librosa.feature.melspectrogram, y=y, **kw), dtype)
    kw.update(power=1.0, htk=True, window="hamming", fmin=50.0, fmax=7000.0)
    assert_close(cepstra.feature.melspectrogram(y=y, **kw), _quiet(librosa.feature.melspectrogram, y=y, **kw), dtype)


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n_fft,hop,shape", CASES)
def test_mfcc(isa, dtype, n_fft, hop, shape):
    y = make_batch(shape, seed=n_fft + 2, dtype=dtype)
    kw = dict(sr=16000, n_fft=n_fft, hop_length=hop, n_mels=40, n_mfcc=13)
    out = cepstra.feature.mfcc(y=y, **kw)
    ref = _quiet(librosa.feature.mfcc, y=y, **kw)
    if dtype == F64:
        assert_close(out, ref, dtype)
    else:  # DB_ATOL per dB value through an orthonormal DCT of 40 mels (see test_vs_librosa)
        assert_abs_close(out, ref, dtype, DB_ATOL * np.sqrt(2 * 40))


def test_paths_agree_closely(isa):
    """Each path against the generic C++ path on the same input: same numbers up to rounding."""
    y = make_batch((2, 4000), seed=5, dtype=F64)
    kw = dict(sr=22050, n_fft=2048, hop_length=512)
    out = cepstra.feature.melspectrogram(y=y, **kw)
    cepstra.set_isa("generic")
    ref = cepstra.feature.melspectrogram(y=y, **kw)
    assert_close(out, ref, F64, tol=1e-12)
