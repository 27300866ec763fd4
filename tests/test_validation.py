"""Bad input must raise cepstra.ParameterError (a ValueError) -- or TypeError for a value of
the wrong type -- with a message that names the offending parameter (the ``match=`` regex).
Valid input must never be modified, and absurd sizes must be rejected before allocating."""

import time

import numpy as np
import pytest

import cepstra
from conftest import make_signal

PE = cepstra.ParameterError
TYPE_OR_PE = (TypeError, cepstra.ParameterError)
Y = r"\by\b"  # messages about the signal name it "y"

Y0 = make_signal(4096)
Y0.setflags(write=False)


def y():
    return Y0.copy()


def test_parameter_error_is_value_error():
    assert issubclass(cepstra.ParameterError, ValueError)


# ----------------------------------------------------------------------------- the signal


def _bad_signals():
    nan = y()
    nan[100] = np.nan
    inf = y()
    inf[-1] = np.inf
    ninf = y().reshape(2, -1)
    ninf[1, 5] = -np.inf
    return [
        ("empty", np.zeros(0), PE),
        ("empty-2d", np.zeros((2, 0)), PE),
        ("empty-batch", np.zeros((0, 4096)), PE),
        ("nan", nan, PE),
        ("inf", inf, PE),
        ("-inf-2d", ninf, PE),
        ("0-d", np.array(0.5), PE),
        ("int16", (y() * 1000).astype(np.int16), TYPE_OR_PE),
        ("int64", (y() * 1000).astype(np.int64), TYPE_OR_PE),
        ("bool", y() > 0, TYPE_OR_PE),
        ("complex", y().astype(np.complex128), TYPE_OR_PE),
        ("float16", y().astype(np.float16), TYPE_OR_PE),
        ("object", y().astype(object), TYPE_OR_PE),
        ("str", np.array(["a"] * 4096), TYPE_OR_PE),
    ]


SIGNAL_FUNCS = [
    ("stft", lambda s: cepstra.stft(s, n_fft=512)),
    ("melspectrogram", lambda s: cepstra.feature.melspectrogram(y=s, sr=22050, n_fft=512)),
    ("mfcc", lambda s: cepstra.feature.mfcc(y=s, sr=22050, n_fft=512)),
    ("STFT", lambda s: cepstra.STFT(n_fft=512)(s)),
    ("MelSpectrogram", lambda s: cepstra.MelSpectrogram(sr=22050, n_fft=512)(s)),
    ("MFCC", lambda s: cepstra.MFCC(sr=22050, n_fft=512)(s)),
]


@pytest.mark.parametrize("fname,func", SIGNAL_FUNCS, ids=[f[0] for f in SIGNAL_FUNCS])
@pytest.mark.parametrize("case", range(len(_bad_signals())), ids=[c[0] for c in _bad_signals()])
def test_bad_signal(fname, func, case):
    _, sig, exc = _bad_signals()[case]
    before = sig.copy()
    with pytest.raises(exc, match=Y):
        func(sig)
    np.testing.assert_array_equal(sig, before)  # not modified even when rejected


@pytest.mark.parametrize(
    "call",
    [
        lambda: cepstra.stft(make_signal(500), n_fft=512, center=False),
        lambda: cepstra.feature.melspectrogram(y=make_signal(500), n_fft=512, center=False),
        lambda: cepstra.feature.mfcc(y=make_signal(2047), center=False),  # default n_fft=2048
        lambda: cepstra.STFT(n_fft=1024, center=False)(make_signal(1000)),
    ],
    ids=["stft", "melspectrogram", "mfcc", "STFT"],
)
def test_signal_shorter_than_n_fft_uncentered(call):
    with pytest.raises(PE, match="n_fft"):
        call()


# ------------------------------------------------------------------ integer STFT parameters

BAD_INTS = [
    (0, PE),
    (-1, PE),
    (-512, PE),
    (2.5, TYPE_OR_PE),
    (512.0, TYPE_OR_PE),
    (True, TYPE_OR_PE),
    ("512", TYPE_OR_PE),
    (None, TYPE_OR_PE),
    (np.float64(512), TYPE_OR_PE),
]
BAD_INT_IDS = ["0", "-1", "-512", "2.5", "512.0", "True", "str", "None", "np.float64"]


