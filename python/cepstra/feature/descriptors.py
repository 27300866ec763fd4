"""Frame-wise spectral descriptors (``librosa.feature`` equivalents); rms and
zero_crossing_rate are in time_domain.py (re-exported here).

Every function reproduces librosa 0.11's arithmetic, including its conventions:

- the spectral descriptors read the *magnitude* spectrogram (``power=1``); ``spectral_flatness``
  raises it to ``power`` (default 2) itself;
- centroid, bandwidth, roll-off, contrast, poly_features and zero_crossing_rate are float64
  whatever the input precision (librosa multiplies by float64 bin frequencies); flatness and
  chroma keep the input precision; ``rms`` is float32 unless ``dtype`` says otherwise (its
  default ``dtype=np.float32`` applies to float64 input too);
- ``rms(S=...)`` is Parseval's identity for an *unwindowed* frame (librosa ignores the window);
- ``zero_crossing_rate`` pads with edge copies (not zeros) when centred, and never counts a
  crossing at the first sample of a frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from .._engine.windows import WindowSpec
from ..exceptions import ParameterError
from . import _common as C
from . import _fast
from .time_domain import rms, zero_crossing_rate

_Array = npt.NDArray[Any]

__all__ = [
    "spectral_centroid",
    "spectral_bandwidth",
    "spectral_contrast",
    "spectral_rolloff",
    "spectral_flatness",
    "rms",
    "poly_features",
    "zero_crossing_rate",
]


def _signal_args(
    n_fft: Any, hop_length: Any, win_length: Any, window: Any, center: Any, pad_mode: Any
) -> dict[str, Any]:
    return dict(
        n_fft=n_fft, hop_length=hop_length, win_length=win_length, window=window, center=center, pad_mode=pad_mode
    )


def spectral_centroid(
    *,
    y: Any = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int = 2048,
    hop_length: int = 512,
    freq: npt.ArrayLike | None = None,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
) -> Any:
    """Spectral centroid, as ``librosa.feature.spectral_centroid``.

    ``sum_f freq[f] S[f, t] / sum_f S[f, t]`` over the magnitude spectrogram (a silent frame,
    whose sum is below the dtype's tiny, gives 0).

    Parameters
    ----------
    y : np.ndarray, shape (..., n), float32 or float64, a list of such arrays, or None
        Audio; a list gives a list of results.
    sr : float > 0
    S : np.ndarray, shape (..., d, t), or None
        Magnitude spectrogram (non-negative) used instead of ``y``.
    n_fft, hop_length, win_length, window, center, pad_mode
        STFT parameters, as :func:`cepstra.stft`.
    freq : np.ndarray, shape (d,) or (..., d, t), or None
        Bin centre frequencies; default the FFT bin frequencies.

    Returns
    -------
    centroid : np.ndarray, shape (..., 1, t), float64
    """
    kw = dict(sr=sr, freq=freq, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode))
    if C.is_list(y):
        return C.map_list(spectral_centroid, y, S=None, **kw)
    if S is None and freq is None and y is not None:
        fast = _fast.spectral(
            y, ("centroid",), sr=sr, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode)
        )
        if fast is not None:
            return fast["centroid"]
    S, n_fft = C.spectrogram(y=y, S=S, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode))
    f = C.expand_freq(C.frequencies(freq, sr, n_fft, S.shape[-2]), S.ndim)
    out: _Array = np.sum(f * C.normalize(S, 1, axis=-2), axis=-2, keepdims=True)
    return out


def spectral_bandwidth(
    *,
    y: Any = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int = 2048,
    hop_length: int = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    freq: npt.ArrayLike | None = None,
    centroid: npt.ArrayLike | None = None,
    norm: bool = True,
    p: float = 2,
) -> Any:
    """p-th order spectral bandwidth, as ``librosa.feature.spectral_bandwidth``.

    ``(sum_f S[f, t] |freq[f] - centroid[t]|**p) ** (1/p)``, with S normalised per frame to
    unit sum when ``norm``.

    Parameters
    ----------
    y, sr, S, n_fft, hop_length, win_length, window, center, pad_mode, freq
        As :func:`spectral_centroid`.
    centroid : np.ndarray, shape (..., 1, t), or None
        A pre-computed centroid (computed from S when None).
    norm : bool
    p : float > 0

    Returns
    -------
    bandwidth : np.ndarray, shape (..., 1, t), float64
    """
    kw = dict(
        sr=sr,
        freq=freq,
        centroid=centroid,
        norm=norm,
        p=p,
        **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode),
    )
    if C.is_list(y):
        return C.map_list(spectral_bandwidth, y, S=None, **kw)
    p = V.real_number("p", p, minimum=0.0, strict=True)
    norm = V.boolean("norm", norm)
    if S is None and freq is None and centroid is None and norm and p == 2 and y is not None:
        fast = _fast.spectral(
            y, ("bandwidth",), sr=sr, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode)
        )
        if fast is not None:
            return fast["bandwidth"]
    S, n_fft = C.spectrogram(y=y, S=S, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode))
    if centroid is None:
        cent = spectral_centroid(sr=sr, S=S, n_fft=n_fft, hop_length=hop_length, freq=freq)
    else:
        cent = np.asarray(centroid)
        if cent.dtype.kind not in "iuf" or cent.shape[-1:] != S.shape[-1:] or cent.ndim < 2 or cent.shape[-2] != 1:
            raise ParameterError(f"centroid has shape {cent.shape}; expected (..., 1, {S.shape[-1]})")
    f = C.frequencies(freq, sr, n_fft, S.shape[-2])
    if f.ndim == 1:
        deviation = np.abs(np.subtract.outer(cent[..., 0, :], f).swapaxes(-2, -1))
    else:
        deviation = np.abs(f - cent)
    if norm:
        S = C.normalize(S, 1, axis=-2)
    out: _Array = np.sum(S * deviation**p, axis=-2, keepdims=True) ** (1.0 / p)
    return out


def spectral_contrast(
    *,
    y: Any = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int = 2048,
    hop_length: int = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    freq: npt.ArrayLike | None = None,
    fmin: float = 200.0,
    n_bands: int = 6,
    quantile: float = 0.02,
    linear: bool = False,
) -> Any:
    """Spectral contrast (peak minus valley per octave band), as ``librosa.feature.spectral_contrast``.

    Band ``k`` spans ``[fmin 2**(k-1), fmin 2**k]`` (band 0 starts at 0 Hz, the last one runs to
    Nyquist); like librosa, each band but the first also takes the bin just below it, and each
    but the last drops its top bin. Peak and valley are the means of the top and bottom
    ``max(1, rint(quantile * n_bins))`` values of the band.

    Parameters
    ----------
    y, sr, S, n_fft, hop_length, win_length, window, center, pad_mode
        As :func:`spectral_centroid`.
    freq : np.ndarray, shape (d,), or None
    fmin : float > 0
    n_bands : int > 0
        The bands' edges must stay below Nyquist.
    quantile : float in (0, 1)
    linear : bool
        True: ``peak - valley``; False: ``power_to_db(peak) - power_to_db(valley)`` (each with
        librosa's defaults, ``top_db=80`` relative to its own maximum).

    Returns
    -------
    contrast : np.ndarray, shape (..., n_bands + 1, t), float64
    """
    kw = dict(
        sr=sr,
        freq=freq,
        fmin=fmin,
        n_bands=n_bands,
        quantile=quantile,
        linear=linear,
        **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode),
    )
    if C.is_list(y):
        return C.map_list(spectral_contrast, y, S=None, **kw)
    if not V.is_int(n_bands) or n_bands < 1:
        raise ParameterError(f"n_bands={n_bands!r} must be a positive integer")
    quantile = V.real_number("quantile", quantile)
    if not 0.0 < quantile < 1.0:
        raise ParameterError(f"quantile={quantile!r} must lie in the range (0, 1)")
    fmin = V.real_number("fmin", fmin, minimum=0.0, strict=True)
    linear = V.boolean("linear", linear)
    sr = V.real_number("sr", sr, minimum=0.0, strict=True)
    octa = np.zeros(n_bands + 2)
    octa[1:] = fmin * (2.0 ** np.arange(0, n_bands + 1))
    if np.any(octa[:-1] >= 0.5 * sr):
        raise ParameterError(
            f"fmin={fmin} with n_bands={n_bands} gives a band above Nyquist (sr={sr}); reduce fmin or n_bands"
        )
    if S is None and y is not None and freq is None:
        fast = _fast.contrast(
            y,
            sr=sr,
            octa=octa,
            n_bands=n_bands,
            quantile=quantile,
            **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode),
        )
        if fast is not None:
            valley, peak = fast
            return peak - valley if linear else _power_to_db(peak) - _power_to_db(valley)
    S, n_fft = C.spectrogram(y=y, S=S, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode))
    f = np.atleast_1d(C.frequencies(freq, sr, n_fft, S.shape[-2]))
    if f.ndim != 1 or len(f) != S.shape[-2]:
        raise ParameterError(f"freq.shape mismatch: expected ({S.shape[-2]:d},)")
    shape = list(S.shape)
    shape[-2] = n_bands + 1
    valley = np.zeros(shape)
    peak = np.zeros_like(valley)
    for k, (f_low, f_high) in enumerate(zip(octa[:-1], octa[1:])):
        band = np.logical_and(f >= f_low, f <= f_high)
        idx = np.flatnonzero(band)
        if idx.size == 0:
            raise ParameterError(f"band {k} ({f_low:g}-{f_high:g} Hz) holds no frequency bin; increase n_fft or fmin")
        if k > 0:
            band[idx[0] - 1] = True
        if k == n_bands:
            band[idx[-1] + 1 :] = True
        sub = S[..., band, :]
        if k < n_bands:
            sub = sub[..., :-1, :]
        q = int(np.maximum(np.rint(quantile * np.sum(band)), 1))
        srt = np.sort(sub, axis=-2)
        valley[..., k, :] = np.mean(srt[..., :q, :], axis=-2)
        peak[..., k, :] = np.mean(srt[..., -q:, :], axis=-2)
    if linear:
        out: _Array = peak - valley
        return out
    return _power_to_db(peak) - _power_to_db(valley)


def _power_to_db(S: _Array) -> _Array:
    """librosa.power_to_db with its defaults (ref=1, amin=1e-10, top_db=80 over the whole array)."""
    log_spec: _Array = 10.0 * np.log10(np.maximum(1e-10, S))
    out: _Array = np.maximum(log_spec, log_spec.max() - 80.0)
    return out


def spectral_rolloff(
    *,
    y: Any = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int = 2048,
    hop_length: int = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    freq: npt.ArrayLike | None = None,
    roll_percent: float = 0.85,
) -> Any:
    """Roll-off frequency, as ``librosa.feature.spectral_rolloff``.

    The lowest ``freq[f]`` whose cumulative magnitude (summed from bin 0, in S's precision)
    reaches ``roll_percent`` of the frame's total. A silent frame gives the lowest frequency.

    Parameters
    ----------
    y, sr, S, n_fft, hop_length, win_length, window, center, pad_mode, freq
        As :func:`spectral_centroid`.
    roll_percent : float in (0, 1)

    Returns
    -------
    rolloff : np.ndarray, shape (..., 1, t), float64
    """
    kw = dict(
        sr=sr,
        freq=freq,
        roll_percent=roll_percent,
        **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode),
    )
    if C.is_list(y):
        return C.map_list(spectral_rolloff, y, S=None, **kw)
    roll_percent = V.real_number("roll_percent", roll_percent)
    if not 0.0 < roll_percent < 1.0:
        raise ParameterError(f"roll_percent={roll_percent!r} must lie in the range (0, 1)")
    if S is None and freq is None and y is not None:
        fast = _fast.spectral(
            y,
            ("rolloff",),
            sr=sr,
            roll_percent=roll_percent,
            **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode),
        )
        if fast is not None:
            return fast["rolloff"]
    S, n_fft = C.spectrogram(y=y, S=S, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode))
    f = C.expand_freq(C.frequencies(freq, sr, n_fft, S.shape[-2]), S.ndim)
    total = np.cumsum(S, axis=-2)
    threshold = np.expand_dims(roll_percent * total[..., -1, :], axis=-2)
    ind = np.where(total < threshold, np.nan, 1)
    out: _Array = np.nanmin(ind * f, axis=-2, keepdims=True)
    return out


def spectral_flatness(
    *,
    y: Any = None,
    S: npt.ArrayLike | None = None,
    n_fft: int = 2048,
    hop_length: int = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    amin: float = 1e-10,
    power: float = 2.0,
) -> Any:
    """Spectral flatness (Wiener entropy), as ``librosa.feature.spectral_flatness``.

    ``exp(mean(log(X))) / mean(X)`` with ``X = max(amin, S**power)`` per frame.

    Parameters
    ----------
    y, S, n_fft, hop_length, win_length, window, center, pad_mode
        As :func:`spectral_centroid` (S is a magnitude spectrogram).
    amin : float > 0
    power : float > 0

    Returns
    -------
    flatness : np.ndarray, shape (..., 1, t), dtype of the spectrogram
    """
    kw = dict(amin=amin, power=power, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode))
    if C.is_list(y):
        return C.map_list(spectral_flatness, y, S=None, **kw)
    amin = V.real_number("amin", amin, minimum=0.0, strict=True)
    power = V.real_number("power", power, minimum=0.0, strict=True)
    if S is None and y is not None and power == 2.0:
        fast = _fast.spectral(
            y, ("flatness",), amin=amin, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode)
        )
        if fast is not None:
            return fast["flatness"]
    S, _ = C.spectrogram(y=y, S=S, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode))
    thresh = np.maximum(amin, S**power)
    # Means accumulated in float64: librosa's float32 sums run pairwise over its F-ordered
    # spectrogram, which a plain float32 sum over a C-ordered one would not match.
    gmean = np.exp(np.mean(np.log(thresh), axis=-2, keepdims=True, dtype=np.float64).astype(thresh.dtype))
    amean = np.mean(thresh, axis=-2, keepdims=True, dtype=np.float64).astype(thresh.dtype)
    out: _Array = gmean / amean
    return out


def poly_features(
    *,
    y: Any = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int = 2048,
    hop_length: int = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    order: int = 1,
    freq: npt.ArrayLike | None = None,
) -> Any:
    """Coefficients of a polynomial fitted to each frame's spectrum, as ``librosa.feature.poly_features``.

    The same least-squares fit as ``np.polyfit(freq, S[..., :, t], order)`` (what librosa calls).

    Parameters
    ----------
    y, sr, S, n_fft, hop_length, win_length, window, center, pad_mode, freq
        As :func:`spectral_centroid`.
    order : int >= 0

    Returns
    -------
    coefficients : np.ndarray, shape (..., order + 1, t), float64
        Highest degree first.
    """
    kw = dict(sr=sr, freq=freq, order=order, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode))
    if C.is_list(y):
        return C.map_list(poly_features, y, S=None, **kw)
    if not V.is_int(order) or order < 0:
        raise ParameterError(f"order={order!r} must be a non-negative integer")
    S, n_fft = C.spectrogram(
        y=y, S=S, nonnegative=False, **_signal_args(n_fft, hop_length, win_length, window, center, pad_mode)
    )
    f = C.frequencies(freq, sr, n_fft, S.shape[-2])
    lead = S.shape[:-2]
    if f.ndim == 1:
        flat = S.reshape((-1,) + S.shape[-2:])
        coef = np.stack([np.polyfit(f, s, order) for s in flat])
        out: _Array = coef.reshape(lead + coef.shape[-2:])
        return out
    fb = np.broadcast_to(f, S.shape)
    fit = np.vectorize(lambda x, v: np.polyfit(x, v, order), signature="(f),(f)->(d)")
    res: _Array = fit(fb.swapaxes(-2, -1), S.swapaxes(-2, -1)).swapaxes(-2, -1)
    return res
