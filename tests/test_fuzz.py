"""Property fuzzing against librosa: random parameters, shapes, dtypes, memory layouts and
signal lengths 0..3*n_fft.

For every generated case cepstra must either
  * return the same result as librosa (within the suite's tolerances, see conftest.py), or
  * raise ParameterError / TypeError,
and never crash, hang, return garbage or modify its input. When the case is plainly valid
(librosa's own preconditions hold and nothing is deliberately refused by cepstra, see the README's
"Differences from librosa") cepstra must return a result.

Duration: CEPSTRA_FUZZ_SECONDS (default 10 s); CI runs it for 60 s or more. Each batch of
examples runs under a fixed hypothesis seed (printed on failure) so any failure replays.
"""

import os
import time
import warnings

import librosa
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

import cepstra
from conftest import assert_abs_close, assert_close, tol_for
from test_vs_librosa import mfcc_float32_atol

FUZZ_SECONDS = float(os.environ.get("CEPSTRA_FUZZ_SECONDS", "10"))
EXAMPLES_PER_BATCH = 20

FUNCS = ("stft", "melspectrogram", "mfcc")
GOOD_DTYPES = (np.float32, np.float64)
BAD_DTYPES = (np.int16, np.float16, np.complex64, np.bool_)
LAYOUTS = ("contiguous", "reversed", "strided", "fortran", "broadcast", "big-endian", "unaligned", "read-only")
WINDOWS = ("hann", "hamming", "blackman", "boxcar")
PAD_MODES = ("constant", "reflect", "edge", "symmetric")


@st.composite
def cases(draw):
    func = draw(st.sampled_from(FUNCS))
    c = {"func": func}
    c["dtype"] = draw(st.sampled_from(GOOD_DTYPES) if draw(st.integers(0, 19)) else st.sampled_from(BAD_DTYPES))
    n_fft = draw(st.one_of(st.integers(1, 64), st.integers(65, 1100), st.sampled_from([256, 400, 512, 1024, 2048])))
    c["n_fft"] = n_fft if draw(st.integers(0, 29)) else draw(st.sampled_from([0, -1, 2**24 + 1, 2**40]))
    c["length"] = draw(st.integers(0, 3 * max(n_fft, 1)))
    c["lead"] = draw(st.sampled_from([(), (), (1,), (2,), (3,), (2, 2), (1, 3)]))
    c["layout"] = draw(st.sampled_from(LAYOUTS))
    c["hop"] = draw(st.one_of(st.none(), st.integers(1, 2 * max(n_fft, 1)),
                              st.sampled_from([0, -3, 2**40 + 1]) if not draw(st.integers(0, 19)) else st.nothing()))
    c["win_length"] = draw(st.one_of(st.none(), st.integers(1, max(n_fft, 1)),
                                     st.just(n_fft + 1) if not draw(st.integers(0, 14)) else st.nothing()))
    c["window"] = draw(st.sampled_from(WINDOWS))
    c["center"] = draw(st.booleans())
    c["pad_mode"] = draw(st.sampled_from(PAD_MODES + (("wrap",) if not draw(st.integers(0, 19)) else ())))
    c["content"] = draw(st.sampled_from(["noise", "noise", "noise", "tone", "silence", "loud", "tiny", "nan", "inf"]))
    c["seed"] = draw(st.integers(0, 2**31 - 1))
    if func != "stft":
        c["sr"] = draw(st.sampled_from([8000, 16000, 22050, 44100]))
        c["n_mels"] = draw(st.integers(1, 64))
        c["fmin"] = draw(st.sampled_from([0.0, 0.0, 20.0, 300.0]))
        c["fmax"] = draw(st.one_of(st.none(), st.sampled_from([2000.0, 4000.0, 7600.0])))
        c["htk"] = draw(st.booleans())
        c["norm"] = draw(st.sampled_from(["slaney", None, 1.0, 2.0]))
        c["power"] = draw(st.sampled_from([2.0, 2.0, 1.0, 1.5]))
    if func == "mfcc":
        c["n_mfcc"] = draw(st.integers(1, c["n_mels"] + 2))
        c["dct_type"] = draw(st.sampled_from([2, 2, 1, 3]))
        c["dct_norm"] = draw(st.sampled_from(["ortho", None]))
        c["lifter"] = draw(st.sampled_from([0, 0, 1.5, 22]))
    return c


