"""Private numeric helpers for the music modules (onset, beat, rhythm, decompose).

Each one reproduces the exact arithmetic of the librosa/scipy routine named in its docstring,
so that the public functions match librosa bit-for-bit where librosa is closed-form.
``frames_to_time``/``frames_to_samples`` are stand-ins until :mod:`cepstra.frames` lands.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from .exceptions import ParameterError

_Array = npt.NDArray[Any]


def maximum_filter1d(x: _Array, size: int, axis: int) -> _Array:
    """scipy.ndimage.maximum_filter1d(x, size, axis) with its default mode="reflect".

    scipy's "reflect" repeats the edge sample (numpy's "symmetric"); origin 0 puts output ``i``
    over inputs ``i - size//2 .. i + (size-1)//2``.
    """
    x = np.moveaxis(x, axis, -1)
    left, right = size // 2, (size - 1) // 2
    padded = _symmetric_pad(x, left, right)
    win = np.lib.stride_tricks.sliding_window_view(padded, size, axis=-1)
    out: _Array = np.moveaxis(win.max(axis=-1), -1, axis)
    return out


def _symmetric_pad(x: _Array, left: int, right: int) -> _Array:
    """Pads the last axis by whole-sample reflection, repeating as often as needed (scipy's
    "reflect" for a window longer than the signal)."""
    n = x.shape[-1]
    idx = np.arange(-left, n + right)
    period = 2 * n
    m = np.mod(idx, period)
    m = np.where(m >= n, period - 1 - m, m)
    out: _Array = x[..., m]
    return out


def run_detrend(x: _Array) -> _Array:
    """scipy.signal.lfilter([1.0, -1.0], [1.0, -0.99], x, axis=-1), in lfilter's operation order.

    The coefficients are float64, so scipy computes (and returns) float64 for float32 input.
    """
    xd = np.asarray(x, dtype=np.float64)
    y = np.empty_like(xd)
    z = np.zeros(xd.shape[:-1])
    for n in range(xd.shape[-1]):
        xn = xd[..., n]
        yn = xn * 1.0 + z
        z = xn * -1.0 - yn * -0.99
        y[..., n] = yn
    return y


def peak_pick(
    x: _Array,
    *,
    pre_max: Any,
    post_max: Any,
    pre_avg: Any,
    post_avg: Any,
    delta: Any,
    wait: Any,
    sparse: bool = True,
    axis: int = -1,
) -> _Array:
    """librosa.util.peak_pick: the same validation, ceil-casting and greedy scan."""
    if pre_max < 0:
        raise ParameterError(f"pre_max={pre_max!r} must be non-negative")
    if pre_avg < 0:
        raise ParameterError(f"pre_avg={pre_avg!r} must be non-negative")
    if delta < 0:
        raise ParameterError(f"delta={delta!r} must be non-negative")
    if wait < 0:
        raise ParameterError(f"wait={wait!r} must be non-negative")
    if post_max <= 0:
        raise ParameterError(f"post_max={post_max!r} must be positive")
    if post_avg <= 0:
        raise ParameterError(f"post_avg={post_avg!r} must be positive")
    if sparse and x.ndim != 1:
        raise ParameterError(
            f"sparse=True does not support {x.ndim}-dimensional input; set sparse=False or pass one channel"
        )
    pre_max_i = int(np.ceil(pre_max))
    post_max_i = int(np.ceil(post_max))
    pre_avg_i = int(np.ceil(pre_avg))
    post_avg_i = int(np.ceil(post_avg))
    wait_i = int(np.ceil(wait))
    xs = np.moveaxis(x, axis, -1)
    peaks = np.zeros(xs.shape, dtype=bool)
    rows = xs.reshape(-1, xs.shape[-1])
    prow = peaks.reshape(-1, xs.shape[-1])
    for r in range(rows.shape[0]):
        _peak_pick_row(rows[r], pre_max_i, post_max_i, pre_avg_i, post_avg_i, float(delta), wait_i, prow[r])
    peaks = np.moveaxis(peaks, -1, axis)
    if sparse:
        return np.flatnonzero(peaks)
    return peaks


def _peak_pick_row(
    x: _Array, pre_max: int, post_max: int, pre_avg: int, post_avg: int, delta: float, wait: int, peaks: _Array
) -> None:
    n_x = x.shape[0]
    first = bool(x[0] >= np.max(x[: min(post_max, n_x)]))
    first &= bool(x[0] >= np.mean(x[: min(post_avg, n_x)]) + delta)
    peaks[0] = first
    n = wait + 1 if first else 1
    while n < n_x:
        if x[n] != np.max(x[max(0, n - pre_max) : min(n + post_max, n_x)]):
            n += 1
            continue
        if not x[n] >= np.mean(x[max(0, n - pre_avg) : min(n + post_avg, n_x)]) + delta:
            n += 1
            continue
        peaks[n] = True
        n += wait + 1


def normalize_inf(S: _Array, axis: int) -> _Array:
    """librosa.util.normalize(S, norm=np.inf, axis=axis) (threshold ``tiny(S)``, fill None)."""
    if not np.all(np.isfinite(S)):
        raise ParameterError("Input must be finite")
    length = np.max(np.abs(S).astype(float), axis=axis, keepdims=True)
    length[length < np.finfo(S.dtype).tiny] = 1.0
    out = np.empty_like(S)
    out[:] = S / length
    return out


def normalize(S: _Array, norm: Any, axis: int) -> _Array:
    """librosa.util.normalize(S, norm=norm, axis=axis) with the default threshold and fill."""
    if norm is None:
        return S
    if not np.all(np.isfinite(S)):
        raise ParameterError("Input must be finite")
    mag = np.abs(S).astype(float)
    if norm == np.inf:
        length = np.max(mag, axis=axis, keepdims=True)
    elif norm == -np.inf:
        length = np.min(mag, axis=axis, keepdims=True)
    elif norm == 0:
        length = np.sum(mag > 0, axis=axis, keepdims=True, dtype=mag.dtype)
    elif V.is_real_number(norm) and norm > 0:
        length = np.sum(mag**norm, axis=axis, keepdims=True) ** (1.0 / norm)
    else:
        raise ParameterError(f"norm={norm!r} is not supported")
    length[length < np.finfo(S.dtype).tiny] = 1.0
    out = np.empty_like(S)
    out[:] = S / length
    return out


def next_fast_len_real(n: int) -> int:
    """scipy.fft.next_fast_len(n, real=True): the smallest 2^a 3^b 5^c >= n (any length is exact
    for the autocorrelation; this only keeps the FFT sizes librosa uses)."""
    best = 1 << max(0, (n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35
            while m < n:
                m *= 2
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


def autocorrelate(y: _Array, axis: int) -> _Array:
    """librosa.autocorrelate(y, axis=axis) for real y: |rfft|^2 then irfft, first n lags
    (cepstra's FFT along the last axis; the zero-padded length does not change the result)."""
    from . import fft as cfft

    moved = np.moveaxis(y, axis, -1)
    n = moved.shape[-1]
    n_pad = next_fast_len_real(2 * n - 1)
    padded = np.zeros(moved.shape[:-1] + (n_pad,), dtype=np.float64)
    padded[..., :n] = moved
    spec = cfft.rfft(padded)
    power = spec.real**2 + spec.imag**2
    ac = cfft.irfft(power.astype(np.complex128), n=n_pad)[..., :n]
    out: _Array = np.moveaxis(ac, -1, axis).astype(y.dtype, copy=False)
    return out
