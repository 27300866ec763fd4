"""Notes -> frame labels (piano rolls) on a feature extractor's frame grid."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from ..exceptions import ParameterError
from ._notes import as_notes

Array = npt.NDArray[Any]

CONVENTIONS = ("onsets_and_frames", "center", "pretty_midi")


class FrameGrid(Protocol):
    """What ``like=`` needs: any cepstra extractor (STFT, MelSpectrogram, MFCC, kaldi.Fbank, ...)."""

    @property
    def sr(self) -> float: ...

    @property
    def hop_length(self) -> int: ...

    def n_frames(self, n_samples: int) -> int: ...

    def frame_times(self, n_frames: int) -> Array: ...


class PianoRoll(dict[str, Array]):
    """The label arrays (a plain dict of ``(n_keys, n_frames)`` arrays) plus :attr:`stats`.

    ``stats`` (dict[str, int]) counts what did not fit: ``n_notes`` (input notes),
    ``labelled``, ``dropped_out_of_range`` (pitch outside ``[min_pitch, max_pitch]``),
    ``dropped_past_end`` (starting at or after the end of the grid), ``clipped_past_end``
    (labelled, but sounding past the end of the grid; their labels stop there) and
    ``dropped_drum`` (``convention="pretty_midi"`` only, which ignores drums as pretty_midi does).
    """

    stats: dict[str, int]


def hops_in(length_s: float, sr: float, hop: int) -> int:
    """onsets-and-frames' label width: ``(sr * ms // 1000) // hop``, in exact arithmetic.

    The reference computes the width in whole samples first (``SAMPLE_RATE * 32 // 1000``) and
    only then in hops; the decimal the user typed (0.032) is taken exactly so that 0.032 s at
    16 kHz is 512 samples, not 511.99999.
    """
    samples = math.floor(Fraction(repr(float(length_s))) * Fraction(float(sr)))
    return samples // hop


def _resolve_grid(
    sr: Any, hop_length: Any, n_frames: Any, like: FrameGrid | None, n_samples: Any, n_frames_optional: bool
) -> tuple[float, int, int | None, Any]:
    """(sr, hop, n_frames, centres-function) from either sr/hop_length/n_frames or like/n_samples."""
    if like is not None:
        if sr is not None or hop_length is not None or n_frames is not None:
            raise ParameterError("give either like= and n_samples=, or sr=, hop_length= and n_frames=, not both")
        if n_samples is None:
            raise ParameterError("like= needs n_samples= (the length of the signal the features come from)")
        for attr in ("sr", "hop_length", "n_frames", "frame_times"):
            if not hasattr(like, attr):
                raise TypeError(f"like={type(like).__name__} has no {attr!r}; pass a cepstra extractor")
        n = int(like.n_frames(n_samples))
        return float(like.sr), int(like.hop_length), n, like.frame_times
    if n_samples is not None:
        raise ParameterError("n_samples= goes with like=; with sr= and hop_length= give n_frames=")
    if sr is None or hop_length is None:
        raise ParameterError("piano_roll needs sr= and hop_length= (or like= and n_samples=)")
    sr_v = V.real_number("sr", sr, minimum=0.0, strict=True)
    hop = V.positive_int("hop_length", hop_length)
    if n_frames is None:
        if not n_frames_optional:
            raise ParameterError("n_frames= is required (or like= and n_samples=)")
        n_v = None
    else:
        n_v = V.non_negative_int("n_frames", n_frames)

    def centres(k: int) -> Array:
        # librosa's centred frames: frame k is centred on sample k * hop.
        return np.arange(k, dtype=np.float64) * hop / sr_v

    return sr_v, hop, n_v, centres


def _runs(start: Array, stop: Array) -> tuple[Array, Array]:
    """For half-open runs [start, stop) (empty when stop <= start): (run index, position) per cell."""
    length = np.maximum(stop - start, 0)
    total = int(length.sum())
    rep = np.repeat(np.arange(start.shape[0]), length)
    within = np.arange(total) - np.repeat(np.cumsum(length) - length, length)
    return rep, start[rep] + within


def piano_roll(
    notes: Any,
    *,
    sr: float | None = None,
    hop_length: int | None = None,
    n_frames: int | None = None,
    like: FrameGrid | None = None,
    n_samples: int | None = None,
    convention: str = "onsets_and_frames",
    min_pitch: int = 21,
    max_pitch: int = 108,
    onset_length: float = 0.032,
    offset_length: float = 0.032,
    pedals: Any = None,
) -> PianoRoll:
    """Frame labels for notes, on the frame grid of the features they go with.

    Give the grid either as ``sr``, ``hop_length`` and ``n_frames``, or as ``like`` (a cepstra
    extractor: STFT, MelSpectrogram, MFCC, kaldi.Fbank, kaldi.Mfcc) and ``n_samples`` (the
    signal length): then the frame count is ``like.n_frames(n_samples)``, the length of that
    extractor's output for that signal, always.

    Parameters
    ----------
    notes : np.ndarray of :data:`cepstra.midi.NOTE_DTYPE`
        As from :func:`cepstra.midi.read`. Not modified.
    sr, hop_length, n_frames : float, int, int
        The grid (frame ``k`` covers time ``k * hop_length / sr``).
    like : extractor, optional
        Instead of ``sr``/``hop_length``/``n_frames``.
    n_samples : int, optional
        With ``like``: the number of audio samples.
    convention : {"onsets_and_frames", "center", "pretty_midi"}
        * ``"onsets_and_frames"`` (the MAESTRO / Onsets and Frames labelling): with
          ``left = round(onset*sr/hop)``, ``right = min(n_frames, round(offset*sr/hop))`` and
          ``h_on = (sr*onset_length // 1) // hop`` (likewise ``h_off``), notes are painted in
          array order (a later note overwrites an earlier one, within a note the offset
          region overwrites the others): onset ``[left, left+h_on)``, sustained frames
          ``[left+h_on, right)``, offset ``[right, right+h_off)``, velocity ``[left, right)``.
          ``label`` holds that 3/2/1 painting; ``frame`` is ``label > 1`` (the reference's
          frame target, onset region included), ``onset`` is ``label == 3`` and ``offset``
          ``label == 1``.
        * ``"center"``: a frame sounds when its centre time (``like.frame_times``; without
          ``like``, librosa's centred frames ``k*hop/sr``) lies in ``[onset, offset)``, and the
          frame nearest the onset always sounds; onset = the ``max(1, h_on)`` frames from the
          frame nearest the onset, offset likewise from the offset. Notes combine by union
          (velocity: the loudest).
        * ``"pretty_midi"``: ``pretty_midi.PrettyMIDI.get_piano_roll(fs=sr/hop_length,
          pedal_threshold=None)`` rows ``min_pitch..max_pitch``, exactly (drums excluded, as
          there): ``velocity`` is the float64 sum of velocities over
          ``[int(onset*fs), int(offset*fs))``; ``frame = velocity > 0``; ``onset``/``offset``
          mark ``int(onset*fs)``/``int(offset*fs)``. ``n_frames`` may be omitted: then it is
          pretty_midi's own ``int(fs * end)`` per track, the widest. Read the file with
          ``sustain=False`` to compare with pretty_midi (it applies no sustain rule to notes).
          With ``pedals=read_pedals(path)`` it is the default ``get_piano_roll(fs=sr/hop_length)``
          (``pedal_threshold=64``): each track's roll takes its running maximum over every
          pedal-down span. Pitch bends are not applied, and other controllers after the last
          note do not widen the roll (give ``n_frames`` for such files).
    min_pitch, max_pitch : int
        MIDI pitch of the first and last row (default: the 88 piano keys, 21..108).
    onset_length, offset_length : float
        Seconds of onset and offset labels (0.032: the reference's 32 ms).
    pedals : np.ndarray of :data:`cepstra.midi.PEDAL_DTYPE`, optional
        ``convention="pretty_midi"`` only: CC64 events (:func:`cepstra.midi.read_pedals`).

    Returns
    -------
    PianoRoll (a dict) with arrays of shape ``(max_pitch - min_pitch + 1, n_frames)``:
    ``frame``, ``onset``, ``offset`` (bool), ``velocity`` (uint8 MIDI velocity, 0 where no
    note; float64 sums for ``"pretty_midi"``) and, for ``"onsets_and_frames"``, ``label``
    (uint8: 3 onset, 2 frame, 1 offset, 0 silence). ``.stats`` counts dropped and clipped
    notes (see :class:`PianoRoll`).
    """
    conv = V.choice("convention", convention, CONVENTIONS)
    lo = V.non_negative_int("min_pitch", min_pitch)
    hi = V.non_negative_int("max_pitch", max_pitch)
    if hi > 127 or lo > hi:
        raise ParameterError(
            f"min_pitch={min_pitch!r}, max_pitch={max_pitch!r} must satisfy 0 <= min_pitch <= max_pitch <= 127"
        )
    on_len = V.real_number("onset_length", onset_length, minimum=0.0)
    off_len = V.real_number("offset_length", offset_length, minimum=0.0)
    arr = as_notes(notes)
    if arr.size >= 1 << 28:
        raise ParameterError(f"notes has {arr.size} notes; at most {(1 << 28) - 1} per call")
    sr_v, hop, n, centres = _resolve_grid(
        sr, hop_length, n_frames, like, n_samples, n_frames_optional=conv == "pretty_midi"
    )
    keys = hi - lo + 1
    stats = {
        "n_notes": int(arr.size),
        "labelled": 0,
        "dropped_out_of_range": 0,
        "dropped_past_end": 0,
        "clipped_past_end": 0,
        "dropped_drum": 0,
    }
    in_range = (arr["pitch"] >= lo) & (arr["pitch"] <= hi)
    stats["dropped_out_of_range"] = int(np.count_nonzero(~in_range))
    if conv == "pretty_midi":
        drum = arr["is_drum"]
        stats["dropped_drum"] = int(np.count_nonzero(drum & in_range))
        ped = _as_pedals(pedals)
        if n is None:
            n = _pretty_midi_width(arr, ped, sr_v / hop)
        V.output_size("n_frames", n, keys, n, itemsize=8)
        out = _pretty_midi(arr[in_range & ~drum], ped, sr_v / hop, lo, keys, n, stats)
    else:
        if pedals is not None:
            raise ParameterError(
                f"pedals= goes with convention='pretty_midi', not {conv!r} (read() applies "
                "the sustain rule to the notes themselves)"
            )
        assert n is not None
        V.output_size("n_frames", n, keys, n, itemsize=12)
        sel = arr[in_range]
        if conv == "onsets_and_frames":
            out = _onsets_and_frames(
                sel, sr_v, hop, lo, keys, n, hops_in(on_len, sr_v, hop), hops_in(off_len, sr_v, hop), stats
            )
        else:
            out = _center(
                sel,
                np.asarray(centres(n), dtype=np.float64),
                sr_v,
                hop,
                lo,
                keys,
                n,
                max(1, hops_in(on_len, sr_v, hop)),
                max(1, hops_in(off_len, sr_v, hop)),
                stats,
            )
    roll = PianoRoll(out)
    roll.stats = stats
    return roll


def _onsets_and_frames(
    notes: Array, sr: float, hop: int, lo: int, keys: int, n: int, h_on: int, h_off: int, stats: dict[str, int]
) -> dict[str, Array]:
    m = notes.size
    # The reference's expression, operand order included: round(onset * SAMPLE_RATE / HOP_LENGTH),
    # with Python's (and numpy's) round-half-to-even.
    left = np.round(notes["onset"] * sr / hop).astype(np.int64)
    raw_right = np.round(notes["offset"] * sr / hop).astype(np.int64)
    right = np.minimum(n, raw_right)
    onset_right = np.minimum(n, left + h_on)
    offset_right = np.minimum(n, right + h_off)
    past = left >= n
    stats["dropped_past_end"] = int(np.count_nonzero(past))
    stats["clipped_past_end"] = int(np.count_nonzero(~past & (raw_right + h_off > n)))
    stats["labelled"] = int(m - np.count_nonzero(past))
    row = (notes["pitch"] - lo).astype(np.int64)

    starts = np.concatenate([left, onset_right, right])
    stops = np.concatenate([onset_right, right, offset_right])
    note_of = np.tile(np.arange(m, dtype=np.int64), 3)
    step = np.repeat(np.arange(1, 4, dtype=np.int64), m)
    # Painting in order = per cell, the highest (note index, step) that covers it wins; found by
    # sorting the touched cells only (full-grid scratch arrays cost more than all the painting).
    rep, t = _runs(starts, stops)
    cells, win = _last_per_cell(row[note_of[rep]] * n + t, note_of[rep] * 4 + step[rep], 4 * m)
    label = np.zeros(keys * n, dtype=np.uint8)
    label[cells] = 4 - (win % 4)  # step 1 (onset) -> 3, 2 (frame) -> 2, 3 (offset) -> 1

    vrep, vt = _runs(left, right)
    vcells, vwin = _last_per_cell(row[vrep] * n + vt, vrep, m)
    velocity = np.zeros(keys * n, dtype=np.uint8)
    velocity[vcells] = notes["velocity"][vwin].astype(np.uint8)

    grid = label.reshape(keys, n)
    return {
        "frame": grid > 1,
        "onset": grid == 3,
        "offset": grid == 1,
        "velocity": velocity.reshape(keys, n),
        "label": grid,
    }


def _last_per_cell(cells: Array, key: Array, n_keys: int) -> tuple[Array, Array]:
    """For each distinct cell, the largest key written to it (keys in [0, n_keys))."""
    if cells.size == 0:
        return cells, key
    combined = np.sort(cells.astype(np.int64) * n_keys + key)
    last = np.ones(combined.size, dtype=bool)
    cell_of = combined // n_keys
    last[:-1] = cell_of[1:] != cell_of[:-1]
    return cell_of[last], combined[last] % n_keys


def _nearest(c: Array, t: Array) -> Array:
    """Index of the centre nearest each time (ties: the earlier frame)."""
    j = np.searchsorted(c, t, side="left")
    jm = np.clip(j - 1, 0, c.size - 1)
    jp = np.clip(j, 0, c.size - 1)
    return np.where((j > 0) & ((j >= c.size) | (t - c[jm] <= c[jp] - t)), jm, jp)


def _center(
    notes: Array,
    c: Array,
    sr: float,
    hop: int,
    lo: int,
    keys: int,
    n: int,
    h_on: int,
    h_off: int,
    stats: dict[str, int],
) -> dict[str, Array]:
    frame = np.zeros(keys * n, dtype=bool)
    onset = np.zeros(keys * n, dtype=bool)
    offset = np.zeros(keys * n, dtype=bool)
    velocity = np.zeros(keys * n, dtype=np.uint8)
    shape = (keys, n)
    if n == 0:
        stats["dropped_past_end"] = int(notes.size)
        return {
            "frame": frame.reshape(shape),
            "onset": onset.reshape(shape),
            "offset": offset.reshape(shape),
            "velocity": velocity.reshape(shape),
        }
    end = c[-1] + hop / (2.0 * sr)  # the last frame's share of the time axis ends half a hop on
    past = notes["onset"] >= end
    stats["dropped_past_end"] = int(np.count_nonzero(past))
    notes = notes[~past]
    stats["labelled"] = int(notes.size)
    stats["clipped_past_end"] = int(np.count_nonzero(notes["offset"] > end))
    row = (notes["pitch"] - lo).astype(np.int64)
    i_on = _nearest(c, notes["onset"])
    f_stop = np.maximum(np.searchsorted(c, notes["offset"], side="left"), i_on + 1)
    rep, t = _runs(i_on, f_stop)
    flat = row[rep] * n + t
    frame[flat] = True
    np.maximum.at(velocity, flat, notes["velocity"][rep].astype(np.uint8))
    rep, t = _runs(i_on, np.minimum(n, i_on + h_on))
    onset[row[rep] * n + t] = True
    has_off = notes["offset"] < end
    i_off = _nearest(c, notes["offset"])
    rep, t = _runs(i_off, np.where(has_off, np.minimum(n, i_off + h_off), i_off))
    offset[row[rep] * n + t] = True
    return {
        "frame": frame.reshape(shape),
        "onset": onset.reshape(shape),
        "offset": offset.reshape(shape),
        "velocity": velocity.reshape(shape),
    }


def _as_pedals(pedals: Any) -> Array | None:
    if pedals is None:
        return None
    arr = np.asarray(pedals)
    if arr.dtype.names is None or any(f not in arr.dtype.names for f in ("time", "value", "track")) or arr.ndim != 1:
        raise ParameterError("pedals must be a 1-D array with fields time, value, track (cepstra.midi.read_pedals)")
    if not np.all(np.isfinite(arr["time"])) or np.any(arr["time"] < 0):
        raise ParameterError("pedals has negative or non-finite times")
    return arr


def _pretty_midi_width(notes: Array, pedals: Array | None, fs: float) -> int:
    """pretty_midi's default width: the widest track's ``int(fs * end)``, end = its last note
    end or controller event (tracks without notes give no roll)."""
    if notes.size == 0:
        return 0
    tracks, inv = np.unique(notes["track"], return_inverse=True)
    ends = np.full(tracks.size, -np.inf)
    np.maximum.at(ends, inv.reshape(-1), notes["offset"])
    if pedals is not None and pedals.size:
        k = np.searchsorted(tracks, pedals["track"])
        has = (k < tracks.size) & (tracks[np.minimum(k, tracks.size - 1)] == pedals["track"])
        np.maximum.at(ends, k[has], pedals["time"][has])
    return int(max(int(fs * e) for e in ends.tolist()))


def _pretty_midi(
    notes: Array, pedals: Array | None, fs: float, lo: int, keys: int, n: int, stats: dict[str, int]
) -> dict[str, Array]:
    a = (notes["onset"] * fs).astype(np.int64)
    b_raw = (notes["offset"] * fs).astype(np.int64)
    b = np.minimum(b_raw, n)
    past = a >= n
    stats["dropped_past_end"] = int(np.count_nonzero(past))
    stats["clipped_past_end"] = int(np.count_nonzero(~past & (b_raw > n)))
    stats["labelled"] = int(notes.size - np.count_nonzero(past))
    row = (notes["pitch"] - lo).astype(np.int64)
    rep, t = _runs(a, b)
    flat = row[rep] * n + t
    weights = notes["velocity"][rep].astype(np.float64)
    # Sums of integer velocities are exact in float64 whatever the order, as pretty_midi's += is.
    velocity: Array
    if pedals is None or pedals.size == 0:
        velocity = np.bincount(flat, weights=weights, minlength=keys * n).reshape(keys, n)
    else:
        # The pedal acts on each track's roll before the tracks are summed.
        velocity = np.zeros((keys, n))
        track_of = notes["track"][rep]
        for trk in np.unique(notes["track"]):
            sel = track_of == trk
            roll = np.bincount(flat[sel], weights=weights[sel], minlength=keys * n).reshape(keys, n)
            _pretty_midi_pedal(roll, pedals[pedals["track"] == trk], fs)
            velocity += roll
    onset = np.zeros(keys * n, dtype=bool)
    offset = np.zeros(keys * n, dtype=bool)
    ok = a < n
    onset[row[ok] * n + a[ok]] = True
    ok = b_raw < n
    offset[row[ok] * n + b_raw[ok]] = True
    return {
        "frame": velocity > 0,
        "onset": onset.reshape(keys, n),
        "offset": offset.reshape(keys, n),
        "velocity": velocity,
    }


def _pretty_midi_pedal(roll: Array, pedals: Array, fs: float) -> None:
    """pretty_midi's pedal: over each down..up span (frames int(t*fs)), the running maximum."""
    down, since = False, 0
    for t, value in zip(pedals["time"].tolist(), pedals["value"].tolist()):
        now = int(t * fs)
        if not down and value >= 64:
            down, since = True, now
        elif down and value < 64:
            if now > since:
                roll[:, since:now] = np.maximum.accumulate(roll[:, since:now], axis=1)
            down = False
