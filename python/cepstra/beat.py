"""Beat tracking (``librosa.beat`` equivalent): Ellis' dynamic-programming beat tracker.

The steps and their arithmetic follow librosa 0.11 exactly, including its odd corners:

- the local score (onset envelope convolved with a Gaussian of one beat period) never reads
  frame 0 of the envelope (librosa's loop bounds stop at index 1);
- the tightness is rounded to float32 before use, as librosa's numba signature does;
- trimming walks in from both ends over the *local score* (not only the beats), clearing the
  beat flags while the score is at or below the threshold.
"""

from __future__ import annotations

from typing import Any, cast, overload

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine.batching import SignalList, is_signal_list
from .exceptions import ParameterError
from .feature.rhythm import tempo as _tempo
from .frames import frames_to_samples, frames_to_time
from .onset import onset_strength

_Array = npt.NDArray[Any]

__all__ = ["beat_track"]


@overload
def beat_track(
    *,
    y: SignalList,
    sr: float = ...,
    onset_envelope: npt.ArrayLike | None = ...,
    hop_length: int = ...,
    start_bpm: float = ...,
    tightness: float = ...,
    trim: bool = ...,
    bpm: float | npt.ArrayLike | None = ...,
    prior: Any = ...,
    units: str = ...,
    sparse: bool = ...,
) -> list[tuple[Any, _Array]]: ...
@overload
def beat_track(
    *,
    y: npt.ArrayLike | None = ...,
    sr: float = ...,
    onset_envelope: npt.ArrayLike | None = ...,
    hop_length: int = ...,
    start_bpm: float = ...,
    tightness: float = ...,
    trim: bool = ...,
    bpm: float | npt.ArrayLike | None = ...,
    prior: Any = ...,
    units: str = ...,
    sparse: bool = ...,
) -> tuple[Any, _Array]: ...
def beat_track(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    onset_envelope: npt.ArrayLike | None = None,
    hop_length: int = 512,
    start_bpm: float = 120.0,
    tightness: float = 100,
    trim: bool = True,
    bpm: float | npt.ArrayLike | None = None,
    prior: Any = None,
    units: str = "frames",
    sparse: bool = True,
) -> tuple[Any, _Array] | list[tuple[Any, _Array]]:
    """Dynamic-programming beat tracker, as ``librosa.beat.beat_track``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), a list of such arrays, or None
        Audio; its onset envelope is ``onset_strength(..., aggregate=np.median)``. A list gives
        a list of (tempo, beats), equal to one call per signal, the envelopes' spectrograms
        computed in one parallel pass.
    sr : float > 0
    onset_envelope : np.ndarray, shape (..., t), or None
    hop_length : int > 0
    start_bpm : float > 0
        Initial tempo guess for :func:`cepstra.feature.tempo`.
    tightness : float > 0
        How strictly beats follow the tempo.
    trim : bool
        Drop weak beats at the start and end.
    bpm : float, np.ndarray or None
        Tempo (a scalar, one per channel, or one per frame); estimated when None.
    prior : scipy.stats distribution or None
        Tempo prior for the estimation.
    units : {"frames", "samples", "time"}
    sparse : bool
        True: beat positions (1-D envelope only); False: a boolean array shaped like the envelope.

    Returns
    -------
    tempo : np.ndarray, shape (..., 1) (or the given ``bpm``), float64
    beats : np.ndarray of int (frames/samples), float64 (time), or bool (``sparse=False``)
    """
    sr = V.real_number("sr", sr, minimum=0, strict=True)
    hop_length = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    units = V.choice("units", units, ("frames", "samples", "time"))
    sparse = V.boolean("sparse", sparse)
    trim = V.boolean("trim", trim)
    tightness = V.real_number("tightness", tightness)
    if onset_envelope is None and is_signal_list(y):
        assert isinstance(y, (list, tuple))
        envs = onset_strength(y=list(y), sr=sr, hop_length=hop_length, aggregate=np.median)
        kw: dict[str, Any] = {"sr": sr, "hop_length": hop_length, "start_bpm": start_bpm, "tightness": tightness}
        kw.update(trim=trim, bpm=bpm, prior=prior, units=units, sparse=sparse)
        return [beat_track(onset_envelope=e, **kw) for e in envs]
    if onset_envelope is None:
        if y is None:
            raise ParameterError("beat_track needs y or onset_envelope (both are None)")
        env = cast(_Array, onset_strength(y=y, sr=sr, hop_length=hop_length, aggregate=np.median))
    else:
        env = V.float_array("onset_envelope", onset_envelope, min_ndim=1)
        V.finite("onset_envelope", env)
    if sparse and env.ndim != 1:
        raise ParameterError(
            f"sparse=True does not support {env.ndim}-dimensional onset envelopes; "
            "set sparse=False or convert the signal to mono"
        )
    if not env.any():
        if sparse:
            return (0.0, np.array([], dtype=int))
        return (np.zeros(env.shape[:-1], dtype=float), np.zeros_like(env, dtype=bool))
    if bpm is None:
        bpm = _tempo(onset_envelope=env, sr=sr, hop_length=hop_length, start_bpm=start_bpm, prior=prior)
    bpm_arr = np.atleast_1d(np.asarray(bpm))
    if not np.issubdtype(bpm_arr.dtype, np.number) or np.iscomplexobj(bpm_arr):
        raise ParameterError(f"bpm={bpm!r} must be a real number or array")
    if np.any(~(bpm_arr > 0)):
        raise ParameterError(f"bpm={bpm!r} must be strictly positive")
    if tightness <= 0:
        raise ParameterError(f"tightness={tightness!r} must be strictly positive")
    bpm_exp: _Array = bpm_arr.reshape(bpm_arr.shape + (1,) * (env.ndim - bpm_arr.ndim))
    if bpm_exp.shape[-1] not in (1, env.shape[-1]):
        raise ParameterError(f"bpm shape={bpm_arr.shape} does not match onset envelope shape={env.shape}")
    beats = _beat_tracker(env, bpm_exp, float(sr) / hop_length, tightness, trim)
    if not sparse:
        return (bpm, beats)
    pos = np.flatnonzero(beats)
    if units == "samples":
        return (bpm, frames_to_samples(pos, hop_length=hop_length))
    if units == "time":
        return (bpm, frames_to_time(pos, sr=sr, hop_length=hop_length))
    return (bpm, pos)


