"""Pitch tracking by parabolic interpolation and tuning estimation (``librosa`` core names).

Conventions followed from librosa 0.11 (tested against it):

- ``piptrack`` takes ``np.abs`` of whatever spectrogram it is given: ``chroma_stft`` hands
  ``estimate_tuning`` its *power* spectrogram, so tuning is estimated on ``|X|**2`` there;
- a numeric ``ref`` is used as the threshold itself (``threshold`` is ignored), a callable one
  as ``threshold * ref(S, axis=-2)``;
- the first bin is never a peak; the last bin is one when it exceeds its neighbour;
- ``pitch_tuning`` measures residuals against A440 with 12 bins per octave for the octave
  position, then scales by ``bins_per_octave`` (librosa calls ``hz_to_octs`` with its
  defaults).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine.windows import WindowSpec
from .exceptions import ParameterError
from .feature import _common as C

_Array = npt.NDArray[Any]

__all__ = ["piptrack", "estimate_tuning", "pitch_tuning"]


def _parabolic_shift(S: _Array) -> _Array:
    """Offset of the parabola's vertex through bins f-1, f, f+1 (0 at the edges, or when the
    vertex would lie more than a bin away), along axis -2."""
    shift = np.zeros_like(S)
    lo, mid, hi = S[..., :-2, :], S[..., 1:-1, :], S[..., 2:, :]
    a = hi + lo - 2 * mid
    b = (hi - lo) / 2
    ok = np.abs(b) < np.abs(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        shift[..., 1:-1, :] = np.where(ok, -b / np.where(ok, a, 1), 0)
    return shift


def _localmax(x: _Array) -> _Array:
    """librosa.util.localmax along axis -2: x[f] > x[f-1] and x[f] >= x[f+1]; the first bin
    never, the last when it exceeds its neighbour."""
    out = np.zeros(x.shape, dtype=bool)
    if x.shape[-2] < 2:
        return out
    out[..., 1:-1, :] = (x[..., 1:-1, :] > x[..., :-2, :]) & (x[..., 1:-1, :] >= x[..., 2:, :])
    out[..., -1, :] = x[..., -1, :] > x[..., -2, :]
    return out


def piptrack(
    *,
    y: Any = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int | None = 2048,
    hop_length: int | None = None,
    fmin: float = 150.0,
    fmax: float = 4000.0,
    threshold: float = 0.1,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    ref: float | Callable[..., Any] | None = None,
) -> tuple[_Array, _Array]:
    """Pitch tracking on thresholded parabolically-interpolated STFT, as ``librosa.piptrack``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), or None
    sr : float > 0
    S : np.ndarray, shape (..., d, t), or None
        A magnitude (or power) spectrogram; its absolute value is used.
    n_fft, hop_length, win_length, window, center, pad_mode
        STFT parameters (``hop_length=None``: ``win_length // 4``).
    fmin, fmax : float
        Peaks are kept for bins with ``fmin <= freq < min(fmax, sr/2)``.
    threshold : float
        Relative threshold (with the default ``ref=np.max``: of each frame's maximum).
    ref : float, callable or None
        None: ``np.max``. A callable is applied as ``ref(S, axis=-2)``; a number is used as
        the absolute threshold.

    Returns
    -------
    pitches, magnitudes : np.ndarray, shape (..., d, t), dtype of S
        Interpolated frequency and magnitude at each peak, 0 elsewhere.
    """
    S_, n_fft_ = C.spectrogram(
        y=y,
        S=S,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window=window,
        center=center,
        pad_mode=pad_mode,
        nonnegative=False,
        real=False,
    )
    sr = V.real_number("sr", sr, minimum=0.0, strict=True)
    fmin = V.real_number("fmin", fmin, allow_inf=True)
    fmax = V.real_number("fmax", fmax, allow_inf=True)
    threshold = V.real_number("threshold", threshold)
    Sm: _Array = np.abs(S_)
    fmin = max(fmin, 0.0)
    fmax = min(fmax, float(sr) / 2)
    fft_freqs = np.fft.rfftfreq(n=n_fft_, d=1.0 / sr)
    avg = np.gradient(Sm, axis=-2) if Sm.shape[-2] > 1 else np.zeros_like(Sm)
    shift = _parabolic_shift(Sm)
    dskew = 0.5 * avg * shift
    pitches = np.zeros_like(Sm)
    mags = np.zeros_like(Sm)
    freq_mask = ((fmin <= fft_freqs) & (fft_freqs < fmax)).reshape((-1, 1))
    if ref is None:
        ref = np.max
    if callable(ref):
        ref_value = np.expand_dims(threshold * ref(Sm, axis=-2), -2)
    else:
        ref_value = np.abs(np.float64(V.real_number("ref", ref)))
    idx = np.nonzero(freq_mask & _localmax(Sm * (Sm > ref_value)))
    pitches[idx] = (idx[-2] + shift[idx]) * float(sr) / n_fft_
    mags[idx] = Sm[idx] + dskew[idx]
    return pitches, mags


def pitch_tuning(frequencies: npt.ArrayLike, *, resolution: float = 0.01, bins_per_octave: int = 12) -> float:
    """Tuning offset (fraction of a bin) of a set of frequencies, as ``librosa.pitch_tuning``.

    The peak of a histogram (``ceil(1/resolution)`` bins over [-0.5, 0.5]) of each frequency's
    deviation from the nearest equal-tempered bin. Warns and returns 0 for no positive frequency.

    Parameters
    ----------
    frequencies : array_like of float
    resolution : float in (0, 1)
    bins_per_octave : int > 0

    Returns
    -------
    tuning : float, in [-0.5, 0.5)
    """
    resolution = V.real_number("resolution", resolution, minimum=0.0, strict=True)
    if resolution >= 1:
        raise ParameterError(f"resolution={resolution!r} must be in (0, 1)")
    bins_per_octave = V.positive_int("bins_per_octave", bins_per_octave)
    f = np.atleast_1d(np.asarray(frequencies))
    if f.dtype.kind not in "iuf":
        raise TypeError(f"frequencies must be real numbers, got dtype={f.dtype}")
    f = f[f > 0]
    if not np.any(f):
        warnings.warn("Trying to estimate tuning from empty frequency set.", stacklevel=2)
        return 0.0
    residual = np.mod(bins_per_octave * np.log2(f / (440.0 / 16)), 1.0)
    residual[residual >= 0.5] -= 1.0
    bins = np.linspace(-0.5, 0.5, int(np.ceil(1.0 / resolution)) + 1)
    counts, tuning = np.histogram(residual, bins)
    return float(tuning[np.argmax(counts)])


def estimate_tuning(
    *,
    y: Any = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int | None = 2048,
    resolution: float = 0.01,
    bins_per_octave: int = 12,
    **kwargs: Any,
) -> float:
    """Estimate the tuning of a signal or spectrogram, as ``librosa.estimate_tuning``.

    :func:`piptrack` peaks whose magnitude is at least the median peak magnitude, summarised
    by :func:`pitch_tuning`.

    Parameters
    ----------
    y, sr, S, n_fft
        As :func:`piptrack`.
    resolution : float in (0, 1)
    bins_per_octave : int > 0
    **kwargs
        Further :func:`piptrack` parameters.

    Returns
    -------
    tuning : float, in [-0.5, 0.5)
    """
    pitch, mag = piptrack(y=y, sr=sr, S=S, n_fft=n_fft, **kwargs)
    return _tuning_from_peaks(pitch, mag, resolution, bins_per_octave)


def _tuning_from_peaks(pitch: _Array, mag: _Array, resolution: float, bins_per_octave: int) -> float:
    pitch_mask = pitch > 0
    thr = np.median(mag[pitch_mask]) if pitch_mask.any() else 0.0
    return pitch_tuning(pitch[(mag >= thr) & pitch_mask], resolution=resolution, bins_per_octave=bins_per_octave)
