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
import scipy.fft
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

import cepstra
from conftest import DB_ATOL, assert_close, tol_for

# empty mel bands and n_fft > len(y) warn, in librosa and in cepstra alike; both are legal here
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

FUZZ_SECONDS = float(os.environ.get("CEPSTRA_FUZZ_SECONDS", "10"))
EXAMPLES_PER_BATCH = 20
OUTCOMES = {"compared": 0, "refused": 0}

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
    c["hop"] = draw(
        st.one_of(
            st.none(),
            st.integers(1, 2 * max(n_fft, 1)),
            st.sampled_from([0, -3, 2**40 + 1]) if not draw(st.integers(0, 19)) else st.nothing(),
        )
    )
    c["win_length"] = draw(
        st.one_of(
            st.none(),
            st.integers(1, max(n_fft, 1)),
            st.just(n_fft + 1) if not draw(st.integers(0, 14)) else st.nothing(),
        )
    )
    c["window"] = draw(st.sampled_from(WINDOWS))
    c["center"] = draw(st.booleans())
    c["pad_mode"] = draw(st.sampled_from(PAD_MODES + (("wrap",) if not draw(st.integers(0, 19)) else ())))
    c["content"] = draw(st.sampled_from(["noise"] * 12 + ["tone"] * 3 + ["silence", "loud", "tiny", "nan", "inf"]))
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
    kw = dict(
        n_fft=c["n_fft"],
        hop_length=c["hop"],
        win_length=c["win_length"],
        window=c["window"],
        center=c["center"],
        pad_mode=c["pad_mode"],
    )
    if c["func"] == "stft":
        return kw
    if kw["hop_length"] is None:
        kw["hop_length"] = 512  # melspectrogram's default hop differs from stft's
    kw.update(sr=c["sr"], n_mels=c["n_mels"], fmin=c["fmin"], fmax=c["fmax"], htk=c["htk"], power=c["power"])
    if c["func"] == "melspectrogram":
        kw["norm"] = c["norm"]
        return kw
    kw.update(mel_norm=c["norm"], n_mfcc=c["n_mfcc"], dct_type=c["dct_type"], norm=c["dct_norm"], lifter=c["lifter"])
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


def _librosa_cannot(c, kw):
    """The two corners where librosa 0.11 itself fails on input cepstra accepts:
    hop_length=None with win_length < 4 (librosa's default hop win_length//4 is 0: it divides by
    zero; cepstra uses max(1, win_length//4)), and n_fft=1 with center=True (librosa's edge-frame
    padding slices an empty piece: "Input is too short (n=0)")."""
    wl = kw["win_length"] if kw["win_length"] is not None else kw["n_fft"]
    return (c["hop"] is None and c["func"] == "stft" and wl < 4) or (kw["n_fft"] == 1 and kw["center"])