def _stft_like_calls(name, value):
    """Every public entry point that takes ``name`` (n_fft, hop_length or win_length)."""
    kw = {name: value}
    if name != "n_fft":
        kw.setdefault("n_fft", 512)
    S = np.zeros((257, 20), dtype=np.complex128)
    calls = [
        lambda: cepstra.stft(y(), **kw),
        lambda: cepstra.feature.melspectrogram(y=y(), **kw),
        lambda: cepstra.feature.mfcc(y=y(), **kw),
        lambda: cepstra.STFT(**kw),
        lambda: cepstra.MelSpectrogram(sr=22050, **kw),
        lambda: cepstra.MFCC(sr=22050, **kw),
    ]
    if name != "n_fft":  # istft infers n_fft from S; giving a bad one is tested separately
        calls.append(lambda: cepstra.istft(S, **kw))
    return calls


BAD_INT_CASES = [
    pytest.param(name, value, exc, id=f"{name}={vid}")
    for name in ("n_fft", "hop_length", "win_length")
    for (value, exc), vid in zip(BAD_INTS, BAD_INT_IDS)
    if not (value is None and name != "n_fft")  # None is the default of hop/win_length
]


@pytest.mark.parametrize("name,value,exc", BAD_INT_CASES)
def test_bad_integer_parameters(name, value, exc):
    for call in _stft_like_calls(name, value):
        with pytest.raises(exc, match=name):
            call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: cepstra.stft(y(), n_fft=2**40),
        lambda: cepstra.stft(y(), n_fft=2**40, center=False),
        lambda: cepstra.stft(y(), n_fft=2**62, hop_length=512),
        lambda: cepstra.feature.melspectrogram(y=y(), n_fft=2**40),
        lambda: cepstra.feature.mfcc(y=y(), n_fft=2**40),
        lambda: cepstra.STFT(n_fft=2**40),
        lambda: cepstra.MFCC(sr=22050, n_fft=2**40),
        lambda: cepstra.filters.mel(sr=22050, n_fft=2**40),
        lambda: cepstra.istft(np.zeros((257, 4), np.complex64), n_fft=2**40),
    ],
    ids=["stft", "stft-uncentered", "stft-2**62", "melspectrogram", "mfcc", "STFT", "MFCC", "filters.mel", "istft"],
)
def test_huge_n_fft_rejected_quickly(call):
    """An absurd n_fft must be rejected up front, not by trying to allocate terabytes."""
    t0 = time.perf_counter()
    with pytest.raises(PE, match="n_fft"):
        call()
    assert time.perf_counter() - t0 < 2.0


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: cepstra.stft(y(), n_fft=2**64), "n_fft"),
        (lambda: cepstra.stft(y(), n_fft=512, hop_length=2**64), "hop_length"),
        (lambda: cepstra.istft(np.zeros((257, 4), np.complex128), hop_length=2**40), "hop_length"),
        (lambda: cepstra.istft(np.zeros((257, 4), np.complex128), hop_length=128, length=2**40), "length"),
        (lambda: cepstra.filters.mel(sr=22050, n_fft=512, n_mels=2**40), "n_mels"),
        (lambda: cepstra.stft(y(), n_fft=512, win_length=2**40), "win_length"),
    ],
    ids=["n_fft-2**64", "hop-2**64", "istft-huge-output-hop", "istft-huge-length", "n_mels", "win_length"],
)
def test_huge_sizes_rejected_quickly(call, match):
    """Sizes whose output would need terabytes (or overflow int64) are rejected, not attempted."""
    t0 = time.perf_counter()
    with pytest.raises(TYPE_OR_PE, match=match):
        call()
    assert time.perf_counter() - t0 < 2.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: cepstra.stft(y(), n_fft=512, win_length=513),
        lambda: cepstra.istft(np.zeros((257, 4), np.complex128), win_length=513),
        lambda: cepstra.feature.melspectrogram(y=y(), n_fft=400, win_length=401),
        lambda: cepstra.feature.mfcc(y=y(), n_fft=400, win_length=512),
        lambda: cepstra.STFT(n_fft=256, win_length=1024),
    ],
    ids=["stft", "istft", "melspectrogram", "mfcc", "STFT"],
)
def test_win_length_longer_than_n_fft(call):
    with pytest.raises(PE, match="win_length"):
        call()


