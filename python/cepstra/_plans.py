"""Resolution of spectral parameters into cached C++ plans, and running them on arrays.

A plan (window, FFT twiddles, sparse mel bands, DCT matrix) is built once per configuration
and dtype and cached; the C++ side is immutable and shared by all threads.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from . import _validation as V
from .exceptions import ParameterError
from .filters import WindowSpec, analysis_window, mel_params, warn_if_empty, _mel_cached

_Array = npt.NDArray[Any]
# A list input gives a list output (see compute).
Result = npt.NDArray[Any] | list[npt.NDArray[Any]]


@dataclass(frozen=True)
class Framing:
    n_fft: int
    hop: int
    win_length: int
    center: bool
    pad_mode: str
    window: npt.NDArray[np.float64]  # length n_fft, centre-padded
    window_key: Hashable | None  # None when the window cannot be cached


def framing(n_fft: int, hop_length: int | None, win_length: int | None, window: WindowSpec, center: bool,
            pad_mode: str, *, default_hop: int | None = None) -> Framing:
    n_fft = V.positive_int("n_fft", n_fft, maximum=V.MAX_N_FFT)
    if win_length is None:
        win_length = n_fft
    win_length = V.positive_int("win_length", win_length, maximum=V.MAX_N_FFT)
    if win_length > n_fft:
        raise ParameterError(f"win_length={win_length} must be <= n_fft={n_fft}")
    if hop_length is None:
        hop_length = default_hop if default_hop is not None else max(1, win_length // 4)
    hop = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    center = V.boolean("center", center)
    if center:
        if pad_mode in ("wrap", "maximum", "mean", "median", "minimum"):
            raise ParameterError(f"pad_mode={pad_mode!r} is not supported by stft")
        V.choice("pad_mode", pad_mode, V.PAD_MODES)
    elif not isinstance(pad_mode, str):
        raise ParameterError(f"pad_mode={pad_mode!r} must be a string")
    w, key = analysis_window(window, win_length, n_fft)
    return Framing(n_fft, hop, win_length, center, pad_mode if center else "constant", w, key)


@dataclass(frozen=True)
class MelConfig:
    sr: float
    n_mels: int
    fmin: float
    fmax: float
    htk: bool
    norm_kind: str
    p: float
    power: float


def mel_config(sr: float, n_fft: int, n_mels: int, fmin: float, fmax: float | None, htk: bool,
               norm: str | float | None, power: float, norm_name: str = "norm") -> MelConfig:
    sr, n_fft, n_mels, fmin, fmax, htk, kind, p = mel_params(sr, n_fft, n_mels, fmin, fmax, htk, norm, norm_name)
    power = V.real_number("power", power, minimum=0.0, strict=True)
    _, empty = _mel_cached(sr, n_fft, n_mels, fmin, fmax, htk, kind, p, True)
    warn_if_empty(empty, stacklevel=4)
    return MelConfig(sr, n_mels, fmin, fmax, htk, kind, p, power)


@dataclass(frozen=True)
class DctConfig:
    n_mfcc: int
    dct_type: int
    norm: str | None
    lifter: float


def dct_config(n_mfcc: int, dct_type: int, norm: str | None, lifter: float, n_mels: int) -> DctConfig:
    n_mfcc = V.positive_int("n_mfcc", n_mfcc)
    if n_mfcc > n_mels:
        raise ParameterError(f"n_mfcc={n_mfcc} must be <= n_mels={n_mels}")
    if not V.is_int(dct_type) or dct_type not in (1, 2, 3):
        raise ParameterError(f"dct_type={dct_type!r} must be 1, 2 or 3")
    if norm not in (None, "ortho"):
        raise ParameterError(f"norm={norm!r} must be 'ortho' or None")
    if dct_type == 1 and n_mels < 2:
        raise ParameterError(f"dct_type=1 needs n_mels >= 2, got n_mels={n_mels}")
    lifter = V.real_number("lifter", lifter, minimum=0.0)
    return DctConfig(n_mfcc, int(dct_type), norm, lifter)


@functools.lru_cache(maxsize=32)
def dct_matrix(n_in: int, cfg: DctConfig) -> npt.NDArray[np.float64]:
    M = _core.dct_matrix(cfg.dct_type, n_in, cfg.n_mfcc, cfg.norm == "ortho", cfg.lifter)
    M.setflags(write=False)
    return M


def _build(dtype: str, stage: str, fr: Framing, mel: MelConfig | None, dct: DctConfig | None,
           top_db: float | None) -> _core.SpectralPlan:
    m = mel or MelConfig(1.0, 1, 0.0, 0.5, False, "none", 0.0, 2.0)
    M = dct_matrix(m.n_mels, dct) if dct is not None else None
    return _core.make_plan(
        dtype, stage, fr.n_fft, fr.hop, fr.center, fr.pad_mode, fr.window, m.power,
        m.sr, m.n_mels, m.fmin, m.fmax, m.htk, m.norm_kind, m.p, M,
        1e-10, 0.0, -1.0 if top_db is None else float(top_db))


_PLANS: dict[tuple[Hashable, ...], _core.SpectralPlan] = {}
_PLANS_LOCK = threading.Lock()
_MAX_PLANS = 128


def plan(dtype: str, stage: str, fr: Framing, mel: MelConfig | None = None, dct: DctConfig | None = None,
         top_db: float | None = None) -> _core.SpectralPlan:
    """The C++ plan for this configuration (cached when the window is a named one)."""
    if fr.window_key is None:
        return _build(dtype, stage, fr, mel, dct, top_db)
    key = (dtype, stage, fr.n_fft, fr.hop, fr.center, fr.pad_mode, fr.window_key, mel, dct, top_db)
    with _PLANS_LOCK:
        p = _PLANS.get(key)
    if p is None:
        p = _build(dtype, stage, fr, mel, dct, top_db)  # outside the lock: may take a while
        with _PLANS_LOCK:
            if len(_PLANS) >= _MAX_PLANS:
                _PLANS.pop(next(iter(_PLANS)))
            p = _PLANS.setdefault(key, p)
    return p


def _as_rows(p: _core.SpectralPlan, y: _Array, fr: Framing) -> tuple[_Array, tuple[int, ...]]:
    """y (..., n) -> a (rows, n) view (a copy only if numpy cannot express it) and the leading shape."""
    lead, n = y.shape[:-1], y.shape[-1]
    if not fr.center and n < fr.n_fft:
        raise ParameterError(
            f"n_fft={fr.n_fft} is too large for uncentered analysis of a signal of length {n}")
    n_frames = _core.frame_count(n, fr.n_fft, fr.hop, fr.center, fr.pad_mode)
    rows = int(np.prod(lead)) if lead else 1
    V.output_size("hop_length", fr.hop, rows, p.n_out, n_frames, itemsize=2 * y.itemsize)
    return y.reshape(rows, n), lead


def run(p: _core.SpectralPlan, y: _Array, fr: Framing) -> _Array:
    """Runs plan p over a validated y (..., n) and returns (..., n_out, n_frames)."""
    y2, lead = _as_rows(p, y, fr)
    out = p(y2)
    return out.reshape(lead + out.shape[1:])


def is_signal_list(y: object) -> bool:
    """A list/tuple of ndarrays is a batch of independent signals (lengths may differ)."""
    return isinstance(y, (list, tuple)) and len(y) > 0 and all(isinstance(e, np.ndarray) for e in y)


def compute(get_plan: Callable[[str], _core.SpectralPlan], y: Any, fr: Framing, name: str = "y") -> Result:
    """Validates y and runs get_plan(dtype) over it: one array, or a list of arrays in one
    parallel pass (returning a list). Each list item is independent (its own top_db maximum)."""
    if not is_signal_list(y):
        y = V.signal(name, y)
        return run(get_plan(y.dtype.name), y, fr)
    arrays = [V.signal(f"{name}[{i}]", e) for i, e in enumerate(y)]
    results: list[Any] = [None] * len(arrays)  # every slot is filled below
    groups: dict[str, list[int]] = {}
    for i, a in enumerate(arrays):
        groups.setdefault(a.dtype.name, []).append(i)
    for dtype, idx in groups.items():
        p = get_plan(dtype)
        rows = [_as_rows(p, arrays[i], fr) for i in idx]
        outs = p.run_list([r[0] for r in rows])
        for i, out, (_, lead) in zip(idx, outs, rows):
            results[i] = out.reshape(lead + out.shape[1:])
    return results


def pad_batch(outputs: list[_Array]) -> tuple[_Array, npt.NDArray[np.int64]]:
    """A list of (..., n_out, frames_i) arrays -> (batch, ..., n_out, max frames) zero-padded, lengths."""
    lengths = np.array([o.shape[-1] for o in outputs], dtype=np.int64)
    shape = (len(outputs),) + outputs[0].shape[:-1] + (int(lengths.max()),)
    padded = np.zeros(shape, dtype=outputs[0].dtype)
    for i, o in enumerate(outputs):
        if o.shape[:-1] != outputs[0].shape[:-1] or o.dtype != outputs[0].dtype:
            raise ParameterError("pad=True needs items of the same leading shape and dtype")
        padded[i, ..., : o.shape[-1]] = o
    return padded, lengths