def _numpy_stft(y, n_fft, hop, win_length, window, center, pad_mode):
    """librosa.stft's definition written out with numpy (float64), for n_fft=1 where centring
    pads nothing (so librosa's piecewise edge padding cannot differ from padding the whole)."""
    wl = win_length if win_length is not None else n_fft
    w = librosa.util.pad_center(librosa.filters.get_window(window, wl, fftbins=True), size=n_fft)
    if center:
        pad = [(0, 0)] * (y.ndim - 1) + [(n_fft // 2, n_fft // 2)]
        y = np.pad(y, pad, mode=pad_mode)
    frames = librosa.util.frame(y.astype(np.float64), frame_length=n_fft, hop_length=hop)
    return np.fft.rfft(frames * w[:, None], axis=-2)


def reference(c, y, kw, out):
    """librosa's result for the case; in the corners where librosa itself fails, the same result
    composed from a numpy STFT and librosa's own mel/dB/DCT stages."""
    lib = {"stft": librosa.stft, "melspectrogram": librosa.feature.melspectrogram, "mfcc": librosa.feature.mfcc}[
        c["func"]
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return lib(y=y, **kw)
        except Exception as e:
            if not _librosa_cannot(c, kw):  # librosa refuses: cepstra must not have produced a result
                raise AssertionError(
                    f"cepstra returned {out.shape} {out.dtype} where librosa raised {type(e).__name__}: {e}"
                ) from None
        wl = kw["win_length"] if kw["win_length"] is not None else kw["n_fft"]
        hop = kw["hop_length"] if kw["hop_length"] is not None else max(1, wl // 4)
        if not (kw["n_fft"] == 1 and kw["center"]):  # only the default hop was the problem
            return lib(y=y, **dict(kw, hop_length=hop))
        D = _numpy_stft(y, kw["n_fft"], hop, kw["win_length"], kw["window"], kw["center"], kw["pad_mode"])
        if c["func"] == "stft":
            return D.astype(np.complex64 if y.dtype == np.float32 else np.complex128)
        S = (np.abs(D) ** kw["power"]).astype(y.dtype)
        mel = dict(sr=kw["sr"], n_fft=kw["n_fft"], n_mels=kw["n_mels"], fmin=kw["fmin"], fmax=kw["fmax"], htk=kw["htk"])
        if c["func"] == "melspectrogram":
            return librosa.feature.melspectrogram(S=S, norm=kw["norm"], **mel)
        M = librosa.feature.melspectrogram(S=S, norm=kw["mel_norm"], **mel)
        return librosa.feature.mfcc(
            S=librosa.power_to_db(M), n_mfcc=kw["n_mfcc"], dct_type=kw["dct_type"], norm=kw["norm"], lifter=kw["lifter"]
        )


def check_case(c):
    y, contiguous = make_input(c)
    before = y.tobytes()
    kw = kwargs_for(c)
    fn = {"stft": cepstra.stft, "melspectrogram": cepstra.feature.melspectrogram, "mfcc": cepstra.feature.mfcc}[
        c["func"]
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn(y, **kw) if c["func"] == "stft" else fn(y=y, **kw)
        except (cepstra.ParameterError, TypeError) as e:
            assert not plainly_valid(c), f"valid case refused: {type(e).__name__}: {e}"
            assert y.tobytes() == before, "input modified"
            OUTCOMES["refused"] += 1
            return
    assert y.tobytes() == before, "input modified"
    assert np.dtype(c["dtype"]) in (np.float32, np.float64), f"dtype {np.dtype(c['dtype'])} accepted"

    ref = reference(c, contiguous, kw, out)
    OUTCOMES["compared"] += 1
    dtype = np.dtype(c["dtype"])
    if c["func"] == "stft":
        assert_close(out, ref, np.complex64 if dtype == np.float32 else np.complex128)
    elif c["func"] == "melspectrogram":
        assert out.shape == ref.shape and out.dtype == ref.dtype and np.all(np.isfinite(out))
        err = float(np.max(np.abs(out.astype(np.float64) - ref), initial=0.0))
        atol = mel_abs_tol(contiguous, kw, dtype)
        assert err <= atol, f"mel error {err:.3e} > {atol:.3e}"
    elif dtype == np.float64:
        assert_close(out, ref, dtype, tol=max(tol_for(dtype), 1e-9))
    else:
        assert_mfcc32_close(out, ref, contiguous, kw)


def mel_abs_tol(y, kw, dtype):
    """Absolute tolerance for mel values: the suite's relative tolerance times the scale that
    rounding errors actually have. An FFT's rounding error in every bin is relative to the
    *largest* bin, so a band that is (nearly) empty while another frequency is strong -- e.g. a
    band above the only partial -- is held to tol * max|X|^power * (filter weight sum), not to
    tol * (its own tiny value). Reference values come from cepstra in float64, which the suite
    holds to 1e-9 of librosa."""
    mel_keys = ("sr", "n_mels", "fmin", "fmax", "htk")
    stft_kw = {k: kw[k] for k in ("n_fft", "hop_length", "win_length", "window", "center", "pad_mode")}
    P = np.abs(cepstra.stft(y.astype(np.float64), **stft_kw)) ** kw["power"]
    norm = kw["norm"] if "mel_norm" not in kw else kw["mel_norm"]
    W = cepstra.filters.mel(n_fft=kw["n_fft"], norm=norm, **{k: kw[k] for k in mel_keys})
    M = np.einsum("mk,...kf->...mf", W.astype(np.float64), P)
    scale = max(float(M.max(initial=0.0)), float(P.max(initial=0.0)) * float(W.sum(axis=1).max()))
    return tol_for(dtype) * scale


def assert_mfcc32_close(out, ref, y, kw):
    """float32 MFCCs: the suite's float32 policy holds the mel spectrogram to 2e-5 of its maximum
    (absolute), so a mel value far below the maximum (but above the 80 dB floor) may carry a larger
    *relative*, hence dB, error than the suite's flat 5e-3 dB, e.g. a -50 dB band in a power=1
    spectrogram. The bound propagates the mel tolerance through 10*log10 and the DCT, per element:
    |dB error| <= DB_ATOL + (10/ln 10) * mel_abs_tol / max(M, floor)."""
    assert out.shape == ref.shape and out.dtype == ref.dtype and np.all(np.isfinite(out))
    mel_kw = {k: v for k, v in kw.items() if k not in ("n_mfcc", "dct_type", "norm", "lifter", "mel_norm")}
    M = cepstra.feature.melspectrogram(y=y.astype(np.float64), norm=kw["mel_norm"], **mel_kw)
    floor = max(M.max() * 1e-8, 1e-10)  # top_db=80 and amin=1e-10: no dB value lies below
    per_db = DB_ATOL + (10 / np.log(10)) * mel_abs_tol(y, kw, np.float32) / np.maximum(M, floor)
    C = np.abs(scipy.fft.dct(np.eye(kw["n_mels"]), type=kw["dct_type"], norm=kw["norm"], axis=0)[: kw["n_mfcc"]])
    bound = np.einsum("kn,...nf->...kf", C, per_db)
    if kw["lifter"] > 0:
        bound *= np.abs(1 + (kw["lifter"] / 2) * np.sin(np.pi * np.arange(1, kw["n_mfcc"] + 1) / kw["lifter"]))[:, None]
    err = np.abs(out.astype(np.float64) - ref.astype(np.float64))
    worst = np.unravel_index(np.argmax(err - bound), err.shape)
    assert np.all(err <= bound), f"mfcc float32 error {err[worst]:.3e} > bound {bound[worst]:.3e} at {worst}"


def test_fuzz_against_librosa():
    deadline = time.monotonic() + FUZZ_SECONDS
    batch = 0
    while True:
        run = settings(
            max_examples=EXAMPLES_PER_BATCH,
            deadline=None,
            database=None,
            print_blob=True,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )(seed(batch)(given(c=cases())(check_case)))
        try:
            run()
        except Exception:
            print(f"fuzz failure in batch with hypothesis seed({batch})")
            raise
        batch += 1
        if time.monotonic() >= deadline:
            break
    print(
        f"fuzz: {batch} batches in {FUZZ_SECONDS:g} s: {OUTCOMES['compared']} results compared with "
        f"librosa, {OUTCOMES['refused']} refused with ParameterError/TypeError"
    )
    assert OUTCOMES["compared"] > OUTCOMES["refused"] / 4  # the search must mostly reach valid cases


@pytest.mark.parametrize("func", FUNCS)
def test_fuzz_smoke_edge_lengths(func):
    """Deterministic corners the random search may take a while to hit: lengths 0, 1, n_fft-1,
    n_fft, n_fft+1 and 3*n_fft for tiny and odd n_fft, both centrings."""
    base = {
        "func": func,
        "dtype": np.float32,
        "lead": (2,),
        "layout": "strided",
        "hop": None,
        "win_length": None,
        "window": "hann",
        "pad_mode": "reflect",
        "content": "noise",
        "seed": 1,
        "sr": 16000,
        "n_mels": 8,
        "fmin": 0.0,
        "fmax": None,
        "htk": False,
        "norm": "slaney",
        "power": 2.0,
        "n_mfcc": 5,
        "dct_type": 2,
        "dct_norm": "ortho",
        "lifter": 0,
    }
    for n_fft in (1, 2, 3, 17, 64):
        for length in sorted({0, 1, max(n_fft - 1, 0), n_fft, n_fft + 1, 3 * n_fft}):
            for center in (True, False):
                check_case(dict(base, n_fft=n_fft, length=length, center=center))