# ------------------------------------------------------------------- window and pad_mode


@pytest.mark.parametrize(
    "window,win_length,exc",
    [
        ("bogus", None, PE),
        ("hanning ", None, PE),
        (np.ones(511), None, PE),  # array window must have length win_length (= n_fft here)
        (np.ones(513), None, PE),
        (np.ones(400), 300, PE),
        (np.ones((2, 256)), 256, PE),
        (3, None, TYPE_OR_PE),
    ],
    ids=["bogus", "trailing-space", "array-short", "array-long", "array-vs-win_length", "array-2d", "int"],
)
def test_bad_window(window, win_length, exc):
    calls = [
        lambda: cepstra.stft(y(), n_fft=512, win_length=win_length, window=window),
        lambda: cepstra.feature.melspectrogram(y=y(), n_fft=512, win_length=win_length, window=window),
        lambda: cepstra.feature.mfcc(y=y(), n_fft=512, win_length=win_length, window=window),
        lambda: cepstra.istft(np.zeros((257, 8), np.complex128), win_length=win_length, window=window),
        lambda: cepstra.STFT(n_fft=512, win_length=win_length, window=window),
    ]
    for call in calls:
        with pytest.raises(exc, match="window"):
            call()


def test_bad_get_window():
    with pytest.raises(PE, match="window"):
        cepstra.filters.get_window("bogus", 64)
    with pytest.raises(PE, match="Nx"):
        cepstra.filters.get_window("hann", 0)
    with pytest.raises(PE, match="window"):
        cepstra.filters.get_window(np.ones(10), 64)


@pytest.mark.parametrize("pad_mode", ["bogus", "wrap", "mean", "maximum", "", "REFLECT"])
def test_bad_pad_mode(pad_mode):
    calls = [
        lambda: cepstra.stft(y(), n_fft=512, pad_mode=pad_mode),
        lambda: cepstra.feature.melspectrogram(y=y(), n_fft=512, pad_mode=pad_mode),
        lambda: cepstra.feature.mfcc(y=y(), n_fft=512, pad_mode=pad_mode),
        lambda: cepstra.STFT(n_fft=512, pad_mode=pad_mode),
    ]
    for call in calls:
        with pytest.raises(PE, match="pad_mode"):
            call()


# ------------------------------------------------------------------------- mel parameters


def _mel_calls(**kw):
    """Every entry point that builds a mel filterbank, given the mel keyword arguments."""
    norm = kw.pop("norm", "slaney")
    sr = kw.pop("sr", 22050)
    return [
        lambda: cepstra.filters.mel(sr=sr, n_fft=512, norm=norm, **kw),
        lambda: cepstra.feature.melspectrogram(y=y(), sr=sr, n_fft=512, norm=norm, **kw),
        lambda: cepstra.feature.melspectrogram(S=np.ones((257, 10)), sr=sr, norm=norm, **kw),
        lambda: cepstra.feature.mfcc(y=y(), sr=sr, n_fft=512, mel_norm=norm, n_mfcc=1, **kw),
        lambda: cepstra.MelSpectrogram(sr=sr, n_fft=512, norm=norm, **kw),
        lambda: cepstra.MFCC(sr=sr, n_fft=512, mel_norm=norm, n_mfcc=1, **kw),
    ]


@pytest.mark.parametrize(
    "kw,match",
    [
        (dict(sr=0), "sr"),
        (dict(sr=-22050), "sr"),
        (dict(fmin=-1.0), "fmin"),
        (dict(fmin=5000.0, fmax=4000.0), "fmin|fmax"),
        (dict(fmin=4000.0, fmax=4000.0), "fmin|fmax"),
        (dict(fmin=12000.0), "fmin|fmax"),  # fmax defaults to sr/2 = 11025
        (dict(n_mels=0), "n_mels"),
        (dict(n_mels=-4), "n_mels"),
        (dict(norm="bogus"), "norm"),
        (dict(norm=-1.0), "norm"),
        (dict(fmin=float("nan")), "fmin"),
        (dict(sr=float("inf")), "sr"),
    ],
    ids=[
        "sr0",
        "sr<0",
        "fmin<0",
        "fmin>fmax",
        "fmin=fmax",
        "fmin>nyquist",
        "n_mels0",
        "n_mels<0",
        "norm-name",
        "norm<0",
        "fmin-nan",
        "sr-inf",
    ],
)
def test_bad_mel_parameters(kw, match):
    for call in _mel_calls(**kw):
        with pytest.raises(PE, match=match):
            call()