def _beat_tracker(env: _Array, bpm: _Array, frame_rate: float, tightness: float, trim: bool) -> _Array:
    fpb_all = np.round(frame_rate * 60.0 / bpm)
    norm = env.std(ddof=1, axis=-1, keepdims=True)
    onsets = env / (norm + np.finfo(env.dtype).tiny)
    # numba's guvectorize picks the loop both inputs cast to safely (float64 unless both float32)
    work = np.result_type(onsets.dtype, fpb_all.dtype)
    if work not in (np.float32, np.float64):
        work = np.dtype(np.float64)
    onsets = onsets.astype(work, copy=False)
    fpb_all = fpb_all.astype(work, copy=False)
    lead = env.shape[:-1]
    fpb_b = np.broadcast_to(fpb_all, lead + (fpb_all.shape[-1],))
    beats = np.zeros(env.shape, dtype=bool)
    for idx in np.ndindex(*lead):
        beats[idx] = _track_one(onsets[idx], fpb_b[idx], np.float32(tightness), trim)
    return beats


def _track_one(onsets: _Array, fpb: _Array, tightness: np.float32, trim: bool, native: bool = True) -> _Array:
    if native:
        from ._engine import core

        result: _Array = core.beat_track_dp(
            np.ascontiguousarray(onsets), np.ascontiguousarray(fpb), float(tightness), trim, np.hanning(5)
        )
        return result
    # The numpy reference of the C++ kernel (kept for tests).
    localscore = _local_score(onsets, fpb)
    backlink, cumscore = _dp(localscore, fpb, tightness)
    tail = _last_beat(cumscore)
    beats = np.zeros(onsets.shape, dtype=bool)
    n = tail
    while n >= 0:
        beats[n] = True
        n = int(backlink[n])
    return _trim(localscore, beats, trim)


