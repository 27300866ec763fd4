"""Shared helpers for the music tests (rhythm, HPSS, inversion) against librosa.

Tolerances: float64 within 1e-9 of the reference's largest magnitude; float32 within 10x the
disagreement of librosa's own float32 call with its float64 call (plus 1e-7 of the largest
magnitude, for calls where librosa's two precisions agree to the last bit).
"""

from pathlib import Path

import numpy as np
import pytest

from conftest import _record

CLIP = Path(__file__).parent / "data" / "brahms_hd5_8s_rhythm.ogg"
SR = 22050


def load_clip(seconds=None):
    sf = pytest.importorskip("soundfile")
    y, sr = sf.read(str(CLIP), dtype="float32")
    assert sr == SR
    if seconds is not None:
        y = y[: int(seconds * sr)]
    return np.ascontiguousarray(y)


def click_track(bpm=120.0, seconds=6.0, sr=SR, seed=0):
    """Decaying noise bursts every beat plus a little noise: a synthetic signal with a known tempo."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sr)
    y = 0.01 * rng.standard_normal(n)
    burst = rng.standard_normal(int(0.03 * sr)) * np.exp(-np.arange(int(0.03 * sr)) / (0.005 * sr))
    period = 60.0 / bpm
    t = 0.25
    while t < seconds - 0.05:
        i = int(t * sr)
        y[i : i + burst.size] += burst[: n - i]
        t += period
    return y


def rel_err(actual, expected):
    a = np.asarray(actual)
    e = np.asarray(expected)
    assert a.shape == e.shape, f"shape {a.shape} != {e.shape}"
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    err = float(np.max(np.abs(a.astype(np.complex128) - e.astype(np.complex128)))) if e.size else 0.0
    return err / scale if scale > 0 else err


def assert_like_librosa(ours, ref, x64, *, label="music", tol64=1e-9, factor=10.0, floor32=1e-7):
    """ours(x) and ref(x) on x64 (float64) and x64.astype(float32): float64 to tol64 relative;
    float32 ours vs librosa float64 within factor * (librosa float32 vs librosa float64)."""
    r64 = ref(x64)
    o64 = ours(x64)
    assert np.asarray(o64).dtype == np.asarray(r64).dtype
    e64 = rel_err(o64, r64)
    _record(label, np.float64, e64, tol64)
    assert e64 <= tol64, f"float64: {e64:.3e} > {tol64:.1e}"
    x32 = x64.astype(np.float32)
    r32 = ref(x32)
    o32 = ours(x32)
    assert np.asarray(o32).dtype == np.asarray(r32).dtype
    gap = rel_err(r32, r64)
    e32 = rel_err(o32, r64)
    lim = factor * gap + floor32
    _record(label, np.float32, e32, lim)
    assert e32 <= lim, f"float32: {e32:.3e} > {factor} x librosa's own {gap:.3e}"
    return e64, e32