# ------------------------------------------------------------------------ MFCC parameters


@pytest.mark.parametrize(
    "kw,match",
    [
        (dict(n_mfcc=0), "n_mfcc"),
        (dict(n_mfcc=-1), "n_mfcc"),
        (dict(n_mfcc=41, n_mels=40), "n_mfcc"),
        (dict(dct_type=0), "dct_type"),
        (dict(dct_type=4), "dct_type"),
        (dict(norm="bogus"), "norm"),
        (dict(norm="slaney"), "norm"),  # the DCT norm is 'ortho' or None only
        (dict(lifter=-1), "lifter"),
        (dict(lifter=-0.5), "lifter"),
    ],
    ids=["n_mfcc0", "n_mfcc<0", "n_mfcc>n_mels", "dct0", "dct4", "norm-bogus", "norm-slaney", "lifter-1", "lifter-0.5"],
)
def test_bad_mfcc_parameters(kw, match):
    kw_S = {k: v for k, v in kw.items() if k != "n_mels"}
    S = np.zeros((kw.get("n_mels", 128), 10))
    calls = [
        lambda: cepstra.feature.mfcc(y=y(), sr=22050, n_fft=512, **kw),
        lambda: cepstra.feature.mfcc(S=S, **kw_S),
        lambda: cepstra.MFCC(sr=22050, n_fft=512, **kw),
    ]
    for call in calls:
        with pytest.raises(PE, match=match):
            call()


def test_n_mfcc_larger_than_S_bins():
    with pytest.raises(PE, match="n_mfcc"):
        cepstra.feature.mfcc(S=np.zeros((12, 10)), n_mfcc=13)


@pytest.mark.parametrize(
    "call",
    [
        lambda: cepstra.feature.mfcc(),
        lambda: cepstra.feature.mfcc(sr=22050, n_mfcc=13),
        lambda: cepstra.feature.melspectrogram(),
        lambda: cepstra.feature.melspectrogram(sr=16000, n_fft=512),
    ],
    ids=["mfcc", "mfcc-kw", "melspectrogram", "melspectrogram-kw"],
)
def test_neither_y_nor_S(call):
    with pytest.raises(PE, match=r"\by\b|\bS\b"):
        call()


def test_melspectrogram_S_inconsistent_with_n_fft():
    """An explicit n_fft whose bin count (n_fft//2 + 1) differs from S's is an error
    (librosa silently replaces n_fft; cepstra refuses). Omitting n_fft infers it from S."""
    S = np.ones((257, 10))
    for n_fft in (1024, 2048, 510, 515):
        with pytest.raises(PE, match="n_fft"):
            cepstra.feature.melspectrogram(S=S, sr=22050, n_fft=n_fft)
    # consistent n_fft values are accepted (257 bins fit n_fft 512 and 513)
    for n_fft in (512, 513):
        out = cepstra.feature.melspectrogram(S=S, sr=22050, n_fft=n_fft, n_mels=20)
        assert out.shape == (20, 10)


@pytest.mark.parametrize(
    "S,exc",
    [
        (np.ones(257), PE),  # 1-D: no frequency axis
        (np.full((257, 5), np.nan), PE),
        (np.zeros((257, 0)), PE),
        (np.ones((257, 5), dtype=np.int32), TYPE_OR_PE),
    ],
    ids=["1-d", "nan", "no-frames", "int"],
)
def test_bad_S(S, exc):
    with pytest.raises(exc, match=r"\bS\b"):
        cepstra.feature.melspectrogram(S=S, sr=22050)
    with pytest.raises(exc, match=r"\bS\b"):
        cepstra.feature.mfcc(S=S[:40] if S.ndim > 1 else S, n_mfcc=13)


# ---------------------------------------------------------------------------- dB scaling


