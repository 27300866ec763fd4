"""Streaming the Kaldi front ends: cepstra.kaldi.Fbank / Mfcc, and cepstra.Stream over them.

Any chunking, concatenated on axis 0 (Kaldi is time-major), must be bit-identical to the offline
call on the whole waveform, for both framings (snip_edges), dither with a seed, both dtypes and
lengths around the frame boundaries. The rule for "frame f is final after R samples" is checked
against a brute-force definition (same value for every possible continuation and final length).
"""

import numpy as np
import pytest

import cepstra
from cepstra import ParameterError, kaldi

F32, F64 = np.float32, np.float64

# (name, options): window / shift in samples at the given rate, chosen to cover even and odd
# sizes, shift > window, a window not a power of two, and every option that changes the kernel.
CONFIGS = [
    ("default-400-160", {}),
    ("shift>win-160-240", {"frame_length": 10.0, "frame_shift": 15.0, "use_energy": True}),
    (
        "odd-win-101-40",
        {
            "sample_frequency": 8000.0,
            "frame_length": 12.625,
            "frame_shift": 5.0,
            "round_to_power_of_two": False,
            "window_type": "hamming",
        },
    ),
    (
        "odd-shift-100-33",
        {
            "sample_frequency": 8000.0,
            "frame_length": 12.5,
            "frame_shift": 4.125,
            "num_mel_bins": 15,
            "raw_energy": False,
            "use_energy": True,
            "htk_compat": True,
        },
    ),
    (
        "win=shift-320",
        {
            "frame_length": 20.0,
            "frame_shift": 20.0,
            "window_type": "blackman",
            "preemphasis_coefficient": 0.0,
            "remove_dc_offset": False,
        },
    ),
]
FUNCS = [("fbank", kaldi.Fbank, kaldi.fbank), ("mfcc", kaldi.Mfcc, kaldi.mfcc)]


def _signal(n, dtype, seed=0, int16_valued=False):
    rng = np.random.default_rng(seed)
    y = rng.standard_normal(n) * 3000.0 + np.sin(np.arange(n) * 0.05) * 5000.0
    if int16_valued:
        y = np.clip(np.round(y), -32768, 32767)
    return y.astype(dtype)


