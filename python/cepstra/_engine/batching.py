"""Arrays and lists of arrays into plans: the (..., n) -> (rows, n) reshaping, one parallel pass
over a list of signals of any lengths, and padding a list of results into one batch."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from . import core, plans
from .configs import Framing, SpectralConfig

_Array = npt.NDArray[Any]
# A batch of independent signals (any lengths): the result is then a list.
SignalList = list[npt.NDArray[Any]] | tuple[npt.NDArray[Any], ...]
# What a function on a signal or a SignalList returns.
Result = npt.NDArray[Any] | list[npt.NDArray[Any]]


class Plan(Protocol):
    """What a C++ plan (spectral or Kaldi) offers for batching."""

    @property
    def n_out(self) -> int: ...


P = TypeVar("P", bound=Plan)


# numpy's dtype.name is a Python-level property (a few microseconds); the plan cache's keys are
# looked up on every call.
_DTYPE_NAMES = {np.dtype(np.float32): "float32", np.dtype(np.float64): "float64"}


def dtype_name(a: _Array) -> str:
    return _DTYPE_NAMES.get(a.dtype) or a.dtype.name


def is_signal_list(y: object) -> bool:
    """A list/tuple of ndarrays is a batch of independent signals (lengths may differ)."""
    return isinstance(y, (list, tuple)) and len(y) > 0 and all(isinstance(e, np.ndarray) for e in y)


def as_rows(y: _Array) -> tuple[_Array, tuple[int, ...]]:
    """y (..., n) -> a (rows, n) view (a copy only if numpy cannot express it) and the leading shape."""
    lead = y.shape[:-1]
    return y.reshape(math.prod(lead), y.shape[-1]), lead


def unrows(out: _Array, lead: tuple[int, ...]) -> _Array:
    """(rows, ...) -> (*lead, ...): the inverse of as_rows on a result."""
    result: _Array = out.reshape(lead + out.shape[1:])
    return result


def run_list(
    arrays: Sequence[_Array],
    get_plan: Callable[[str], P],
    run: Callable[[P, list[_Array], list[int]], list[_Array]],
    finish: Callable[[_Array, tuple[int, ...]], _Array] = unrows,
) -> list[_Array]:
    """Validated arrays (any dtypes, lengths and leading shapes) -> one result per array, each
    dtype group computed by ``run(plan, rows, indices)`` in one parallel pass."""
    results: list[Any] = [None] * len(arrays)  # every slot is filled below
    groups: dict[str, list[int]] = {}
    for i, a in enumerate(arrays):
        groups.setdefault(dtype_name(a), []).append(i)
    for dtype, idx in groups.items():
        p = get_plan(dtype)
        rows = [as_rows(arrays[i]) for i in idx]
        outs = run(p, [r[0] for r in rows], idx)
        for i, out, (_, lead) in zip(idx, outs, rows):
            results[i] = finish(out, lead)
    return results


def pad_batch(outputs: list[_Array], time_axis: int = -1) -> tuple[_Array, npt.NDArray[np.int64]]:
    """A list of (..., n_out, frames_i) arrays -> (batch, ..., n_out, max frames) zero-padded, lengths."""
    V.same_layout("pad=True", outputs, time_axis)
    lengths = np.array([o.shape[time_axis] for o in outputs], dtype=np.int64)
    shape = list((len(outputs),) + outputs[0].shape)
    shape[time_axis] = int(lengths.max())
    padded = np.zeros(shape, dtype=outputs[0].dtype)
    for i, o in enumerate(outputs):
        index: list[Any] = [i] + [slice(None)] * o.ndim
        index[time_axis] = slice(0, o.shape[time_axis])
        padded[tuple(index)] = o
    return padded, lengths


def check_output(fr: Framing, p: core.SpectralPlan, y: _Array) -> _Array:
    """y (..., n) fits the framing and its output the size cap (refused before any C++ call)."""
    n = y.shape[-1]
    V.uncentred_fits(fr.n_fft, fr.center, n)
    rows = math.prod(y.shape[:-1])
    frames = 1 + (n // fr.hop if fr.center else (n - fr.n_fft) // fr.hop)
    V.output_size("hop_length", fr.hop, rows, p.n_out, frames, itemsize=2 * y.itemsize)
    return y


def run_spectral(cfg: SpectralConfig, y: Any, name: str = "y", warn_stacklevel: int | None = None) -> Result:
    """Validates y and runs the plan of cfg over it: one array (..., n) -> (..., n_out, frames),
    or a list of arrays in one parallel pass -> a list. Each list item is independent (its own
    top_db maximum). The function and the extractor of each feature both call this.

    With ``warn_stacklevel`` (the caller's, as for warnings.warn), librosa's empty-mel-band
    warning is raised from the plan's own count of empty bands.
    """
    fr = cfg.framing

    def warn(dtype: str) -> None:
        if warn_stacklevel is not None and cfg.mel is not None and plans.spectral(cfg, dtype).empty_mel_bands:
            V.warn_empty_mel(warn_stacklevel + 2)  # + warn() + run_spectral()

    if not is_signal_list(y):
        arr = V.signal(name, y)
        p = plans.spectral(cfg, dtype_name(arr))
        if warn_stacklevel is not None and cfg.mel is not None and p.empty_mel_bands:
            V.warn_empty_mel(warn_stacklevel + 1)  # + run_spectral()
        rows, lead = as_rows(check_output(fr, p, arr))
        return unrows(p(rows), lead)

    def run(p: core.SpectralPlan, rows: list[_Array], idx: list[int]) -> list[_Array]:
        return p.run_list([check_output(fr, p, r) for r in rows])

    arrays = [V.signal(f"{name}[{i}]", e) for i, e in enumerate(y)]
    warn(arrays[0].dtype.name)
    return run_list(arrays, lambda dtype: plans.spectral(cfg, dtype), run)


def run_stft_into(cfg: SpectralConfig, y: _Array, out: Any) -> _Array:
    """stft(y, out=out) for a validated y, with librosa's semantics: ``out`` is returned when its
    shape is exactly the result's, else the view of its first frames. The plan writes into
    ``out`` directly when it has y's complex dtype and unit-stride frames; otherwise (another
    complex dtype, another layout, memory shared with y) the result is computed and assigned."""
    fr = cfg.framing
    p = plans.spectral(cfg, dtype_name(y))
    check_output(fr, p, y)
    frames = core.frame_count(y.shape[-1], fr.n_fft, fr.hop, fr.center, fr.pad_mode)
    shape = y.shape[:-1] + (p.n_out, frames)
    V.stft_out(out, shape)
    target: _Array = out if out.shape == shape else out[..., :frames]
    rows, _ = as_rows(y)
    direct = np.dtype(out.dtype) == np.result_type(y.dtype, np.complex64) and out.dtype.isnative
    if direct:
        view = target.reshape((rows.shape[0],) + shape[-2:])
        direct = (
            np.may_share_memory(view, target)
            and (frames == 1 or view.strides[-1] == view.itemsize)
            and not np.may_share_memory(target, y)
        )
    if direct:
        V.writeable("out", out)
        p.run_into(rows, view)
    else:
        target[...] = unrows(p(rows), y.shape[:-1])
    return target
