"""Frame rolls -> notes, by onsets-and-frames' decoding rule."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from ..exceptions import ParameterError
from ._notes import empty_notes

Array = npt.NDArray[Any]


def _roll(name: str, x: Any) -> Array:
    arr = np.asarray(x)
    if arr.ndim != 2:
        raise ParameterError(f"{name} must be 2-D (n_keys, n_frames), got shape {arr.shape}")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric or bool array, got dtype={arr.dtype}")
    return arr


def notes_from_roll(
    onset: Any,
    frame: Any,
    velocity: Any,
    *,
    sr: float,
    hop_length: int,
    onset_threshold: float = 0.5,
    frame_threshold: float = 0.5,
    min_pitch: int = 21,
    velocity_scale: float = 1.0,
) -> Array:
    """Notes from (predicted) onset / frame / velocity rolls, as Onsets and Frames decodes them.

    A note starts on each frame where the onset roll crosses ``onset_threshold`` upwards (or
    starts above it at frame 0), and lasts while the onset or the frame roll stays above its
    threshold (``> threshold``); its velocity is the mean of the velocity roll over the onset
    frames it spans. Times are ``frame * hop_length / sr``.

    Parameters
    ----------
    onset, frame, velocity : array, shape (n_keys, n_frames)
        Probabilities or 0/1 labels (bool, int or float); velocity in MIDI units, or in
        [0, 1] with ``velocity_scale=127``. Row ``k`` is pitch ``min_pitch + k``.
    sr, hop_length : float, int
        The frame grid.
    onset_threshold, frame_threshold : float
    min_pitch : int
        Pitch of row 0 (21, A0, for the 88 piano keys).
    velocity_scale : float
        Multiplies the mean velocity before it is rounded and clipped to 1..127.

    Returns
    -------
    notes : np.ndarray of :data:`cepstra.midi.NOTE_DTYPE`, sorted by onset then pitch
        (program 0, not drums, track 0).
    """
    on_p = _roll("onset", onset)
    fr_p = _roll("frame", frame)
    vel = _roll("velocity", velocity)
    if fr_p.shape != on_p.shape or vel.shape != on_p.shape:
        raise ParameterError(f"onset {on_p.shape}, frame {fr_p.shape} and velocity {vel.shape} must have one shape")
    sr_v = V.real_number("sr", sr, minimum=0.0, strict=True)
    hop = V.positive_int("hop_length", hop_length)
    lo = V.non_negative_int("min_pitch", min_pitch)
    if lo + on_p.shape[0] > 128:
        raise ParameterError(f"min_pitch={min_pitch!r} with {on_p.shape[0]} rows goes past MIDI pitch 127")
    on_t = V.real_number("onset_threshold", onset_threshold)
    fr_t = V.real_number("frame_threshold", frame_threshold)
    scale = V.real_number("velocity_scale", velocity_scale, minimum=0.0)
    on = on_p > on_t
    active = on | (fr_p > fr_t)
    keys, n = on.shape
    start = on.copy()
    start[:, 1:] &= ~on[:, :-1]
    rows, t0 = np.nonzero(start)
    # End of each active run: the first inactive frame at or after t (n when none).
    idx = np.where(active, n, np.arange(n)[None, :])
    next_off = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
    t1 = next_off[rows, t0]
    # Mean velocity over the onset frames of [t0, t1), by cumulative sums along time.
    v_on = np.where(on, vel.astype(np.float64), 0.0)
    csum = np.concatenate([np.zeros((keys, 1)), np.cumsum(v_on, axis=1)], axis=1)
    ccnt = np.concatenate([np.zeros((keys, 1), dtype=np.int64), np.cumsum(on, axis=1)], axis=1)
    mean = (csum[rows, t1] - csum[rows, t0]) / (ccnt[rows, t1] - ccnt[rows, t0])
    order = np.lexsort((rows, t0))
    rows, t0, t1, mean = rows[order], t0[order], t1[order], mean[order]
    notes = empty_notes(rows.size)
    step = hop / sr_v
    notes["onset"] = t0 * step
    notes["offset"] = t1 * step
    notes["pitch"] = rows + lo
    notes["velocity"] = np.clip(np.round(mean * scale), 1, 127).astype(np.int32)
    return notes