def make_input(c):
    """Returns (array as handed to cepstra, the same values as a C-contiguous native array)."""
    rng = np.random.default_rng(c["seed"])
    shape = c["lead"] + (c["length"],)
    n = int(np.prod(shape))
    content = c["content"]
    if content == "tone":
        t = np.arange(c["length"]) / 8000.0
        x = np.broadcast_to(np.sin(2 * np.pi * 441.0 * t + rng.uniform(0, 6)), shape).copy()
    elif content == "silence":
        x = np.zeros(shape)
    else:
        x = rng.standard_normal(shape) * {"loud": 1e4, "tiny": 1e-6}.get(content, 0.3)
        if content in ("nan", "inf") and n:
            x.reshape(-1)[rng.integers(n)] = np.nan if content == "nan" else -np.inf
    dt = np.dtype(c["dtype"])
    x = x.astype(dt) if dt.kind != "b" else x > 0
    ref = np.ascontiguousarray(x)
    layout = c["layout"]
    if layout == "reversed":
        y = np.ascontiguousarray(x[..., ::-1])[..., ::-1]
    elif layout == "strided":
        wide = np.zeros(shape[:-1] + (2 * shape[-1],), dt)
        wide[..., ::2] = x
        y = wide[..., ::2]
    elif layout == "fortran":
        y = np.asfortranarray(x)
    elif layout == "broadcast" and c["lead"]:
        y = np.broadcast_to(x[(slice(0, 1),) * len(c["lead"])], shape)
        ref = np.ascontiguousarray(y)
    elif layout == "big-endian" and dt.itemsize > 1:
        y = x.astype(dt.newbyteorder(">"))
    elif layout == "unaligned":
        raw = bytearray(x.nbytes + 1)
        y = np.frombuffer(raw, dtype=dt, count=n, offset=1).reshape(shape)
        y[...] = x
    elif layout == "read-only":
        y = x.copy()
        y.setflags(write=False)
    else:
        y = x.copy()
    return y, ref


def kwargs_for(c):
    kw = dict(n_fft=c["n_fft"], hop_length=c["hop"], win_length=c["win_length"], window=c["window"],
              center=c["center"], pad_mode=c["pad_mode"])
    if c["func"] == "stft":
        return kw
    if kw["hop_length"] is None:
        kw["hop_length"] = 512  # melspectrogram's default hop differs from stft's
    kw.update(sr=c["sr"], n_mels=c["n_mels"], fmin=c["fmin"], fmax=c["fmax"], htk=c["htk"], power=c["power"])
    if c["func"] == "melspectrogram":
        kw["norm"] = c["norm"]
        return kw
    kw.update(mel_norm=c["norm"], n_mfcc=c["n_mfcc"], dct_type=c["dct_type"], norm=c["dct_norm"],
              lifter=c["lifter"])
    return kw


def plainly_valid(c):
    """Valid for librosa and not among cepstra's deliberate refusals: cepstra must succeed."""
    n_fft, hop, wl = c["n_fft"], c["hop"], c["win_length"]
    if np.dtype(c["dtype"]) not in (np.float32, np.float64) or c["content"] in ("nan", "inf"):
        return False
    if not 1 <= n_fft <= 2**24 or c["length"] < 1 or c["pad_mode"] == "wrap":
        return False
    if hop is not None and not 1 <= hop <= 2**40:
        return False
    if wl is not None and wl > n_fft:
        return False
    if not c["center"] and c["length"] < n_fft:
        return False
    if c["func"] != "stft":
        fmax = c["sr"] / 2 if c["fmax"] is None else c["fmax"]
        if not c["fmin"] < fmax <= c["sr"] / 2:
            return False
    if c["func"] == "mfcc" and (c["n_mfcc"] > c["n_mels"] or (c["dct_type"] == 1 and c["n_mels"] < 2)):
        return False
    return True


