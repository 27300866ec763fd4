"""cepstra must reproduce librosa 0.11's numbers, shapes and dtypes.

librosa is imported directly on purpose: CI installs it, and a missing
librosa must fail loudly rather than skip the suite.

The grids are pairwise-style tables (each value of each factor meets many
values of the others) instead of full cartesian products, to keep the suite
fast on two cores.
"""

import warnings

import librosa
import numpy as np
import pytest
import scipy.fft

import cepstra
from conftest import (
    DB_ATOL,
    SR,
    assert_abs_close,
    assert_close,
    assert_db_close,
    make_batch,
    make_signal,
    tol_for,
)

# librosa warns for n_fft > len(y) and for empty mel filters; both are legal here.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

F32, F64 = np.float32, np.float64
C_OF = {F32: np.complex64, F64: np.complex128}


def custom_window(n):
    """An arbitrary asymmetric window given as an array (not a named one)."""
    x = np.linspace(0.0, 1.0, n)
    return (0.3 + np.sin(np.pi * x) ** 1.5 + 0.1 * x).astype(np.float64)


def win_arg(window, win_length, n_fft):
    if window == "array":
        return custom_window(win_length if win_length is not None else n_fft)
    return window


def librosa_quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def with_layout(y, layout):
    """Same values as y, in a different memory layout."""
    if layout == "contiguous":
        return np.ascontiguousarray(y.copy())
    if layout == "strided":  # every other element of a longer array
        big = np.zeros(y.shape[:-1] + (2 * y.shape[-1],), dtype=y.dtype)
        big[..., ::2] = y
        out = big[..., ::2]
        assert not out.flags.c_contiguous
        return out
    if layout == "negstride":
        out = np.ascontiguousarray(y[..., ::-1])[..., ::-1]
        assert out.strides[-1] < 0
        return out
    if layout == "fortran":
        if y.ndim == 1:  # a row of a Fortran-ordered 2-D array: stride 2 elements
            f = np.asfortranarray(np.stack([y, np.zeros_like(y)]))
            out = f[0]
        else:
            out = np.asfortranarray(y)
        assert not out.flags.c_contiguous
        return out
    if layout == "readonly":
        out = y.copy()
        out.setflags(write=False)
        return out
    if layout == "unaligned":  # data pointer not aligned to the item size
        buf = np.zeros(y.nbytes + y.itemsize, dtype=np.uint8)
        out = buf[1 : 1 + y.nbytes].view(y.dtype).reshape(y.shape)
        out[...] = y
        return out
    raise AssertionError(layout)


# ============================================================================ STFT

# n_fft, hop, win_length, window, pad_mode, center, dtype, shape
STFT_CASES = [
    (256, 64, None, "hann", "constant", True, F64, (3000,)),
    (256, 200, 200, "hamming", "reflect", True, F32, (2, 2500)),
    (256, 1, None, "blackman", "edge", True, F64, (300,)),  # hop = 1
    (256, 256, 129, "array", "symmetric", False, F32, (1500,)),  # hop = n_fft
    (257, 64, None, "hann", "reflect", True, F32, (2, 2, 2000)),  # odd n_fft
    (257, 130, 200, "boxcar", "constant", False, F64, (2048,)),
    (257, None, 101, "rectangular", "edge", True, F64, (2, 1999)),
    (400, 160, None, "hamming", "symmetric", True, F64, (3, 2001)),
    (400, 300, 320, "hann", "edge", False, F32, (3001,)),  # hop > n_fft/2
    (400, None, None, "array", "reflect", True, F64, (2, 2, 1600)),
    (512, 128, 511, "blackman", "symmetric", True, F32, (4096,)),
    (512, 37, None, "boxcar", "reflect", False, F64, (2, 2000)),
    (512, 400, 256, "hann", "constant", True, F64, (2, 2, 3000)),
    (1000, 250, None, "rectangular", "reflect", True, F32, (2, 3333)),
    (1000, 600, 999, "hann", "constant", False, F64, (4000,)),
    (1000, 111, 500, "blackman", "edge", True, F64, (3, 2500)),
    (1021, 255, None, "hann", "symmetric", True, F64, (2500,)),  # prime n_fft
    (1021, 700, 1020, "hamming", "constant", False, F32, (2, 2, 3000)),
    (1021, None, 512, "array", "edge", True, F32, (4000,)),
    (2048, 512, None, "hann", "reflect", True, F32, (3, 5000)),
    (2048, 1500, 1024, "boxcar", "symmetric", True, F64, (6000,)),
    (2048, 333, 2047, "blackman", "constant", False, F64, (2, 4100)),
    (2048, 2048, None, "hamming", "edge", True, F32, (3000,)),
]


def _stft_both(y, n_fft, hop, win_length, window, pad_mode, center):
    kw = dict(
        n_fft=n_fft,
        hop_length=hop,
        win_length=win_length,
        window=win_arg(window, win_length, n_fft),
        center=center,
        pad_mode=pad_mode,
    )
    ref = librosa_quiet(librosa.stft, y, **kw)
    out = cepstra.stft(y, **kw)
    return out, ref


@pytest.mark.parametrize("n_fft,hop,win_length,window,pad_mode,center,dtype,shape", STFT_CASES)
def test_stft_grid(n_fft, hop, win_length, window, pad_mode, center, dtype, shape):
    y = make_batch(shape, dtype=dtype)
    y0 = y.copy()
    out, ref = _stft_both(y, n_fft, hop, win_length, window, pad_mode, center)
    assert ref.dtype == C_OF[dtype]
    assert_close(out, ref, C_OF[dtype])
    np.testing.assert_array_equal(y, y0)  # input untouched