@pytest.mark.parametrize("func", [cepstra.power_to_db, cepstra.amplitude_to_db])
@pytest.mark.parametrize(
    "kw,match",
    [
        (dict(amin=0.0), "amin"),
        (dict(amin=-1e-10), "amin"),
        (dict(top_db=-1.0), "top_db"),
        (dict(top_db=-80), "top_db"),
    ],
    ids=["amin0", "amin<0", "top_db<0", "top_db-int<0"],
)
def test_bad_db_parameters(func, kw, match):
    S = np.ones((10, 10))
    with pytest.raises(PE, match=match):
        func(S, **kw)
    np.testing.assert_array_equal(S, 1.0)


# ---------------------------------------------------------------------------------- istft


@pytest.mark.parametrize("bins,n_fft", [(257, 1024), (257, 511), (257, 514), (1025, 2047), (1, 2)])
def test_istft_bins_do_not_fit_n_fft(bins, n_fft):
    S = np.ones((bins, 6), dtype=np.complex128)
    with pytest.raises(PE, match="n_fft"):
        cepstra.istft(S, n_fft=n_fft, hop_length=16)


@pytest.mark.parametrize(
    "S,exc",
    [
        (np.ones(257, np.complex128), PE),  # needs (..., bins, frames)
        (np.ones((257, 0), np.complex128), PE),
        (np.full((257, 4), np.nan + 0j), PE),
        (np.ones((257, 4), np.float64), TYPE_OR_PE),  # must be complex
    ],
    ids=["1-d", "no-frames", "nan", "real"],
)
def test_bad_istft_matrix(S, exc):
    with pytest.raises(exc, match="stft_matrix"):
        cepstra.istft(S, hop_length=128)


def test_istft_bad_length():
    with pytest.raises(PE, match="length"):
        cepstra.istft(np.ones((257, 4), np.complex128), hop_length=128, length=-5)


# ---------------------------------------------------------------------------------- delta


@pytest.mark.parametrize(
    "kw,shape,match",
    [
        (dict(width=4), (13, 30), "width"),
        (dict(width=8), (13, 30), "width"),
        (dict(width=1), (13, 30), "width"),
        (dict(width=0), (13, 30), "width"),
        (dict(width=-3), (13, 30), "width"),
        (dict(width=11, mode="interp"), (13, 9), "width"),  # wider than the number of frames
        (dict(width=9), (13, 8), "width"),  # default mode is interp
        (dict(width=5, axis=0), (4, 30), "width"),
        (dict(order=0), (13, 30), "order"),
        (dict(order=-1), (13, 30), "order"),
        (dict(order=1.5), (13, 30), "order"),
        (dict(mode="bogus"), (13, 30), "mode"),
    ],
    ids=[
        "w4",
        "w8",
        "w1",
        "w0",
        "w-3",
        "w>frames",
        "w>frames-default",
        "w>frames-axis0",
        "order0",
        "order-1",
        "order1.5",
        "mode",
    ],
)
def test_bad_delta(kw, shape, match):
    data = np.ones(shape)
    with pytest.raises(TYPE_OR_PE, match=match):
        cepstra.feature.delta(data, **kw)


# ---------------------------------------------------------------------------------- frame


@pytest.mark.parametrize(
    "kw,match",
    [
        (dict(frame_length=101, hop_length=10), "frame_length"),  # longer than the input
        (dict(frame_length=0, hop_length=10), "frame_length"),
        (dict(frame_length=10, hop_length=0), "hop_length"),
        (dict(frame_length=10, hop_length=-2), "hop_length"),
    ],
)
def test_bad_frame(kw, match):
    with pytest.raises(PE, match=match):
        cepstra.util.frame(np.zeros(100), **kw)


# -------------------------------------------------------- extractors validate when built


@pytest.mark.parametrize(
    "build,match",
    [
        (lambda: cepstra.MFCC(sr=22050, n_mfcc=0), "n_mfcc"),
        (lambda: cepstra.MFCC(sr=22050, n_mfcc=30, n_mels=20), "n_mfcc"),
        (lambda: cepstra.MFCC(sr=-1), "sr"),
        (lambda: cepstra.MFCC(sr=22050, dct_type=5), "dct_type"),
        (lambda: cepstra.MFCC(sr=22050, lifter=-2), "lifter"),
        (lambda: cepstra.MelSpectrogram(sr=16000, fmin=9000.0), "fmin|fmax"),
        (lambda: cepstra.MelSpectrogram(sr=16000, n_mels=0), "n_mels"),
        (lambda: cepstra.STFT(n_fft=512, window="bogus"), "window"),
        (lambda: cepstra.STFT(n_fft=0), "n_fft"),
    ],
)
def test_extractor_rejects_bad_parameters_at_construction(build, match):
    with pytest.raises(PE, match=match):
        build()