def _chunkings(n, rng, one_sample=True):
    """1 sample, odd sizes, random sizes, everything at once."""
    if one_sample:
        yield [1] * n
    yield [7, 333, 1, 2048, 160] * (n // 2549 + 1)
    yield list(rng.integers(1, 700, size=n // 100 + 2))
    yield [n]


def _stream(ext, y, sizes):
    s = cepstra.Stream(ext)
    assert s.time_axis == 0
    parts, i = [], 0
    for k in sizes:
        if i >= len(y):
            break
        part = s.push(y[i : i + k])
        assert part.ndim == 2 and part.dtype == y.dtype
        parts.append(part)
        i += k
    parts.append(s.flush())
    assert s.frames_emitted == sum(p.shape[0] for p in parts)
    return np.concatenate(parts, axis=s.time_axis)


def _lengths(ext):
    """0 frames, exactly one frame, around the second frame, a few frames, long."""
    win, shift = ext.window_size, ext.window_shift
    if ext._opts["snip_edges"]:
        one = win
        zero = [1, win - 1]
    else:
        one = shift - shift // 2  # (n + shift//2) // shift == 1; far shorter than the window
        zero = [1] if one > 1 else []
    return zero + [one, one + shift - 1, one + shift, win + 3 * shift + 1, 16000 + 123]


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("snip_edges", [True, False])
@pytest.mark.parametrize("name,opts", CONFIGS, ids=[c[0] for c in CONFIGS])
@pytest.mark.parametrize("fname,cls,fn", FUNCS, ids=[f[0] for f in FUNCS])
def test_stream_equals_offline(fname, cls, fn, name, opts, snip_edges, dtype):
    kw = dict(opts, snip_edges=snip_edges)
    if fname == "fbank" and name == "win=shift-320":
        kw.update(use_log_fbank=False, use_power=False)
    ext = cls(**kw)
    rng = np.random.default_rng(len(name))
    for n in _lengths(ext):
        y = _signal(n, dtype, seed=n)
        ref = fn(y, **kw)
        assert ref.shape == (ext.n_frames(n), ext.num_bins)
        for sizes in _chunkings(n, rng, one_sample=n <= 4000):
            out = _stream(ext, y, sizes)
            assert out.dtype == ref.dtype and out.shape == ref.shape
            assert np.array_equal(out, ref), (n, sizes[:4])


@pytest.mark.parametrize("snip_edges", [True, False])
@pytest.mark.parametrize("fname,cls,fn", FUNCS, ids=[f[0] for f in FUNCS])
def test_stream_with_seeded_dither_equals_offline(fname, cls, fn, snip_edges):
    kw = dict(dither=1.0, seed=1234, snip_edges=snip_edges, use_energy=True)
    ext = cls(**kw)
    rng = np.random.default_rng(5)
    for n in (80, 400, 561, 7001):
        for dtype in (F32, F64):
            y = _signal(n, dtype, seed=n)
            ref = fn(y, **kw)
            assert np.array_equal(ref, ext(y))
            for sizes in _chunkings(n, rng, one_sample=n <= 1000):
                assert np.array_equal(_stream(ext, y, sizes), ref)
    # the noise is really there, and differs with the seed
    y = _signal(3000, F32)
    assert not np.array_equal(ext(y), fn(y, **dict(kw, dither=0.0)))
    assert not np.array_equal(_stream(ext, y, [3000]), _stream(cls(**dict(kw, seed=1235)), y, [3000]))


def test_unseeded_dither_stream_draws_one_seed_per_stream():
    ext = kaldi.Fbank(dither=1.0)
    y = _signal(4000, F32)
    a, b = _stream(ext, y, [1000] * 4), _stream(ext, y, [4000])
    assert a.shape == b.shape and not np.array_equal(a, b)
    # within one stream the frames are consistent: without dither the stream is exact anyway
    assert np.array_equal(_stream(kaldi.Fbank(), y, [1] * 4000), kaldi.fbank(y))


@pytest.mark.parametrize("snip_edges", [True, False])
def test_int16_valued_input(snip_edges):
    x = _signal(9001, F64, seed=9, int16_valued=True).astype(np.int16)
    for cls, fn in ((kaldi.Fbank, kaldi.fbank), (kaldi.Mfcc, kaldi.mfcc)):
        ext = cls(snip_edges=snip_edges, num_mel_bins=40, use_energy=True)
        ref = fn(x, snip_edges=snip_edges, num_mel_bins=40, use_energy=True)
        assert ref.dtype == F32 and np.array_equal(ext(x), ref)
        # Stream takes float chunks: the int16 samples as float32 (unscaled, as Kaldi) give the same
        y = x.astype(F32)
        for sizes in ([1] * 3000 + [6001], [997] * 10, [9001]):
            assert np.array_equal(_stream(ext, y, sizes), ref)


@pytest.mark.parametrize("snip_edges", [True, False])
def test_short_waveforms_give_zero_frames_like_offline(snip_edges):
    for cls in (kaldi.Fbank, kaldi.Mfcc):
        ext = cls(snip_edges=snip_edges, frame_length=100.0)  # 1600-sample window
        n_zero = ext.window_size - 1 if snip_edges else ext.window_shift // 2 + (ext.window_shift % 2) - 1
        for n in range(1, n_zero + 1, 97):
            y = _signal(n, F32)
            ref = ext(y)
            assert ref.shape == (0, ext.num_bins)
            out = _stream(ext, y, [3] * n)
            assert out.shape == (0, ext.num_bins) and out.dtype == F32


@pytest.mark.parametrize("snip_edges", [True, False])
def test_window_longer_than_signal_reflects_many_times(snip_edges):
    # snip_edges=False with N < win/2: indices bounce several times between the ends
    ext = kaldi.Mfcc(snip_edges=snip_edges, frame_length=200.0, frame_shift=10.0)  # win 3200, shift 160
    for n in (80, 500, 1700, 3300):
        y = _signal(n, F64, seed=n)
        ref = ext(y)
        for sizes in ([1] * n, [n], [41] * (n // 41 + 1)):
            assert np.array_equal(_stream(ext, y, sizes), ref)


# ---- which frames are final -------------------------------------------------------------------


def _brute_ready(ext, y, R, rng):
    """Number of leading frames that are the same for every final length N >= R and every
    continuation of y[:R] (two random continuations, every N up to where no frame can change)."""
    win, shift = ext.window_size, ext.window_shift
    horizon = R + win + 2 * shift + 2
    conts = [np.concatenate([y[:R], rng.standard_normal(horizon - R) * 3000.0]) for _ in range(2)]
    # (N >= 1: an empty waveform is an error offline, issue 13)
    outs = [ext(c[:N]) for c in conts for N in range(max(R, 1), horizon + 1)]
    ready = 0
    while True:
        if any(o.shape[0] <= ready for o in outs):
            return ready  # frame `ready` may not exist
        if not all(np.array_equal(o[ready], outs[0][ready]) for o in outs):
            return ready  # frame `ready` depends on samples or the length not known yet
        ready += 1


def _rule(win, shift, snip_edges, R):
    """The documented rule, in closed form."""
    if snip_edges:
        return 0 if R < win else 1 + (R - win) // shift  # f*shift + win <= R
    exists = (R + shift // 2) // shift  # f < (R + shift//2) // shift
    last = R - shift // 2 - (win - win // 2)  # f*shift + shift//2 - win//2 + win <= R
    covered = 0 if last < 0 else last // shift + 1
    return min(exists, covered)


@pytest.mark.filterwarnings("ignore:num_mel_bins")  # tiny FFTs: some mel bins are empty, irrelevant here
@pytest.mark.parametrize("snip_edges", [True, False])
@pytest.mark.parametrize(
    "sr,length_ms,shift_ms",
    [
        (1000.0, 10.0, 4.0),  # win 10, shift 4
        (1000.0, 7.0, 3.0),  # odd win, odd shift
        (1000.0, 5.0, 8.0),  # shift > win
        (1000.0, 8.0, 8.0),  # shift == win
        (1000.0, 12.0, 1.0),  # shift 1
    ],
)
def test_frames_ready_is_exactly_the_final_frames(sr, length_ms, shift_ms, snip_edges):
    ext = kaldi.Fbank(
        sample_frequency=sr,
        frame_length=length_ms,
        frame_shift=shift_ms,
        num_mel_bins=3,
        low_freq=0.0,
        snip_edges=snip_edges,
        round_to_power_of_two=False,
        window_type="hamming",
    )
    spec = ext._stream_spec()
    win, shift = ext.window_size, ext.window_shift
    rng = np.random.default_rng(int(win * 100 + shift))
    y = rng.standard_normal(4 * win + 6 * shift) * 3000.0
    for R in range(0, 2 * win + 3 * shift):
        expected = _brute_ready(ext, y, R, rng)
        assert spec.frames_ready(R) == expected == _rule(win, shift, snip_edges, R), R
        # the samples kept after emitting them cover every frame still to come, whatever N
        keep = spec.keep_from(expected, R)
        for N in range(max(R, 1), R + win + 2 * shift):
            for f in range(expected, ext.n_frames(N)):
                s = f * shift if snip_edges else f * shift + shift // 2 - win // 2
                for j in range(s, s + win):
                    while j < 0 or j >= N:
                        j = -j - 1 if j < 0 else 2 * N - 1 - j
                    assert j >= keep, (R, N, f)


def test_frames_emitted_before_the_end():
    ext = kaldi.Fbank()  # win 400, shift 160
    s = cepstra.Stream(ext)
    y = _signal(16000, F32)
    first = s.push(y[:8000])
    assert first.shape == (1 + (8000 - 400) // 160, 23)
    s.push(y[8000:])
    assert s.flush().shape == (0, 23)  # snip_edges: nothing depends on the end

    ext = kaldi.Fbank(snip_edges=False)
    s = cepstra.Stream(ext)
    first = s.push(y[:8000])
    # frame f reads from f*160 + 80 - 200: final when f*160 - 120 + 400 <= 8000
    assert first.shape == ((8000 - 280) // 160 + 1, 23)
    s.push(y[8000:])
    tail = s.flush()
    assert 0 < tail.shape[0] <= 2 and s.frames_emitted == (16000 + 80) // 160


# ---- memory, misuse, the frame-range entry point ------------------------------------------------


@pytest.mark.parametrize("snip_edges", [True, False])
@pytest.mark.parametrize("length_ms,shift_ms", [(25.0, 10.0), (10.0, 15.0), (25.1, 3.3)])
def test_stream_memory_is_bounded(length_ms, shift_ms, snip_edges):
    ext = kaldi.Mfcc(frame_length=length_ms, frame_shift=shift_ms, snip_edges=snip_edges)
    s = cepstra.Stream(ext)
    win, shift = ext.window_size, ext.window_shift
    for k in range(300):
        s.push(np.zeros(997 if k % 2 else 13, F32))
        assert s._buf.size <= win + shift + 1
    assert s.samples_received == 150 * (997 + 13)


def test_stream_rejects_misuse():
    for cls in (kaldi.Fbank, kaldi.Mfcc):
        with pytest.raises(ParameterError, match="subtract_mean"):
            cepstra.Stream(cls(subtract_mean=True))
    s = cepstra.Stream(kaldi.Fbank())
    with pytest.raises(ParameterError, match="no samples"):
        s.flush()
    s.push(np.zeros(100, F32))
    with pytest.raises(TypeError, match="dtype"):
        s.push(np.zeros(10, F64))
    with pytest.raises(ParameterError, match="chunk"):
        s.push(np.full(10, np.inf, F32))
    with pytest.raises(ParameterError, match="chunk"):
        s.push(np.zeros((1, 10), F32))
    assert s.flush().shape == (0, 23)
    with pytest.raises(ParameterError, match="flush"):
        s.push(np.zeros(10, F32))
    with pytest.raises(ParameterError, match="flush"):
        s.flush()


@pytest.mark.parametrize("snip_edges", [True, False])
def test_frame_range_entry_point_checks_coverage(snip_edges):
    ext = kaldi.Mfcc(snip_edges=snip_edges, dither=0.5, seed=3)
    y = _signal(5000, F64)
    ref = ext(y)
    p = ext._plan("float64")
    win, shift, N = ext.window_size, ext.window_shift, len(y)
    rng = np.random.default_rng(0)
    for _ in range(30):
        f0 = int(rng.integers(0, ref.shape[0]))
        f1 = int(rng.integers(f0, ref.shape[0] + 1))
        # the exact set of samples frames [f0, f1) read
        read = set()
        for f in range(f0, f1):
            s = f * shift if snip_edges else f * shift + shift // 2 - win // 2
            for j in range(s, s + win):
                while j < 0 or j >= N:
                    j = -j - 1 if j < 0 else 2 * N - 1 - j
                read.add(j)
        if not read:
            assert p.frames(y[:0].copy(), 0, N, f0, f1, 3).shape == (0, 13)
            continue
        lo, hi = min(read), max(read) + 1
        out = p.frames(y[lo:hi].copy(), lo, N, f0, f1, 3)
        assert np.array_equal(out, ref[f0:f1])
        with pytest.raises(ParameterError, match="cover"):
            p.frames(y[lo + 1 : hi].copy(), lo + 1, N, f0, f1, 3)
        with pytest.raises(ParameterError, match="cover"):
            p.frames(y[lo : hi - 1].copy(), lo, N, f0, f1, 3)
    with pytest.raises(ParameterError, match="out of bounds"):
        p.frames(y.copy(), 0, N, 0, ref.shape[0] + 1, 3)
    with pytest.raises(ParameterError, match="segment out of bounds"):
        p.frames(y.copy(), 1, N, 0, 1, 3)
    with pytest.raises(TypeError):
        p.frames(y.astype(F32), 0, N, 0, 1, 3)


# ---- the extractor classes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"snip_edges": False, "use_energy": True, "htk_compat": True},
        {"dither": 1.0, "seed": 99, "frame_shift": 12.5, "window_type": "hanning"},
        {"subtract_mean": True, "energy_floor": 0.0, "use_energy": True},
        {"sample_frequency": 8000.0, "num_mel_bins": 20, "low_freq": 64.0, "high_freq": -200.0},
    ],
)
@pytest.mark.parametrize("fname,cls,fn", FUNCS, ids=[f[0] for f in FUNCS])
def test_extractor_classes_equal_the_functions(fname, cls, fn, kw):
    ext = cls(**kw)
    ys = [_signal(n, dt, seed=n) for n, dt in ((12345, F32), (399, F32), (8000, F64))]
    ys.append(_signal(2 * 3 * 4000, F32, seed=1).reshape(2, 3, 4000))
    ys.append(_signal(7000, F64, seed=3, int16_valued=True).astype(np.int16))
    singles = [fn(y, **kw) for y in ys]
    for y, ref in zip(ys, singles):
        got = ext(y)
        assert got.dtype == ref.dtype and got.shape == ref.shape and np.array_equal(got, ref)
        assert ref.shape[-2:] == (ext.n_frames(y.shape[-1]), ext.num_bins)
    batch = ext(ys)
    assert isinstance(batch, list) and len(batch) == len(ys)
    for got, ref in zip(batch, singles):
        assert got.dtype == ref.dtype and got.shape == ref.shape and np.array_equal(got, ref)


def test_extractors_validate_at_construction():
    for cls in (kaldi.Fbank, kaldi.Mfcc):
        with pytest.raises(ParameterError, match="frame_length"):
            cls(frame_length=0.0)
        with pytest.raises(ParameterError, match="high_freq"):
            cls(high_freq=9000.0)
        with pytest.raises(ParameterError, match="seed"):
            cls(dither=1.0, seed=-1)
        with pytest.raises(TypeError):
            cls(no_such_option=1)
    with pytest.raises(ParameterError, match="num_ceps"):
        kaldi.Mfcc(num_ceps=30)
    with pytest.warns(UserWarning, match="num_mel_bins"):
        kaldi.Fbank(sample_frequency=8000.0, num_mel_bins=150)
    with pytest.raises(ParameterError, match="waveform"):
        kaldi.Fbank()([np.zeros(500), np.full(500, np.nan)])


def test_unseeded_dither_differs_per_list_item():
    ext = kaldi.Fbank(dither=1.0)
    a, b = ext([np.zeros(4000), np.zeros(4000)])
    assert not np.array_equal(a, b)
    a, b = kaldi.Fbank(dither=1.0, seed=4)([np.zeros(4000), np.zeros(4000)])
    assert np.array_equal(a, b) and np.array_equal(a, kaldi.fbank(np.zeros(4000), dither=1.0, seed=4))


def test_librosa_streams_keep_time_axis_minus_one():
    assert cepstra.Stream(cepstra.STFT(n_fft=256)).time_axis == -1


def test_functions_still_take_a_list_as_one_array():
    ys = [_signal(3000, F32, seed=s) for s in range(2)]
    out = kaldi.fbank(ys)
    assert isinstance(out, np.ndarray) and np.array_equal(out, kaldi.fbank(np.stack(ys)))
    assert isinstance(kaldi.Fbank()(ys), list)