@pytest.mark.parametrize(
    "layout,dtype,shape,n_fft,center",
    [
        ("strided", F64, (3000,), 512, True),
        ("strided", F32, (2, 2500), 400, False),
        ("negstride", F64, (2, 2000), 257, True),
        ("fortran", F32, (3000,), 512, True),
        ("fortran", F64, (3, 2000), 1000, True),
        ("fortran", F32, (2, 2, 1500), 256, False),
        ("readonly", F64, (2, 2000), 1021, True),
        ("readonly", F32, (3000,), 2048, False),
        ("unaligned", F64, (2500,), 512, True),
        ("unaligned", F32, (2, 2500), 256, True),
    ],
)
def test_stft_layouts(layout, dtype, shape, n_fft, center):
    """Non-contiguous / read-only / unaligned input gives the same result as a contiguous copy."""
    base = make_batch(shape, seed=3, dtype=dtype)
    y = with_layout(base, layout)
    writeable = y.flags.writeable
    kw = dict(n_fft=n_fft, hop_length=n_fft // 4, center=center)
    out = cepstra.stft(y, **kw)
    contiguous = cepstra.stft(np.ascontiguousarray(base), **kw)
    assert np.array_equal(out, contiguous)
    assert_close(out, librosa.stft(np.ascontiguousarray(base), **kw), C_OF[dtype])
    np.testing.assert_array_equal(y, base)
    assert y.flags.writeable == writeable


@pytest.mark.parametrize("dtype", [F32, F64])
def test_stft_defaults(chord, dtype):
    """Defaults: n_fft=2048, win_length=n_fft, hop=win_length//4, hann, centred, zero padding."""
    y = chord.astype(dtype)
    assert_close(cepstra.stft(y), librosa.stft(y), C_OF[dtype])
    # hop default follows win_length, not n_fft
    assert_close(cepstra.stft(y, n_fft=1024, win_length=600), librosa.stft(y, n_fft=1024, win_length=600), C_OF[dtype])


@pytest.mark.parametrize("pad_mode", ["constant", "reflect", "edge", "symmetric"])
def test_stft_nfft_longer_than_signal_centered(pad_mode):
    """Centred analysis of a signal shorter than n_fft is legal (librosa only warns)."""
    y = make_signal(700)
    ref = librosa_quiet(librosa.stft, y, n_fft=1024, hop_length=256, pad_mode=pad_mode)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = cepstra.stft(y, n_fft=1024, hop_length=256, pad_mode=pad_mode)
    assert_close(out, ref, np.complex128)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_stft_tiny_signal(n):
    y = make_signal(n)
    ref = librosa_quiet(librosa.stft, y, n_fft=16, hop_length=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = cepstra.stft(y, n_fft=16, hop_length=4)
    assert_close(out, ref, np.complex128)


def test_stft_uncentered_exact_length():
    """len == n_fft uncentred gives exactly one frame."""
    y = make_signal(512)
    out = cepstra.stft(y, n_fft=512, hop_length=128, center=False)
    assert out.shape == (257, 1)
    assert_close(out, librosa.stft(y, n_fft=512, hop_length=128, center=False), np.complex128)


def test_stft_huge_hop_single_frame():
    y = make_signal(3000)
    out = cepstra.stft(y, n_fft=512, hop_length=2**40)
    assert out.shape == (257, 1)
    assert_close(out, librosa.stft(y, n_fft=512, hop_length=2**40), np.complex128)


def test_stft_numpy_integer_params():
    """numpy integer scalars are accepted for integer parameters, as in librosa."""
    y = make_signal(3000)
    out = cepstra.stft(y, n_fft=np.int64(512), hop_length=np.int32(128), win_length=np.int64(400))
    assert_close(out, librosa.stft(y, n_fft=512, hop_length=128, win_length=400), np.complex128)


@pytest.mark.parametrize("dtype,out_dtype", [(F32, np.complex128), (F64, np.complex64)])
def test_stft_dtype_argument(dtype, out_dtype):
    y = make_signal(3000, dtype=dtype)
    out = cepstra.stft(y, n_fft=512, hop_length=128, dtype=out_dtype)
    ref = librosa.stft(y, n_fft=512, hop_length=128, dtype=out_dtype)
    assert_close(out, ref, out_dtype)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_stft_out_argument(dtype):
    y = make_batch((2, 3000), dtype=dtype)
    ref = librosa.stft(y, n_fft=512, hop_length=128)
    buf = np.zeros(ref.shape, dtype=C_OF[dtype])
    res = cepstra.stft(y, n_fft=512, hop_length=128, out=buf)
    assert np.shares_memory(res, buf)
    assert_close(buf, ref, C_OF[dtype])
    assert_close(res, ref, C_OF[dtype])


# =========================================================================== ISTFT

# n_fft, hop, win_length, window, center, dtype, length, shape
ISTFT_CASES = [
    (256, 64, None, "hann", True, F64, None, (3000,)),
    (256, 64, None, "hann", True, F32, 2900, (2, 3000)),  # length shorter
    (256, 100, 200, "hamming", False, F64, None, (2, 2000)),
    (257, 64, None, "blackman", True, F64, 2500, (2, 2, 2000)),  # length longer: zero-padded
    (400, 100, 300, "hann", True, F32, None, (3001,)),
    (400, 300, None, "hann", True, F64, 2000, (2001,)),  # hop > n_fft/2
    (512, 128, None, "boxcar", False, F32, None, (2, 3000)),
    (512, 128, 511, "array", True, F64, 3000, (3000,)),
    (1000, 250, None, "hamming", True, F32, 3333, (2, 3333)),
    (1021, 255, 1000, "hann", False, F64, 3000, (3000,)),
    (2048, 512, None, "hann", True, F64, None, (2, 5000)),
    (2048, 512, None, "hann", False, F32, 5000, (5000,)),
]


def _compare_mask(n_fft, hop, win_length, window, center, n_frames, length, dtype):
    """Samples where librosa's istft is well conditioned.

    istft divides by the overlap-added squared window; uncentred, the first and
    last samples of a hann window have a sum of squares ~1e-11, which amplifies
    float32 rounding of the inverse FFT to ~1e-3 of full scale.  In float32 we
    therefore compare only where the window sum is >= 1e-3 of its maximum; in
    float64 everything is compared.
    """
    wss = librosa.filters.window_sumsquare(
        window=win_arg(window, win_length, n_fft),
        n_frames=n_frames,
        win_length=win_length,
        n_fft=n_fft,
        hop_length=hop,
        dtype=np.float64,
    )
    start = n_fft // 2 if center else 0
    wss = librosa.util.fix_length(wss[start:], size=length)
    if dtype == F64:
        return np.ones(length, dtype=bool)
    return wss >= 1e-3 * wss.max()


@pytest.mark.parametrize("n_fft,hop,win_length,window,center,dtype,length,shape", ISTFT_CASES)
@pytest.mark.parametrize("source", ["stft", "random"])
def test_istft_grid(n_fft, hop, win_length, window, center, dtype, length, shape, source):
    window_ = win_arg(window, win_length, n_fft)
    if source == "stft":
        y = make_batch(shape, dtype=dtype)
        S = librosa.stft(y, n_fft=n_fft, hop_length=hop, win_length=win_length, window=window_, center=center)
    else:
        # an arbitrary (inconsistent) spectrogram, with non-zero imaginary parts in the
        # DC and Nyquist bins: those are ignored by a real inverse FFT (numpy convention).
        rng = np.random.default_rng(7)
        n_frames = 1 + (shape[-1] - (0 if center else n_fft)) // hop
        full = shape[:-1] + (1 + n_fft // 2, n_frames)
        S = (rng.standard_normal(full) + 1j * rng.standard_normal(full)).astype(C_OF[dtype])
    S0 = S.copy()
    kw = dict(hop_length=hop, win_length=win_length, n_fft=n_fft, window=window_, center=center, length=length)
    ref = librosa.istft(S, **kw)
    out = cepstra.istft(S, **kw)
    assert ref.dtype == dtype
    np.testing.assert_array_equal(S, S0)
    assert out.shape == ref.shape
    mask = _compare_mask(n_fft, hop, win_length, window, center, S.shape[-1], ref.shape[-1], dtype)
    assert mask.mean() > 0.8
    assert_close(out[..., mask], ref[..., mask], dtype)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_istft_defaults(chord, dtype):
    """Defaults: n_fft from the bin count, hop = win_length // 4, hann, centred."""
    S = librosa.stft(chord.astype(dtype))
    assert_close(cepstra.istft(S), librosa.istft(S), dtype)
    S_odd = librosa.stft(chord.astype(dtype), n_fft=1021)  # 511 bins
    # n_fft default is 2 * (bins - 1) == 1020, as in librosa
    assert_close(cepstra.istft(S_odd), librosa.istft(S_odd), dtype)
    assert_close(cepstra.istft(S_odd, n_fft=1021), librosa.istft(S_odd, n_fft=1021), dtype)


def test_istft_layouts():
    y = make_batch((2, 3000))
    S = librosa.stft(y, n_fft=512, hop_length=128)
    ref = librosa.istft(S, hop_length=128)
    for S_l in (np.asfortranarray(S), S[..., ::-1].copy()[..., ::-1], with_layout(S, "readonly")):
        assert_close(cepstra.istft(S_l, hop_length=128), ref, np.float64)
    Sw = np.zeros(S.shape[:-1] + (2 * S.shape[-1],), dtype=S.dtype)
    Sw[..., ::2] = S
    assert_close(cepstra.istft(Sw[..., ::2], hop_length=128), ref, np.float64)


# ================================================================== melspectrogram

# n_fft, hop, win, window, pad, center, power, n_mels, fmin, fmax, htk, norm, sr, dtype, shape
MEL_CASES = [
    (2048, 512, None, "hann", "constant", True, 2.0, 128, 0.0, None, False, "slaney", 22050, F32, (6000,)),
    (2048, 300, 1500, "hamming", "reflect", False, 1.0, 64, 50.0, 8000.0, True, None, 22050, F64, (2, 5000)),
    (512, 128, None, "blackman", "edge", True, 2.0, 40, 20.0, None, True, 1.0, 16000, F64, (3000,)),
    (512, 400, 400, "boxcar", "symmetric", True, 1.0, 32, 0.0, 6000.0, False, 2.0, 16000, F32, (2, 2, 2000)),
    (400, 160, None, "hann", "reflect", True, 2.0, 80, 0.0, 7600.0, False, "slaney", 16000, F64, (2, 3000)),
    (400, 100, 320, "array", "constant", False, 2.0, 26, 133.0, 4000.0, True, None, 8000, F32, (2500,)),
    (1021, 255, None, "hann", "symmetric", True, 1.0, 60, 30.0, None, False, 2.0, 44100, F32, (4000,)),
    (257, 64, 200, "rectangular", "edge", False, 2.0, 20, 100.0, 5000.0, False, 1.0, 11025, F64, (2, 2, 1800)),
    (1000, 700, None, "hamming", "constant", True, 1.0, 128, 0.0, None, True, "slaney", 48000, F64, (4000,)),
    (
        256,
        64,
        None,
        "hann",
        "reflect",
        True,
        2.0,
        128,
        0.0,
        None,
        False,
        "slaney",
        22050,
        F64,
        (2000,),
    ),  # empty filters
    (2048, 2048, 2000, "blackman", "reflect", True, 2.0, 96, 300.0, 10000.0, True, 3.0, 22050, F32, (2, 6000)),
]


@pytest.mark.parametrize(
    "n_fft,hop,win_length,window,pad_mode,center,power,n_mels,fmin,fmax,htk,norm,sr,dtype,shape", MEL_CASES
)
def test_melspectrogram_y_grid(
    n_fft, hop, win_length, window, pad_mode, center, power, n_mels, fmin, fmax, htk, norm, sr, dtype, shape
):
    y = make_batch(shape, seed=5, dtype=dtype)
    kw = dict(
        sr=sr,
        n_fft=n_fft,
        hop_length=hop,
        win_length=win_length,
        window=win_arg(window, win_length, n_fft),
        center=center,
        pad_mode=pad_mode,
        power=power,
        n_mels=n_mels,
        fmin=fmin,
        fmax=fmax,
        htk=htk,
        norm=norm,
    )
    ref = librosa_quiet(librosa.feature.melspectrogram, y=y, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = cepstra.feature.melspectrogram(y=y, **kw)
    assert ref.dtype == dtype
    assert_close(out, ref, dtype)


@pytest.mark.parametrize(
    "n_fft,pass_n_fft,n_mels,htk,norm,power,dtype,shape",
    [
        (512, False, 40, False, "slaney", 2.0, F64, (257, 30)),
        (512, True, 64, True, None, 1.0, F32, (2, 257, 20)),
        (1021, True, 60, False, 2.0, 2.0, F64, (2, 2, 511, 12)),  # odd n_fft must be passed
        (2048, False, 128, True, 1.0, 2.0, F32, (1025, 9)),
        (400, False, 26, False, "slaney", 1.0, F64, (201, 1)),
    ],
)
def test_melspectrogram_S_path(n_fft, pass_n_fft, n_mels, htk, norm, power, dtype, shape):
    """With S=, the mel basis is applied to S directly (power is ignored)."""
    rng = np.random.default_rng(11)
    S = (rng.random(shape) ** 3 * 10).astype(dtype)
    S0 = S.copy()
    kw = dict(sr=16000, n_mels=n_mels, htk=htk, norm=norm, power=power)
    if pass_n_fft:
        kw["n_fft"] = n_fft
    ref = librosa_quiet(librosa.feature.melspectrogram, S=S, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = cepstra.feature.melspectrogram(S=S, **kw)
    assert_close(out, ref, dtype)
    np.testing.assert_array_equal(S, S0)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_melspectrogram_float64_uses_float32_basis(dtype):
    """librosa's melspectrogram uses filters.mel's default dtype=float32 basis even for float64
    input; a float64 basis would differ by ~1e-8 relative, far outside the 1e-9 tolerance."""
    y = make_signal(3000, dtype=dtype)
    S = np.abs(librosa.stft(y, n_fft=512, hop_length=128)) ** 2
    basis32 = librosa.filters.mel(sr=SR, n_fft=512, n_mels=40)
    expected = np.einsum("ft,mf->mt", S, basis32)
    out = cepstra.feature.melspectrogram(y=y, sr=SR, n_fft=512, hop_length=128, n_mels=40)
    assert_close(out, expected, dtype)


@pytest.mark.parametrize("layout", ["strided", "negstride", "fortran", "readonly", "unaligned"])
def test_melspectrogram_layouts(layout):
    base = make_batch((2, 3000), seed=2, dtype=F32)
    y = with_layout(base, layout)
    kw = dict(sr=16000, n_fft=400, hop_length=160, n_mels=40)
    out = cepstra.feature.melspectrogram(y=y, **kw)
    assert np.array_equal(out, cepstra.feature.melspectrogram(y=np.ascontiguousarray(base), **kw))
    assert_close(out, librosa.feature.melspectrogram(y=base, **kw), F32)
    np.testing.assert_array_equal(y, base)


# ============================================================================ MFCC


def mfcc_float32_atol(n_mels, dct_type, norm, lifter, n_mfcc):
    """Absolute tolerance for float32 MFCCs computed from y.

    Each MFCC is sum_n C[k, n] * dB[n] (times the lifter weight), so a per-element dB
    error of at most DB_ATOL (5e-3 dB) gives an MFCC error of at most
    DB_ATOL * max_k sum_n |C[k, n]| * max|lifter weight|.  For the orthonormal
    DCT-II with 128 mels this is ~5e-3 * sqrt(2 * 128) = 0.08; unnormalised DCTs
    scale up to 2 * n_mels.
    """
    C = scipy.fft.dct(np.eye(n_mels), type=dct_type, norm=norm, axis=0)[:n_mfcc]
    bound = np.max(np.sum(np.abs(C), axis=1))
    if lifter > 0:
        bound *= np.max(np.abs(1 + (lifter / 2) * np.sin(np.pi * np.arange(1, n_mfcc + 1) / lifter)))
    return DB_ATOL * bound


# n_mfcc, dct_type, norm, lifter, n_mels, n_fft, hop, window, center, htk, mel_norm, fmin, fmax, power, sr, dtype, shape
MFCC_CASES = [
    (20, 2, "ortho", 0, 128, 2048, 512, "hann", True, False, "slaney", 0.0, None, 2.0, 22050, F32, (6000,)),
    (13, 2, None, 22, 40, 512, 160, "hamming", True, True, None, 20.0, 7600.0, 2.0, 16000, F64, (2, 4000)),
    (13, 3, "ortho", 0, 26, 400, 160, "hann", False, True, "slaney", 0.0, 4000.0, 2.0, 8000, F32, (2, 2, 2000)),
    (12, 3, None, 0.5, 40, 1021, 300, "blackman", True, False, 2.0, 100.0, None, 1.0, 22050, F64, (3000,)),
    (20, 1, "ortho", 0, 64, 1000, 250, "boxcar", True, False, "slaney", 0.0, None, 2.0, 44100, F64, (2, 3000)),
    (40, 1, None, 30, 40, 256, 64, "hann", True, True, 1.0, 0.0, 5000.0, 2.0, 11025, F32, (2000,)),
    (1, 2, "ortho", 3, 128, 2048, 1024, "rectangular", True, False, "slaney", 30.0, 9000.0, 1.0, 22050, F64, (2, 5000)),
    (25, 2, "ortho", 10, 60, 257, 100, "array", False, False, None, 0.0, None, 2.0, 16000, F32, (2, 2500)),
    (13, 3, "ortho", 22, 64, 512, 256, "hann", True, True, "slaney", 300.0, 8000.0, 2.0, 22050, F64, (2, 2, 2500)),
]


@pytest.mark.parametrize(
    "n_mfcc,dct_type,norm,lifter,n_mels,n_fft,hop,window,center,htk,mel_norm,fmin,fmax,power,sr,dtype,shape", MFCC_CASES
)
def test_mfcc_y_grid(
    n_mfcc,
    dct_type,
    norm,
    lifter,
    n_mels,
    n_fft,
    hop,
    window,
    center,
    htk,
    mel_norm,
    fmin,
    fmax,
    power,
    sr,
    dtype,
    shape,
):
    y = make_batch(shape, seed=9, dtype=dtype)
    kw = dict(
        sr=sr,
        n_mfcc=n_mfcc,
        dct_type=dct_type,
        norm=norm,
        lifter=lifter,
        mel_norm=mel_norm,
        n_fft=n_fft,
        hop_length=hop,
        window=win_arg(window, None, n_fft),
        center=center,
        power=power,
        n_mels=n_mels,
        fmin=fmin,
        fmax=fmax,
        htk=htk,
    )
    ref = librosa_quiet(librosa.feature.mfcc, y=y, **kw)
    out = cepstra.feature.mfcc(y=y, **kw)
    assert ref.dtype == dtype
    if dtype == F64:
        assert_close(out, ref, dtype)
    else:
        assert_abs_close(out, ref, dtype, mfcc_float32_atol(n_mels, dct_type, norm, lifter, n_mfcc))


def test_mfcc_batch_uses_global_top_db():
    """librosa's mfcc applies power_to_db(top_db=80) to the whole batch at once: the clip
    floor is 80 dB below the loudest value of *all* channels, so a quiet channel's MFCCs
    in a batch differ from the same channel processed alone."""
    y = make_batch((2, 4000), seed=4)  # second row is 70 dB quieter
    batch = cepstra.feature.mfcc(y=y, sr=SR, n_fft=512, hop_length=256)
    alone = cepstra.feature.mfcc(y=y[1], sr=SR, n_fft=512, hop_length=256)
    assert_close(batch, librosa.feature.mfcc(y=y, sr=SR, n_fft=512, hop_length=256), F64)
    assert_close(alone, librosa.feature.mfcc(y=y[1], sr=SR, n_fft=512, hop_length=256), F64)
    assert np.max(np.abs(batch[1] - alone)) > 1.0


@pytest.mark.parametrize(
    "n_mfcc,dct_type,norm,lifter,dtype,shape",
    [
        (20, 2, "ortho", 0, F64, (128, 30)),
        (13, 2, None, 22, F32, (2, 40, 25)),
        (13, 3, "ortho", 0, F64, (2, 2, 26, 10)),
        (10, 3, None, 5, F32, (64, 7)),
        (40, 1, "ortho", 0, F32, (40, 12)),
        (12, 1, None, 1.5, F64, (2, 60, 9)),
    ],
)
def test_mfcc_S_path(n_mfcc, dct_type, norm, lifter, dtype, shape):
    """S= is a log-power (dB) mel spectrogram; only DCT, truncation and liftering apply."""
    rng = np.random.default_rng(21)
    S = (rng.uniform(-80, 20, size=shape)).astype(dtype)
    S0 = S.copy()
    kw = dict(n_mfcc=n_mfcc, dct_type=dct_type, norm=norm, lifter=lifter)
    ref = librosa.feature.mfcc(S=S, **kw)
    out = cepstra.feature.mfcc(S=S, **kw)
    assert ref.dtype == dtype
    assert_close(out, ref, dtype)
    np.testing.assert_array_equal(S, S0)


def test_mfcc_defaults(chord):
    assert_close(cepstra.feature.mfcc(y=chord), librosa.feature.mfcc(y=chord), F64)
    assert_close(cepstra.feature.melspectrogram(y=chord), librosa.feature.melspectrogram(y=chord), F64)


@pytest.mark.parametrize("layout", ["strided", "fortran", "readonly", "unaligned"])
def test_mfcc_layouts(layout):
    base = make_batch((2, 3000), seed=8)
    y = with_layout(base, layout)
    kw = dict(sr=16000, n_fft=512, hop_length=160, n_mels=40, n_mfcc=13)
    out = cepstra.feature.mfcc(y=y, **kw)
    assert np.array_equal(out, cepstra.feature.mfcc(y=np.ascontiguousarray(base), **kw))
    assert_close(out, librosa.feature.mfcc(y=base, **kw), F64)
    np.testing.assert_array_equal(y, base)


# ======================================================================= dB scaling


def _spectrum(shape, dtype, seed=0):
    """Non-negative values spanning ~200 dB, with exact zeros."""
    rng = np.random.default_rng(seed)
    S = 10.0 ** rng.uniform(-12, 3, size=shape)
    S.flat[::17] = 0.0
    return S.astype(dtype)


# ref, amin, top_db, dtype, shape
DB_CASES = [
    (1.0, 1e-10, 80.0, F64, (40, 30)),
    (1.0, 1e-10, None, F32, (2, 40, 30)),
    (np.max, 1e-10, 80.0, F32, (64, 20)),
    (np.max, 1e-5, None, F64, (2, 2, 10, 8)),
    (0.5, 1e-8, 40.0, F64, (100,)),
    (np.median, 1e-10, 120.0, F32, (3, 50)),
    (1e-3, 1e-10, 0.0, F64, (20, 20)),
    (1e-20, 1e-6, 60.0, F32, (30, 7)),  # ref below amin: ref is clipped to amin
]


@pytest.mark.parametrize("ref,amin,top_db,dtype,shape", DB_CASES)
def test_power_to_db(ref, amin, top_db, dtype, shape):
    S = _spectrum(shape, dtype)
    S0 = S.copy()
    expected = librosa.power_to_db(S, ref=ref, amin=amin, top_db=top_db)
    out = cepstra.power_to_db(S, ref=ref, amin=amin, top_db=top_db)
    assert expected.dtype == dtype
    assert_db_close(out, expected, dtype)
    np.testing.assert_array_equal(S, S0)


@pytest.mark.parametrize("ref,amin,top_db,dtype,shape", DB_CASES)
def test_amplitude_to_db(ref, amin, top_db, dtype, shape):
    amin = float(np.sqrt(amin))  # a Python float: a numpy float64 scalar would upcast float32 in librosa
    S = np.sqrt(_spectrum(shape, dtype, seed=1))
    expected = librosa.amplitude_to_db(S, ref=ref, amin=amin, top_db=top_db)
    out = cepstra.amplitude_to_db(S, ref=ref, amin=amin, top_db=top_db)
    assert_db_close(out, expected, dtype)


def test_db_defaults():
    S = _spectrum((50, 40), F64)
    assert_db_close(cepstra.power_to_db(S), librosa.power_to_db(S), F64)
    assert_db_close(cepstra.amplitude_to_db(S), librosa.amplitude_to_db(S), F64)
    D = np.linspace(-100, 30, 200).reshape(20, 10)
    assert_close(cepstra.db_to_power(D), librosa.db_to_power(D), F64)
    assert_close(cepstra.db_to_amplitude(D), librosa.db_to_amplitude(D), F64)


@pytest.mark.parametrize("ref", [1.0, 2.5, 1e-3])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_db_to_power_amplitude(ref, dtype):
    D = np.linspace(-120, 40, 301).reshape(7, 43).astype(dtype)
    assert_close(cepstra.db_to_power(D, ref=ref), librosa.db_to_power(D, ref=ref), dtype)
    assert_close(cepstra.db_to_amplitude(D, ref=ref), librosa.db_to_amplitude(D, ref=ref), dtype)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_db_round_trip(dtype):
    """db_to_power inverts power_to_db wherever no clipping happened."""
    S = (10.0 ** np.random.default_rng(3).uniform(-3, 3, size=(20, 30))).astype(dtype)
    back = cepstra.db_to_power(cepstra.power_to_db(S, ref=2.0, top_db=None), ref=2.0)
    assert_close(back, S, dtype, tol=1e-12 if dtype == F64 else 1e-5)


# =========================================================== mel / frequency helpers


@pytest.mark.parametrize("htk", [False, True])
def test_hz_mel_conversions(htk):
    f = np.array([0.0, 1.0, 60.0, 440.0, 999.9, 1000.0, 1000.1, 4000.0, 11025.0, 22050.0, 96000.0])
    assert_close(cepstra.hz_to_mel(f, htk=htk), librosa.hz_to_mel(f, htk=htk), F64)
    m = np.linspace(0, 120 if not htk else 4000, 97)
    assert_close(cepstra.mel_to_hz(m, htk=htk), librosa.mel_to_hz(m, htk=htk), F64)
    f2 = f.reshape(1, 11).repeat(2, axis=0)
    assert_close(cepstra.hz_to_mel(f2, htk=htk), librosa.hz_to_mel(f2, htk=htk), F64)
    # scalar in -> scalar (0-d) out
    s = cepstra.hz_to_mel(440.0, htk=htk)
    assert np.ndim(s) == 0
    assert abs(float(s) - float(librosa.hz_to_mel(440.0, htk=htk))) <= 1e-12 * 1000
    s = cepstra.mel_to_hz(20.0, htk=htk)
    assert np.ndim(s) == 0
    assert abs(float(s) - float(librosa.mel_to_hz(20.0, htk=htk))) <= 1e-9 * float(s)
    # inverse
    assert_close(cepstra.mel_to_hz(cepstra.hz_to_mel(f, htk=htk), htk=htk), f, F64)


def test_hz_to_mel_known_values():
    """Slaney scale: linear 200/3 Hz per mel below 1 kHz (1 kHz = 15 mel)."""
    np.testing.assert_allclose(
        cepstra.hz_to_mel(np.array([0.0, 200.0 / 3, 1000.0])), [0, 1, 15], rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(cepstra.hz_to_mel(np.array([700.0]), htk=True), [2595 * np.log10(2)], rtol=1e-12)


@pytest.mark.parametrize(
    "n_mels,fmin,fmax,htk",
    [
        (128, 0.0, 11025.0, False),
        (40, 20.0, 8000.0, True),
        (1, 0.0, 11025.0, False),
        (2, 100.0, 200.0, True),
        (64, 300.0, 22050.0, False),
        (257, 0.0, 4000.0, True),
    ],
)
def test_mel_frequencies(n_mels, fmin, fmax, htk):
    expected = librosa.mel_frequencies(n_mels, fmin=fmin, fmax=fmax, htk=htk)
    assert_close(cepstra.mel_frequencies(n_mels, fmin=fmin, fmax=fmax, htk=htk), expected, F64)


def test_mel_frequencies_defaults():
    assert_close(cepstra.mel_frequencies(), librosa.mel_frequencies(), F64)


@pytest.mark.parametrize("sr,n_fft", [(22050, 2048), (16000, 400), (44100, 1021), (8000, 257), (1, 2), (48000, 1)])
def test_fft_frequencies(sr, n_fft):
    expected = librosa.fft_frequencies(sr=sr, n_fft=n_fft)
    assert_close(cepstra.fft_frequencies(sr=sr, n_fft=n_fft), expected, F64)


def test_fft_frequencies_defaults():
    assert_close(cepstra.fft_frequencies(), librosa.fft_frequencies(), F64)


# sr, n_fft, n_mels, fmin, fmax, htk, norm, dtype
MELFB_CASES = [
    (22050, 2048, 128, 0.0, None, False, "slaney", F32),
    (22050, 2048, 128, 0.0, None, False, "slaney", F64),
    (16000, 400, 40, 20.0, 7600.0, True, None, F64),
    (16000, 512, 80, 0.0, 8000.0, False, 1.0, F32),
    (44100, 1021, 60, 50.0, None, True, 2.0, F64),
    (8000, 256, 26, 133.33, 3000.0, False, "slaney", F64),
    (22050, 257, 20, 300.0, 5000.0, True, 3.0, F32),
    (48000, 1000, 96, 0.0, 20000.0, False, None, F32),
    (22050, 256, 128, 0.0, None, False, "slaney", F64),  # many empty filters
    (11025, 2048, 10, 100.0, 11025.0, True, "slaney", F32),  # fmax above Nyquist
]


@pytest.mark.parametrize("sr,n_fft,n_mels,fmin,fmax,htk,norm,dtype", MELFB_CASES)
def test_filters_mel(sr, n_fft, n_mels, fmin, fmax, htk, norm, dtype):
    kw = dict(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm, dtype=dtype)
    expected = librosa_quiet(librosa.filters.mel, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = cepstra.filters.mel(**kw)
    assert_close(out, expected, dtype)


def test_filters_mel_defaults():
    out = cepstra.filters.mel(sr=22050, n_fft=2048)
    assert out.dtype == np.float32 and out.shape == (128, 1025)
    assert_close(out, librosa.filters.mel(sr=22050, n_fft=2048), F32)


@pytest.mark.parametrize("window", ["hann", "hamming", "blackman", "boxcar", "rectangular"])
@pytest.mark.parametrize("fftbins", [True, False])
def test_get_window(window, fftbins):
    for n in (1, 2, 7, 64, 255, 256, 1021, 2048):
        expected = librosa.filters.get_window(window, n, fftbins=fftbins)
        assert_close(cepstra.filters.get_window(window, n, fftbins=fftbins), expected, F64)


def test_get_window_array():
    w = custom_window(100)
    out = cepstra.filters.get_window(w, 100)
    assert_close(out, w, None)
    assert_close(cepstra.filters.get_window("hann", 100), librosa.filters.get_window("hann", 100), F64)


# =========================================================================== delta

# shape, width, order, axis, mode, dtype
DELTA_CASES = [
    ((20, 50), 9, 1, -1, "interp", F64),
    ((20, 50), 3, 2, -1, "interp", F32),
    ((2, 13, 30), 5, 1, -1, "nearest", F64),
    ((13, 30), 11, 2, -1, "mirror", F64),
    ((13, 30), 7, 1, 0, "constant", F32),
    ((2, 13, 30), 9, 2, 1, "wrap", F64),
    ((40, 9), 9, 1, -1, "interp", F64),  # width == number of frames
    ((5, 3), 3, 2, -1, "interp", F32),
    ((2, 2, 8, 21), 13, 1, -1, "interp", F64),
]


@pytest.mark.parametrize("shape,width,order,axis,mode,dtype", DELTA_CASES)
def test_delta(shape, width, order, axis, mode, dtype):
    data = np.random.default_rng(5).standard_normal(shape).astype(dtype)
    data0 = data.copy()
    expected = librosa.feature.delta(data, width=width, order=order, axis=axis, mode=mode)
    out = cepstra.feature.delta(data, width=width, order=order, axis=axis, mode=mode)
    assert expected.dtype == dtype
    assert_close(out, expected, dtype)
    np.testing.assert_array_equal(data, data0)


def test_delta_defaults():
    data = np.random.default_rng(6).standard_normal((13, 40))
    assert_close(cepstra.feature.delta(data), librosa.feature.delta(data), F64)


def test_delta_of_linear_ramp_is_slope():
    """Exact property: the Savitzky-Golay first derivative of a ramp is its slope everywhere."""
    data = np.tile(np.arange(30.0) * 0.5, (4, 1))
    np.testing.assert_allclose(cepstra.feature.delta(data, width=5), 0.5, rtol=0, atol=1e-12)
    np.testing.assert_allclose(cepstra.feature.delta(data, width=5, order=2), 0.0, rtol=0, atol=1e-12)


# =========================================================================== frame


@pytest.mark.parametrize(
    "shape,frame_length,hop_length,axis,dtype",
    [
        ((100,), 10, 5, -1, F64),
        ((100,), 100, 1, -1, F32),
        ((3, 257), 32, 7, -1, F64),
        ((2, 2, 64), 16, 16, -1, F32),
        ((50, 3), 8, 3, 0, F64),
        ((40, 2, 2), 40, 9, 0, F32),
    ],
)
def test_frame(shape, frame_length, hop_length, axis, dtype):
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    expected = librosa.util.frame(x, frame_length=frame_length, hop_length=hop_length, axis=axis)
    out = cepstra.util.frame(x, frame_length=frame_length, hop_length=hop_length, axis=axis)
    assert out.shape == expected.shape and out.dtype == x.dtype
    np.testing.assert_array_equal(out, expected)
    assert np.shares_memory(out, x)  # a view, not a copy
    assert not out.flags.writeable  # librosa returns a read-only view


def test_frame_strided_input():
    x = np.arange(200.0)[::2]
    out = cepstra.util.frame(x, frame_length=10, hop_length=3)
    np.testing.assert_array_equal(out, librosa.util.frame(x, frame_length=10, hop_length=3))
    assert np.shares_memory(out, x)


# ====================================================================== extractors


@pytest.mark.parametrize("dtype", [F32, F64])
def test_extractor_stft(dtype):
    params = dict(n_fft=512, hop_length=100, win_length=400, window="hamming", pad_mode="reflect")
    ext = cepstra.STFT(**params)
    for shape in [(3000,), (2, 2500), (2, 2, 1800), (5000,)]:  # reuse on varied inputs
        y = make_batch(shape, seed=len(shape), dtype=dtype)
        out = ext(y)
        assert np.array_equal(out, cepstra.stft(y, **params))
        assert_close(out, librosa.stft(y, **params), C_OF[dtype])


@pytest.mark.parametrize("dtype", [F32, F64])
def test_extractor_melspectrogram(dtype):
    params = dict(n_fft=400, hop_length=160, n_mels=40, fmin=20.0, fmax=7600.0, htk=True, power=1.0)
    ext = cepstra.MelSpectrogram(sr=16000, **params)
    for shape in [(3000,), (2, 2500), (4001,)]:
        y = make_batch(shape, seed=1, dtype=dtype)
        out = ext(y)
        assert np.array_equal(out, cepstra.feature.melspectrogram(y=y, sr=16000, **params))
        assert_close(out, librosa.feature.melspectrogram(y=y, sr=16000, **params), dtype)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_extractor_mfcc(dtype):
    params = dict(n_mfcc=13, n_fft=512, hop_length=256, n_mels=40, lifter=22, dct_type=2)
    ext = cepstra.MFCC(sr=22050, **params)
    for shape in [(3000,), (2, 2, 2000)]:
        y = make_batch(shape, seed=2, dtype=dtype)
        out = ext(y)
        assert np.array_equal(out, cepstra.feature.mfcc(y=y, sr=22050, **params))
        ref = librosa.feature.mfcc(y=y, sr=22050, **params)
        if dtype == F64:
            assert_close(out, ref, dtype)
        else:
            assert_abs_close(out, ref, dtype, mfcc_float32_atol(40, 2, "ortho", 22, 13))


def test_extractor_default_mfcc(chord):
    assert np.array_equal(cepstra.MFCC(sr=22050, n_mfcc=13)(chord), cepstra.feature.mfcc(y=chord, sr=22050, n_mfcc=13))
    assert_close(cepstra.MFCC(sr=22050, n_mfcc=13)(chord), librosa.feature.mfcc(y=chord, n_mfcc=13), F64)
    assert_close(cepstra.STFT()(chord), librosa.stft(chord), np.complex128)
    assert_close(cepstra.MelSpectrogram(sr=22050)(chord), librosa.feature.melspectrogram(y=chord), F64)


def test_tolerance_constants():
    """Guard the documented tolerances themselves."""
    assert tol_for(F64) == 1e-9 and tol_for(np.complex128) == 1e-9
    assert tol_for(F32) == 2e-5 and tol_for(np.complex64) == 2e-5
    assert DB_ATOL == 5e-3