# ------------------------------------------------------------ inputs are never modified


def test_inputs_never_modified():
    sig = make_signal(3000)
    batch = np.stack([sig, -sig])
    S = np.abs(np.random.default_rng(0).standard_normal((257, 12))) ** 2
    Sc = np.random.default_rng(1).standard_normal((257, 12)) + 1j
    copies = [a.copy() for a in (sig, batch, S, Sc)]
    cepstra.stft(sig, n_fft=512, pad_mode="reflect")
    cepstra.stft(batch, n_fft=256, center=False)
    cepstra.istft(Sc, hop_length=128)
    cepstra.feature.melspectrogram(y=batch, n_fft=512)
    cepstra.feature.melspectrogram(S=S, sr=22050)
    cepstra.feature.mfcc(y=sig, n_fft=512)
    cepstra.feature.mfcc(S=cepstra.power_to_db(S), n_mfcc=13)
    cepstra.power_to_db(S, ref=np.max)
    cepstra.amplitude_to_db(S, ref=np.max)
    cepstra.db_to_power(S)
    cepstra.feature.delta(S, width=5, order=2)
    cepstra.MFCC(sr=22050, n_fft=512)(batch)
    cepstra.fft.rfft(batch)
    for a, c in zip((sig, batch, S, Sc), copies):
        np.testing.assert_array_equal(a, c)
        assert a.flags.writeable


def test_read_only_inputs_accepted_and_stay_read_only():
    sig = make_signal(3000)
    sig.setflags(write=False)
    S = cepstra.stft(sig, n_fft=512)
    assert S.flags.writeable  # the result is a fresh array
    M = cepstra.feature.melspectrogram(y=sig, n_fft=512, hop_length=128)
    C = cepstra.feature.mfcc(y=sig, n_fft=512, hop_length=128)
    assert M.shape[-1] == C.shape[-1] == S.shape[-1]
    assert not sig.flags.writeable
    np.testing.assert_array_equal(sig, make_signal(3000))


def test_valid_edge_values_accepted():
    """Boundary values that are legal must not be rejected."""
    s = y()
    assert cepstra.stft(s, n_fft=512, win_length=512).shape == (257, 33)  # win_length == n_fft
    assert cepstra.stft(s, n_fft=4096, center=False).shape == (2049, 1)  # len == n_fft
    assert cepstra.feature.mfcc(y=s, n_mfcc=128).shape[0] == 128  # n_mfcc == n_mels
    assert cepstra.feature.mfcc(y=s, n_mfcc=13, lifter=0.0).shape[0] == 13
    assert cepstra.feature.delta(np.ones((2, 3)), width=3).shape == (2, 3)  # width == frames
    assert cepstra.power_to_db(np.ones(3), top_db=0.0).shape == (3,)
    assert cepstra.filters.mel(sr=22050, n_fft=512, n_mels=20, fmax=12000.0).shape == (20, 257)  # fmax > sr/2
    assert cepstra.util.frame(np.zeros(10), frame_length=10, hop_length=1).shape == (10, 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_found_at_every_position_and_layout(dtype, bad):
    """The one-pass SIMD check sees a bad value in any lane, in the tail, and through strides."""
    for pos in (0, 5, 16, 31, 32, 999):
        y = np.zeros((2, 1000), dtype)
        y[1, pos] = bad
        with pytest.raises(PE, match="y"):
            cepstra.stft(y, n_fft=256)
        with pytest.raises(PE, match="y"):
            cepstra.stft(np.asfortranarray(y), n_fft=256)
        strided = y[:, pos % 3 :: 3]
        with pytest.raises(PE, match="y"):
            cepstra.stft(strided, n_fft=128)
    big = np.full((3, 770), np.finfo(dtype).max, dtype)  # finite extremes are accepted
    assert cepstra.stft(big, n_fft=256).shape == (3, 129, 1 + 770 // 64)