def check_case(c):
    y, contiguous = make_input(c)
    before = y.tobytes()
    kw = kwargs_for(c)
    fn = {"stft": cepstra.stft, "melspectrogram": cepstra.feature.melspectrogram,
          "mfcc": cepstra.feature.mfcc}[c["func"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn(y, **kw) if c["func"] == "stft" else fn(y=y, **kw)
        except (cepstra.ParameterError, TypeError) as e:
            assert not plainly_valid(c), f"valid case refused: {type(e).__name__}: {e}"
            assert y.tobytes() == before, "input modified"
            return
    assert y.tobytes() == before, "input modified"
    assert np.dtype(c["dtype"]) in (np.float32, np.float64), f"dtype {np.dtype(c['dtype'])} accepted"

    lib = {"stft": librosa.stft, "melspectrogram": librosa.feature.melspectrogram,
           "mfcc": librosa.feature.mfcc}[c["func"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ref = lib(y=contiguous, **kw)
        except Exception as e:  # librosa refuses: cepstra must not have produced a result
            raise AssertionError(f"cepstra returned {out.shape} {out.dtype} where librosa raised "
                                 f"{type(e).__name__}: {e}") from None
    dtype = np.dtype(c["dtype"])
    if c["func"] == "stft":
        assert_close(out, ref, np.complex64 if dtype == np.float32 else np.complex128)
    elif c["func"] == "melspectrogram":
        assert_close(out, ref, dtype)
    elif dtype == np.float64:
        assert_close(out, ref, dtype, tol=max(tol_for(dtype), 1e-9))
    else:
        assert_abs_close(out, ref, dtype, mfcc_float32_atol(c["n_mels"], c["dct_type"], c["dct_norm"],
                                                            c["lifter"], c["n_mfcc"]))


def test_fuzz_against_librosa():
    deadline = time.monotonic() + FUZZ_SECONDS
    batch = 0
    while True:
        run = settings(max_examples=EXAMPLES_PER_BATCH, deadline=None, database=None, print_blob=True,
                       phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))(
            seed(batch)(given(c=cases())(check_case)))
        try:
            run()
        except Exception:
            print(f"fuzz failure in batch with hypothesis seed({batch})")
            raise
        batch += 1
        if time.monotonic() >= deadline:
            break
    print(f"fuzz: {batch * EXAMPLES_PER_BATCH} cases in {FUZZ_SECONDS:g} s budget")


@pytest.mark.parametrize("func", FUNCS)
def test_fuzz_smoke_edge_lengths(func):
    """Deterministic corners the random search may take a while to hit: lengths 0, 1, n_fft-1,
    n_fft, n_fft+1 and 3*n_fft for tiny and odd n_fft, both centrings."""
    base = {"func": func, "dtype": np.float32, "lead": (2,), "layout": "strided", "hop": None,
            "win_length": None, "window": "hann", "pad_mode": "reflect", "content": "noise", "seed": 1,
            "sr": 16000, "n_mels": 8, "fmin": 0.0, "fmax": None, "htk": False, "norm": "slaney", "power": 2.0,
            "n_mfcc": 5, "dct_type": 2, "dct_norm": "ortho", "lifter": 0}
    for n_fft in (1, 2, 3, 17, 64):
        for length in sorted({0, 1, max(n_fft - 1, 0), n_fft, n_fft + 1, 3 * n_fft}):
            for center in (True, False):
                check_case(dict(base, n_fft=n_fft, length=length, center=center))