def _local_score(onsets: _Array, fpb: _Array) -> _Array:
    N = onsets.shape[0]
    out = np.zeros(N, dtype=onsets.dtype)
    if fpb.shape[0] == 1:
        f = fpb[0]
        window = np.exp(-0.5 * (np.arange(-f, f + 1) * 32.0 / f) ** 2).astype(onsets.dtype)
        K = window.shape[0]
        h = K // 2
        # term k feeds output i from input j = i + h - k, for 1 <= j <= N - 1 (librosa's bounds)
        for k in range(K):
            i0 = max(0, k - h + 1)
            i1 = min(N, k - h + N)
            if i1 > i0:
                out[i0:i1] += window[k] * onsets[i0 + h - k : i1 + h - k]
        return out
    for i in range(N):
        f = fpb[i]
        window = np.exp(-0.5 * (np.arange(-f, f + 1) * 32.0 / f) ** 2).astype(onsets.dtype)
        K = 2 * int(f) + 1
        acc = onsets.dtype.type(0.0)
        for k in range(max(0, i + K // 2 - N + 1), min(i + K // 2, K)):
            acc += window[k] * onsets[i + K // 2 - k]
        out[i] = acc
    return out


def _dp(localscore: _Array, fpb: _Array, tightness: np.float32) -> tuple[_Array, _Array]:
    N = localscore.shape[0]
    score_thresh = 0.01 * localscore.max()
    backlink = np.empty(N, dtype=np.int32)
    cumscore = np.empty(N, dtype=localscore.dtype)
    first_beat = True
    tv = int(fpb.shape[0] > 1)
    t = np.float64(tightness)
    for i in range(N):
        f = fpb[tv * i]
        start = i - int(np.round(f / 2))
        stop = i - 2 * int(f) - 1
        lo = max(stop + 1, 0)
        best_score = -np.inf
        loc_best = -1
        if start >= lo and start >= 0:
            locs = np.arange(start, lo - 1, -1)
            scores = cumscore[locs] - t * (np.log((i - locs).astype(np.float64)) - np.log(f)) ** 2
            j = int(np.argmax(scores))  # first maximum = the largest loc, as the strict '>' scan
            if scores[j] > best_score:
                best_score = scores[j]
                loc_best = int(locs[j])
        score_i = localscore[i]
        cumscore[i] = score_i + best_score if loc_best >= 0 else score_i
        if first_beat and score_i < score_thresh:
            backlink[i] = -1
        else:
            backlink[i] = loc_best
            first_beat = False
    return backlink, cumscore


def _last_beat(cumscore: _Array) -> int:
    x = cumscore
    lmax = np.zeros(x.shape, dtype=bool)
    if x.shape[0] >= 3:
        lmax[1:-1] = (x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:])
    if x.shape[0] >= 2:
        lmax[-1] = x[-1] > x[-2]
    if not lmax.any():
        return int(x.shape[0] - 1)
    threshold = 0.5 * np.median(x[lmax])
    for n in range(x.shape[0] - 1, -1, -1):
        if lmax[n] and x[n] >= threshold:
            return n
    return int(x.shape[0] - 1)


def _trim(localscore: _Array, beats: _Array, trim: bool) -> _Array:
    out: _Array = beats.copy()
    w = np.hanning(5)
    smooth = np.convolve(localscore[beats], w)[len(w) // 2 : len(localscore) + len(w) // 2]
    threshold = 0.5 * ((smooth**2).mean() ** 0.5) if trim else 0.0
    N = localscore.shape[0]
    n = 0
    while n < N and localscore[n] <= threshold:
        out[n] = False
        n += 1
    n = N - 1
    while n >= 0 and localscore[n] <= threshold:
        out[n] = False
        n -= 1
    return out
