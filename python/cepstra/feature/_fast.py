"""Fast paths of the music descriptors through the C++ engine (``_engine.core``).

Each function returns None when the engine cannot take the call (an extension built before
these kernels, an unusual parameter); the caller then runs the numpy path, which defines the
numbers. The engine results follow the same conventions (see cpp/include/cepstra/spectral_stats.h)
and are tested against librosa like the numpy path.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from .._engine import cache, configs, core
from .._engine.windows import WindowSpec

_Array = npt.NDArray[Any]

# Row order of the engine's output (bit order of cepstra::SpectralStat).
_BITS = {"centroid": 1, "bandwidth": 2, "rolloff": 4, "flatness": 8}


def available() -> bool:
    return hasattr(core, "make_spectral_stats_plan")


_Bands = tuple[tuple[int, int, int], ...]


def _build(
    dtype: str,
    fr: configs.Framing,
    sr: float,
    bits: int,
    roll_percent: float,
    amin: float,
    float_magnitudes: bool,
    bands: _Bands = (),
) -> Any:
    freq = np.fft.rfftfreq(n=fr.n_fft, d=1.0 / sr)
    return core.make_spectral_stats_plan(
        dtype,
        fr.n_fft,
        fr.hop,
        fr.center,
        fr.pad_mode,
        fr.window,
        freq,
        bits,
        roll_percent,
        amin,
        float_magnitudes,
        list(bands),
    )


def _plan(
    dtype: str,
    fr: configs.Framing,
    sr: float,
    bits: int,
    roll_percent: float,
    amin: float,
    float_magnitudes: bool,
    bands: _Bands = (),
) -> Any:
    key = ("music-spectral-stats", dtype, fr, sr, bits, roll_percent, amin, float_magnitudes, bands)
    return cache.get(key, lambda: _build(dtype, fr, sr, bits, roll_percent, amin, float_magnitudes, bands))


def contrast_bands(f: _Array, octa: _Array, n_bands: int, quantile: float) -> _Bands | None:
    """spectral_contrast's bands as bin ranges [lo, hi) and quantile counts, librosa's rule
    (see descriptors.spectral_contrast), for increasing f; None when a band is empty."""
    if not np.all(np.diff(f) > 0):
        return None
    out = []
    n = len(f)
    for k, (f_low, f_high) in enumerate(zip(octa[:-1], octa[1:])):
        idx = np.flatnonzero((f >= f_low) & (f <= f_high))
        if idx.size == 0:
            return None
        lo = int(idx[0]) - 1 if k > 0 else int(idx[0])
        hi = n if k == n_bands else int(idx[-1]) + 1
        q = int(np.maximum(np.rint(quantile * (hi - lo)), 1))
        if k < n_bands:
            hi -= 1  # the band's top bin is left out, but counted in q
        if lo < 0 or hi <= lo or q > hi - lo:
            return None
        out.append((lo, hi, q))
    return tuple(out)


def contrast(
    y: Any,
    *,
    sr: float,
    octa: _Array,
    n_bands: int,
    quantile: float,
    n_fft: int,
    hop_length: int | None,
    win_length: int | None,
    window: WindowSpec,
    center: bool,
    pad_mode: str,
) -> tuple[_Array, _Array] | None:
    """spectral_contrast's (valley, peak), each (..., n_bands + 1, t) float64, from one fused
    pass over a float64 STFT (magnitudes rounded to float32 for float32 y, as librosa's), or None."""
    if not available():
        return None
    y = V.signal("y", y)
    fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
    if not fr.center and y.shape[-1] < fr.n_fft:
        return None
    bands = contrast_bands(np.fft.rfftfreq(n=fr.n_fft, d=1.0 / sr), octa, n_bands, quantile)
    if bands is None:
        return None
    p = _plan("float64", fr, sr, 0, 0.85, 1e-10, y.dtype == np.float32, bands)
    lead = y.shape[:-1]
    out = p.run_list([y.astype(np.float64, copy=False).reshape(-1, y.shape[-1])])[0]
    out = out.reshape(lead + out.shape[1:])
    nb = len(bands)
    return out[..., :nb, :], out[..., nb:, :]


def spectral(
    y: Any,
    names: tuple[str, ...],
    *,
    sr: float = 22050,
    n_fft: int = 2048,
    hop_length: int | None = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    roll_percent: float = 0.85,
    amin: float = 1e-10,
) -> dict[str, _Array] | None:
    """Several of centroid/bandwidth/rolloff/flatness of y (..., n) in one fused pass, or None."""
    if not available():
        return None
    y = V.signal("y", y)
    sr = V.real_number("sr", sr, minimum=0.0, strict=True)
    fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
    if not fr.center and y.shape[-1] < fr.n_fft:
        return None  # the numpy path raises librosa's error
    f32 = y.dtype == np.float32
    lead = y.shape[:-1]
    result: dict[str, _Array] = {}
    # Precision of the transform. librosa's float32 STFT is its float64 one rounded to
    # complex64. The linear descriptors (centroid, bandwidth, roll-off) are dominated by the
    # loud bins, where a float32 FFT agrees with that to float32 rounding, so float32 signals
    # use the (twice as fast) float32 transform for them; flatness averages the logs of the
    # quiet bins too, so it runs the float64 transform and rounds the magnitudes as librosa.
    groups: list[tuple[str, tuple[str, ...], bool]] = []
    linear = tuple(n for n in names if n != "flatness")
    if f32:
        if linear:
            groups.append(("float32", linear, False))
        if "flatness" in names:
            groups.append(("float64", ("flatness",), True))
    else:
        groups.append(("float64", tuple(names), False))
    for dtype, group, round_mags in groups:
        bits = 0
        for n in group:
            bits |= _BITS[n]
        p = _plan(dtype, fr, sr, bits, float(roll_percent), float(amin), round_mags)
        yy = y.astype(dtype, copy=False).reshape(-1, y.shape[-1])
        out = p.run_list([yy])[0]
        out = out.reshape(lead + out.shape[1:])
        row = 0
        for name, bit in _BITS.items():
            if bits & bit:
                r = out[..., row : row + 1, :]
                result[name] = r.astype(np.float32) if (name == "flatness" and f32) else np.ascontiguousarray(r)
                row += 1
    return result


_PAD_MODES = frozenset(
    ("reflect", "edge", "symmetric", "wrap", "mean", "median", "maximum", "minimum", "linear_ramp", "empty")
)


def rms(
    y: _Array, frame_length: int, hop_length: int, center: bool, pad_mode: str, dtype: np.dtype[Any]
) -> _Array | None:
    """librosa's rms(y=...) through the engine (bit-exact numpy pairwise sums), or None."""
    if not hasattr(core, "frame_rms") or dtype not in (np.float32, np.float64):
        return None
    # np.square(x, dtype=float32) casts first, so the cast before padding is the same
    y = y.astype(dtype, copy=False)
    pad = 0
    if center:
        if pad_mode == "constant":
            pad = frame_length // 2  # the kernel reads the zeros itself: no padded copy
        elif pad_mode in _PAD_MODES:
            padding = [(0, 0)] * (y.ndim - 1) + [(frame_length // 2, frame_length // 2)]
            y = np.pad(y, padding, mode=pad_mode)  # type: ignore[call-overload]
        else:
            return None
    if y.shape[-1] + 2 * pad < frame_length:
        return None
    lead = y.shape[:-1]
    y2 = np.ascontiguousarray(y.reshape(-1, y.shape[-1]))
    out: _Array = core.frame_rms(y2, frame_length, hop_length, pad)
    return out.reshape(lead + (1, out.shape[-1]))


def zcr(y: _Array, frame_length: int, hop_length: int, center: bool) -> _Array | None:
    """librosa's zero_crossing_rate with its default crossing options, or None."""
    if not hasattr(core, "frame_crossings") or y.shape[-1] == 0:
        return None
    # librosa pads with the edge values, which add no crossing: the kernel takes the padding
    # as a number instead of a padded copy.
    pad = frame_length // 2 if center else 0
    if y.shape[-1] + 2 * pad < frame_length:
        return None
    lead = y.shape[:-1]
    y2 = np.ascontiguousarray(y.reshape(-1, y.shape[-1]))
    counts: _Array = core.frame_crossings(y2, frame_length, hop_length, 1e-10, pad)
    counts /= float(frame_length)
    return counts.reshape(lead + (1, counts.shape[-1]))


def power_and_tuning(
    y: _Array,
    *,
    sr: float,
    n_fft: int,
    hop_length: int | None,
    win_length: int | None,
    window: WindowSpec,
    center: bool,
    pad_mode: str,
    estimate: bool,
    bins_per_octave: int,
) -> tuple[_Array, float | None] | None:
    """``|stft(y)|**2`` (librosa's float32 rounding for float32 y) and, when ``estimate``, the
    tuning that ``estimate_tuning(S=that, sr=sr, bins_per_octave=...)`` gives, from piptrack
    peaks found in the same pass; None when the engine cannot take the call."""
    if not available() or not hasattr(core.SpectralStatsPlan, "power_peaks"):
        return None
    fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
    if not fr.center and y.shape[-1] < fr.n_fft:
        return None
    f32 = y.dtype == np.float32
    p = _plan("float64", fr, sr, 1, 0.85, 1e-10, False)
    lead = y.shape[:-1]
    P, pitches, mags = p.power_peaks(
        y.astype(np.float64, copy=False).reshape(-1, y.shape[-1]), sr, 150.0, 4000.0, 0.1, f32
    )
    P = P.reshape(lead + P.shape[1:])
    if not estimate:
        return P, None
    from ..pitch import _tuning_from_peaks

    return P, _tuning_from_peaks(pitches, mags, 0.01, bins_per_octave)
