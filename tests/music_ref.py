"""Shared inputs and tolerance rule of the music-feature tests (compared with librosa 0.11).

Tolerance (issue 10):
  * float64: max|cepstra - librosa| <= 1e-9 * max|librosa| (closed-form functions);
  * float32: within 10x librosa's own float32-versus-float64 disagreement on the same call,
    ``max|c32 - l32| <= 10 * max|l32 - l64| + 1e-6 * max|l64|`` (the small floor covers calls
    where librosa's two precisions happen to agree to the last bit).
"""

from __future__ import annotations

import pathlib

import numpy as np
import soundfile as sf

from conftest import _record

DATA = pathlib.Path(__file__).parent / "data"
SR = 22050


def clip(name: str) -> np.ndarray:
    """A committed real recording (see tests/data/*.txt for attribution), float64 mono."""
    y, sr = sf.read(DATA / name, dtype="float64")
    assert sr == SR
    return y


def synthetic(n: int = SR * 2, seed: int = 0) -> np.ndarray:
    """A chirp plus a harmonic tone, noise, and a stretch of exact silence (frames that sum to 0)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SR
    y = 0.4 * np.sin(2 * np.pi * (200 + 900 * t) * t) + 0.3 * np.sin(2 * np.pi * 443.0 * t)
    y += 0.2 * np.sin(2 * np.pi * 886.0 * t) + 0.01 * rng.standard_normal(n)
    y[n // 3 : n // 3 + 6000] = 0.0
    return y


def rel(a: np.ndarray, b: np.ndarray, scale: np.ndarray) -> float:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    s = float(np.max(np.abs(scale))) if np.size(scale) else 1.0
    return float(np.max(np.abs(a - b))) / (s if s > 0 else 1.0)


def check(name: str, ours64, ref64, ours32=None, ref32=None) -> None:
    """Applies the tolerance rule above; shapes and dtypes must equal librosa's."""
    ours64, ref64 = np.asarray(ours64), np.asarray(ref64)
    assert ours64.shape == ref64.shape, (ours64.shape, ref64.shape)
    assert ours64.dtype == ref64.dtype, (ours64.dtype, ref64.dtype)
    e64 = rel(ours64, ref64, ref64)
    _record(name, np.float64, e64, 1e-9)
    assert e64 <= 1e-9, f"{name} float64: relative error {e64:.3e}"
    if ours32 is None:
        return
    ours32, ref32 = np.asarray(ours32), np.asarray(ref32)
    assert ours32.shape == ref32.shape and ours32.dtype == ref32.dtype, (ours32.dtype, ref32.dtype)
    e32 = rel(ours32, ref32, ref64)
    own = rel(ref32, ref64, ref64)
    _record(name, np.float32, e32, 10 * own + 1e-6)
    assert e32 <= 10 * own + 1e-6, f"{name} float32: error {e32:.3e} vs librosa's own 32/64 gap {own:.3e}"
