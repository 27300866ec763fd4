"""Onset detection (``librosa.onset`` equivalents): onset strength envelopes and peak picking.

The onset strength is librosa's spectral flux on a log-power mel spectrogram: the positive
part of ``S[..., t] - ref[..., t - lag]`` aggregated over frequency, shifted so that frame
``t`` of the envelope lines up with frame ``t`` of the spectrogram.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine.batching import Result, SignalList, is_signal_list
from ._music import maximum_filter1d, peak_pick, run_detrend
from .exceptions import ParameterError
from .feature.spectral import melspectrogram
from .frames import frames_to_samples, frames_to_time
from .spectrum import power_to_db

_Array = npt.NDArray[Any]

__all__ = ["onset_backtrack", "onset_detect", "onset_strength", "onset_strength_multi"]


@overload
def onset_strength(*, y: SignalList, **kwargs: Any) -> list[_Array]: ...
@overload
def onset_strength(*, y: _Array | None = ..., **kwargs: Any) -> _Array: ...
@overload
def onset_strength(*, y: npt.ArrayLike | None = ..., **kwargs: Any) -> Result: ...
def onset_strength(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    lag: int = 1,
    max_size: int = 1,
    ref: npt.ArrayLike | None = None,
    detrend: bool = False,
    center: bool = True,
    feature: Callable[..., Any] | None = None,
    aggregate: Callable[..., Any] | bool | None = None,
    **kwargs: Any,
) -> Result:
    """Spectral-flux onset strength envelope, as ``librosa.onset.onset_strength``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), float32 or float64, a list of such arrays, or None
        Audio. Leading axes are channels. A list gives a list of envelopes, equal to one call
        per signal; the spectrogram of the default ``feature`` runs in one parallel pass.
    sr : float > 0
        Sampling rate.
    S : np.ndarray, shape (..., d, t), or None
        A pre-computed (log-power) spectrogram; used instead of ``y`` when given.
    lag : int > 0
        Time lag for the difference.
    max_size : int > 0
        Size of the frequency maximum filter applied to the reference (1: none).
    ref : np.ndarray, shape of ``S``, or None
        Reference spectrum to difference against (default: ``S`` max-filtered).
    detrend : bool
        Remove the DC component with librosa's ``lfilter([1, -1], [1, -0.99])``; as in librosa
        the result is then float64 even for float32 input.
    center : bool
        Shift the envelope by ``n_fft // (2 * hop_length)`` frames so it lines up with the
        centred frames of ``S``.
    feature : callable or None
        Spectrogram function of ``y`` (default :func:`cepstra.feature.melspectrogram` with
        ``fmax=sr / 2``); its output is converted with :func:`cepstra.power_to_db`.
    aggregate : callable or None
        Aggregation over frequency (default ``np.mean``). ``False`` is refused.
    **kwargs
        ``n_fft`` (2048), ``hop_length`` (512) and any further parameters of ``feature``.

    Returns
    -------
    onset_envelope : np.ndarray, shape (..., t), dtype of ``S`` (float64 with ``detrend``)
    """
    if aggregate is False:
        raise ParameterError("aggregate=False is not supported for the full-spectrum onset strength")
    odf = onset_strength_multi(
        y=y,
        sr=sr,
        S=S,
        lag=lag,
        max_size=max_size,
        ref=ref,
        detrend=detrend,
        center=center,
        feature=feature,
        aggregate=aggregate,
        channels=None,
        **kwargs,
    )
    if isinstance(odf, list):
        return [o[..., 0, :] for o in odf]
    return odf[..., 0, :]


@overload
def onset_strength_multi(*, y: SignalList, **kwargs: Any) -> list[_Array]: ...
@overload
def onset_strength_multi(*, y: _Array | None = ..., **kwargs: Any) -> _Array: ...
@overload
def onset_strength_multi(*, y: npt.ArrayLike | None = ..., **kwargs: Any) -> Result: ...
def onset_strength_multi(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int = 2048,
    hop_length: int = 512,
    lag: int = 1,
    max_size: int = 1,
    ref: npt.ArrayLike | None = None,
    detrend: bool = False,
    center: bool = True,
    feature: Callable[..., Any] | None = None,
    aggregate: Callable[..., Any] | bool | None = None,
    channels: Sequence[int] | Sequence[slice] | None = None,
    **kwargs: Any,
) -> Result:
    """Onset strength per frequency sub-band, as ``librosa.onset.onset_strength_multi``.

    Parameters
    ----------
    y, sr, S, lag, max_size, ref, detrend, center, feature
        As :func:`onset_strength`.
    n_fft, hop_length : int > 0
        STFT parameters for ``feature`` (also used by ``center`` with ``S``).
    aggregate : callable, False or None
        Aggregation within each channel (default ``np.mean``); ``False`` keeps every row.
    channels : sequence of int or slice, or None
        Sub-band boundaries (row indices of ``S``) or slices; default one band, all rows.
    **kwargs
        Further parameters of ``feature``.

    Returns
    -------
    onset_envelope : np.ndarray, shape (..., n_channels, t)
    """
    sr = V.real_number("sr", sr, minimum=0, strict=True)
    if feature is None:
        feature = melspectrogram
        kwargs.setdefault("fmax", 0.5 * sr)
    elif not callable(feature):
        raise ParameterError(f"feature={feature!r} must be callable")
    if aggregate is None:
        aggregate = np.mean
    if not (aggregate is False or callable(aggregate)):
        raise ParameterError(f"aggregate={aggregate!r} must be callable, False or None")
    lag = V.positive_int("lag", lag)
    max_size = V.positive_int("max_size", max_size)
    n_fft = V.positive_int("n_fft", n_fft, maximum=V.MAX_N_FFT)
    hop_length = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    detrend = V.boolean("detrend", detrend)
    center = V.boolean("center", center)

    if S is None and is_signal_list(y):
        assert isinstance(y, (list, tuple))
        if feature is melspectrogram:  # the engine runs the list in one parallel pass
            feats = feature(y=list(y), sr=sr, n_fft=n_fft, hop_length=hop_length, **kwargs)
        else:
            feats = [feature(y=e, sr=sr, n_fft=n_fft, hop_length=hop_length, **kwargs) for e in y]
        return [
            onset_strength_multi(
                S=power_to_db(np.abs(F)),
                sr=sr,
                n_fft=n_fft,
                hop_length=hop_length,
                lag=lag,
                max_size=max_size,
                ref=ref,
                detrend=detrend,
                center=center,
                aggregate=aggregate,
                channels=channels,
            )
            for F in feats
        ]
    if S is None:
        if y is None:
            raise ParameterError("onset strength needs y or S (both are None)")
        S = power_to_db(np.abs(feature(y=y, sr=sr, n_fft=n_fft, hop_length=hop_length, **kwargs)))
    Sa = V.float_array("S", S, min_ndim=1)
    if Sa.ndim == 1:
        Sa = Sa[np.newaxis]
    if Sa.shape[-1] <= lag:
        raise ParameterError(f"S has {Sa.shape[-1]} frame(s); lag={lag} needs more")

    if ref is None:
        ref_a = Sa if max_size == 1 else maximum_filter1d(Sa, max_size, axis=-2)
    else:
        ref_a = V.float_array("ref", ref, min_ndim=1)
        if ref_a.shape != Sa.shape:
            raise ParameterError(f"ref.shape={ref_a.shape} must match S.shape={Sa.shape}")

    onset_env = np.maximum(0.0, Sa[..., lag:] - ref_a[..., :-lag])

    pad = True
    if channels is None:
        slices: list[slice] = [slice(None)]
    else:
        pad = False
        slices = _channel_slices(channels, Sa.shape[-2], pad)
    if callable(aggregate):
        agg = np.empty(onset_env.shape[:-2] + (len(slices), onset_env.shape[-1]), dtype=onset_env.dtype)
        for i, sl in enumerate(slices):
            agg[..., i, :] = aggregate(onset_env[..., sl, :], axis=-2)
        onset_env = agg

    pad_width = lag + (n_fft // (2 * hop_length) if center else 0)
    widths = [(0, 0)] * onset_env.ndim
    widths[-1] = (int(pad_width), 0)
    onset_env = np.pad(onset_env, widths, mode="constant")
    if detrend:
        onset_env = run_detrend(onset_env)
    if center:
        onset_env = onset_env[..., : Sa.shape[-1]]
    return onset_env


def _channel_slices(channels: Sequence[int] | Sequence[slice], n_rows: int, pad: bool) -> list[slice]:
    items = list(channels)
    if all(isinstance(c, slice) for c in items):
        return items  # type: ignore[return-value]
    if not all(V.is_int(c) for c in items):
        raise ParameterError(f"channels={channels!r} must be all integers or all slices")
    idx = np.asarray(items, dtype=np.int64)
    if np.any(idx < 0):
        raise ParameterError(f"channels={channels!r} contains a negative index")
    # librosa's index_to_slice(idx, idx_min=0, idx_max=n_rows, pad=pad) via fix_frames
    if pad:
        idx = np.concatenate(([0, n_rows], np.clip(idx, 0, n_rows)))
    idx = idx[(idx >= 0) & (idx <= n_rows)]
    bounds = np.unique(idx).astype(int)
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]


def onset_backtrack(events: npt.ArrayLike, energy: npt.ArrayLike) -> _Array:
    """Moves each event back to the preceding local minimum of ``energy``, as librosa.

    Parameters
    ----------
    events : np.ndarray of int, shape (m,)
        Event frame indices.
    energy : np.ndarray, shape (t,)
        An energy function; its local minima (``e[i] <= e[i-1]`` and ``e[i] < e[i+1]``, plus
        frame 0) are the candidates.

    Returns
    -------
    events_backtracked : np.ndarray of int, shape (m,)
    """
    ev = np.asarray(events)
    en = V.float_array("energy", energy, min_ndim=1)
    if ev.ndim != 1 or (ev.size and not np.issubdtype(ev.dtype, np.integer)):
        raise ParameterError(f"events must be a 1-D array of frame indices, got shape={ev.shape} dtype={ev.dtype}")
    if en.ndim != 1:
        raise ParameterError(f"energy must be 1-D, got shape={en.shape}")
    minima = np.flatnonzero((en[1:-1] <= en[:-2]) & (en[1:-1] < en[2:]))
    minima = np.unique(np.concatenate(([0], 1 + minima))).astype(int)
    if ev.size == 0:
        return np.array([], dtype=int)
    if np.any(ev < 0):
        raise ParameterError("events contains a negative frame index")
    # librosa's match_events(events, minima, right=False): nearest candidate at or before each event
    pos = np.searchsorted(minima, ev, side="right") - 1
    out: _Array = minima[pos]
    return out


def onset_detect(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    onset_envelope: npt.ArrayLike | None = None,
    hop_length: int = 512,
    backtrack: bool = False,
    energy: npt.ArrayLike | None = None,
    units: str = "frames",
    normalize: bool = True,
    sparse: bool = True,
    **kwargs: Any,
) -> _Array:
    """Onset events picked from the onset strength envelope, as ``librosa.onset.onset_detect``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), or None
        Audio (used when ``onset_envelope`` is None).
    sr : float > 0
    onset_envelope : np.ndarray, shape (..., t), or None
    hop_length : int > 0
    backtrack : bool
        Move each onset to the preceding minimum of ``energy`` (``sparse=True`` only).
    energy : np.ndarray, shape (t,), or None
        Default ``onset_envelope``.
    units : {"frames", "samples", "time"}
    normalize : bool
        Scale the envelope to [0, 1] first.
    sparse : bool
        True: event indices (1-D input only); False: a boolean array shaped like the envelope.
    **kwargs
        Peak picking: ``pre_max`` (30 ms), ``post_max`` (1 frame), ``pre_avg`` (100 ms),
        ``post_avg`` (100 ms + 1 frame), ``wait`` (30 ms), ``delta`` (0.07), in frames.

    Returns
    -------
    onsets : np.ndarray, int frames or samples, float64 seconds, or bool (``sparse=False``)
    """
    sr = V.real_number("sr", sr, minimum=0, strict=True)
    hop_length = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    units = V.choice("units", units, ("frames", "samples", "time"))
    sparse = V.boolean("sparse", sparse)
    unknown = set(kwargs) - {"pre_max", "post_max", "pre_avg", "post_avg", "wait", "delta"}
    if unknown:
        raise ParameterError(f"onset_detect got unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    if onset_envelope is None:
        if y is None:
            raise ParameterError("onset_detect needs y or onset_envelope (both are None)")
        # one signal (a list is stacked as channels, as before lists meant batches)
        env = onset_strength(y=np.asarray(y) if is_signal_list(y) else y, sr=sr, hop_length=hop_length)
        assert isinstance(env, np.ndarray)
    else:
        env = V.float_array("onset_envelope", onset_envelope, min_ndim=1)
    if normalize:
        env = env - np.min(env, keepdims=True, axis=-1)
        env /= np.max(env, keepdims=True, axis=-1) + np.finfo(env.dtype).tiny
    onsets: _Array
    if not env.any() or not np.all(np.isfinite(env)):
        onsets = np.array([], dtype=int) if sparse else np.zeros_like(env, dtype=bool)
    else:
        kwargs.setdefault("pre_max", 0.03 * sr // hop_length)
        kwargs.setdefault("post_max", 0.00 * sr // hop_length + 1)
        kwargs.setdefault("pre_avg", 0.10 * sr // hop_length)
        kwargs.setdefault("post_avg", 0.10 * sr // hop_length + 1)
        kwargs.setdefault("wait", 0.03 * sr // hop_length)
        kwargs.setdefault("delta", 0.07)
        onsets = peak_pick(env, sparse=sparse, **kwargs)
        if backtrack:
            if not sparse:
                raise ParameterError("backtrack=True is only supported with sparse=True")
            onsets = onset_backtrack(onsets, env if energy is None else energy)
    if sparse:
        if units == "samples":
            onsets = frames_to_samples(onsets, hop_length=hop_length)
        elif units == "time":
            onsets = frames_to_time(onsets, sr=sr, hop_length=hop_length)
    return onsets
