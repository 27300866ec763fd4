"""Rhythm features (``librosa.feature`` rhythm equivalents): tempograms and tempo estimation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from .._engine.windows import WindowSpec
from .._music import autocorrelate, normalize
from ..exceptions import ParameterError
from ..filters import get_window
from ..spectrum import stft

_Array = npt.NDArray[Any]

__all__ = ["fourier_tempo_frequencies", "fourier_tempogram", "tempo", "tempo_frequencies", "tempogram"]


def _envelope(y: npt.ArrayLike | None, sr: float, onset_envelope: npt.ArrayLike | None, hop_length: int) -> _Array:
    if onset_envelope is None:
        if y is None:
            raise ParameterError("needs y or onset_envelope (both are None)")
        from .._engine.batching import is_signal_list
        from ..onset import onset_strength

        # one signal (a list is stacked as channels, as before lists meant batches)
        env = onset_strength(y=np.asarray(y) if is_signal_list(y) else y, sr=sr, hop_length=hop_length)
        assert isinstance(env, np.ndarray)
        return env
    env = V.float_array("onset_envelope", onset_envelope, min_ndim=1)
    V.finite("onset_envelope", env)
    return env


def tempo_frequencies(n_bins: int, *, hop_length: int = 512, sr: float = 22050) -> _Array:
    """BPM of each autocorrelation lag, as ``librosa.tempo_frequencies`` (lag 0 is ``inf``).

    Returns
    -------
    bin_frequencies : np.ndarray, shape (n_bins,), float64
    """
    n_bins = V.positive_int("n_bins", n_bins, maximum=1 << 32)
    freqs = np.zeros(n_bins, dtype=np.float64)
    freqs[0] = np.inf
    freqs[1:] = 60.0 * sr / (hop_length * np.arange(1.0, n_bins))
    return freqs


def fourier_tempo_frequencies(*, sr: float = 22050, win_length: int = 384, hop_length: int = 512) -> _Array:
    """BPM of each Fourier tempogram bin, as ``librosa.fourier_tempo_frequencies``.

    Returns
    -------
    bin_frequencies : np.ndarray, shape (1 + win_length // 2,), float64
    """
    win_length = V.positive_int("win_length", win_length)
    out: _Array = np.fft.rfftfreq(n=win_length, d=1.0 / (sr * 60 / float(hop_length)))
    return out


def tempogram(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    onset_envelope: npt.ArrayLike | None = None,
    hop_length: int = 512,
    win_length: int = 384,
    center: bool = True,
    window: WindowSpec = "hann",
    norm: float | None = np.inf,
) -> _Array:
    """Local autocorrelation of the onset strength envelope, as ``librosa.feature.tempogram``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), or None
    sr : float > 0
    onset_envelope : np.ndarray, shape (..., t), or None
        Pre-computed onset strength; computed from ``y`` when None.
    hop_length : int > 0
    win_length : int > 0
        Autocorrelation window, in frames.
    center : bool
        Pad the envelope by ``win_length // 2`` linear ramps to zero on both sides.
    window : str, tuple, callable or np.ndarray
        Window applied to each envelope frame before autocorrelation.
    norm : float or None
        Normalisation of each column (``librosa.util.normalize``); default max-norm.

    Returns
    -------
    tempogram : np.ndarray, shape (..., win_length, t), dtype of the envelope
    """
    win_length = V.positive_int("win_length", win_length, maximum=1 << 24)
    hop_length = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    center = V.boolean("center", center)
    ac_window = get_window(window, win_length, fftbins=True)
    env = _envelope(y, sr, onset_envelope, hop_length)
    n = env.shape[-1]
    if center:
        widths = [(0, 0)] * env.ndim
        widths[-1] = (win_length // 2, win_length // 2)
        env = np.pad(env, widths, mode="linear_ramp", end_values=[0, 0])
    if env.shape[-1] < win_length:
        raise ParameterError(f"onset_envelope has {env.shape[-1]} frame(s), fewer than win_length={win_length}")
    if norm == np.inf and norm is not None:
        from .._engine import core
        from .._music import next_fast_len_real

        lead = env.shape[:-1]
        env2 = np.ascontiguousarray(env.reshape((-1, env.shape[-1])), dtype=np.float64)
        n_frames = n if center else env2.shape[-1] - win_length + 1
        if not np.all(np.isfinite(env2)):
            raise ParameterError("onset_envelope must be finite")
        tg: _Array = core.tempogram_inf(
            env2,
            n_frames,
            win_length,
            np.ascontiguousarray(ac_window, dtype=np.float64),
            next_fast_len_real(2 * win_length - 1),
        )
        return tg.reshape(lead + tg.shape[-2:])
    frames = np.lib.stride_tricks.sliding_window_view(env, win_length, axis=-1)  # (..., t, w), a view
    if center:
        frames = frames[..., :n, :]
    # autocorrelate along the contiguous last axis, a cache-sized block of frames at a time,
    # then put lags on axis -2 as librosa does
    n_frames = frames.shape[-2]
    out_dtype = np.result_type(env.dtype, ac_window.dtype)
    ac = np.empty(frames.shape[:-2] + (win_length, n_frames), dtype=out_dtype)
    step = max(1, (1 << 16) // win_length)
    for t0 in range(0, n_frames, step):
        block = autocorrelate(frames[..., t0 : t0 + step, :] * ac_window, axis=-1)
        ac[..., t0 : t0 + step] = normalize(np.swapaxes(block, -1, -2), norm, axis=-2)
    return ac


def fourier_tempogram(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    onset_envelope: npt.ArrayLike | None = None,
    hop_length: int = 512,
    win_length: int = 384,
    center: bool = True,
    window: WindowSpec = "hann",
) -> _Array:
    """Short-time Fourier transform of the onset strength envelope, as
    ``librosa.feature.fourier_tempogram``.

    Returns
    -------
    tempogram : np.ndarray, shape (..., 1 + win_length // 2, t), complex
        The STFT of the envelope with ``n_fft=win_length, hop_length=1`` (constant padding).
    """
    win_length = V.positive_int("win_length", win_length, maximum=1 << 24)
    hop_length = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    env = _envelope(y, sr, onset_envelope, hop_length)
    return stft(env, n_fft=win_length, hop_length=1, center=center, window=window)


def tempo(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    onset_envelope: npt.ArrayLike | None = None,
    tg: npt.ArrayLike | None = None,
    hop_length: int = 512,
    start_bpm: float = 120,
    std_bpm: float = 1.0,
    ac_size: float = 8.0,
    max_tempo: float | None = 320.0,
    aggregate: Callable[..., Any] | None = np.mean,
    prior: Any = None,
) -> _Array:
    """Global (or local) tempo in beats per minute, as ``librosa.feature.tempo``.

    Parameters
    ----------
    y, sr, onset_envelope, hop_length
        As :func:`tempogram`.
    tg : np.ndarray, shape (..., win_length, t), or None
        A pre-computed tempogram.
    start_bpm : float > 0
        Centre of the log-normal tempo prior.
    std_bpm : float > 0
        Its standard deviation, in octaves.
    ac_size : float > 0
        Autocorrelation window in seconds.
    max_tempo : float or None
        Tempi above this are excluded.
    aggregate : callable or None
        Aggregation of the tempogram over time (default ``np.mean``); None: a tempo per frame.
    prior : object with ``logpdf`` or None
        A ``scipy.stats`` distribution over BPM replacing the log-normal prior.

    Returns
    -------
    tempo : np.ndarray, shape (..., 1) (aggregate) or (..., t), float64
    """
    start_bpm = V.real_number("start_bpm", start_bpm, minimum=0, strict=True)
    std_bpm = V.real_number("std_bpm", std_bpm, minimum=0, strict=True)
    hop_length = V.positive_int("hop_length", hop_length, maximum=V.MAX_HOP)
    sr = V.real_number("sr", sr, minimum=0, strict=True)
    if aggregate is not None and not callable(aggregate):
        raise ParameterError(f"aggregate={aggregate!r} must be callable or None")
    if prior is not None and not callable(getattr(prior, "logpdf", None)):
        raise ParameterError(f"prior={prior!r} must have a logpdf method")
    if tg is None:
        ac_size = V.real_number("ac_size", ac_size, minimum=0, strict=True)
        # librosa.time_to_frames(ac_size): floor(ac_size * sr / hop_length)
        win_length = int(np.floor(np.floor(ac_size * sr) / hop_length))
        if win_length < 1:
            raise ParameterError(f"ac_size={ac_size!r} is shorter than one frame")
        tga = tempogram(y=y, sr=sr, onset_envelope=onset_envelope, hop_length=hop_length, win_length=win_length)
    else:
        tga = V.float_array("tg", tg, min_ndim=2)
        win_length = tga.shape[-2]
    if aggregate is not None:
        tga = aggregate(tga, axis=-1, keepdims=True)
    bpms = tempo_frequencies(win_length, hop_length=hop_length, sr=sr)
    with np.errstate(divide="ignore", invalid="ignore"):
        if prior is None:
            logprior = -0.5 * ((np.log2(bpms) - np.log2(start_bpm)) / std_bpm) ** 2
        else:
            logprior = np.asarray(prior.logpdf(bpms), dtype=np.float64)
    if max_tempo is not None:
        max_idx = int(np.argmax(bpms < max_tempo))
        logprior[:max_idx] = -np.inf
    logprior = logprior.reshape((-1, 1))
    best_period = np.argmax(np.log1p(1e6 * tga) + logprior, axis=-2)
    out: _Array = np.take(bpms, best_period)
    return out
