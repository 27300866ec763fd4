"""The note array: its dtype, and the checks every function taking notes shares."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..exceptions import ParameterError

#: dtype of the note arrays :func:`cepstra.midi.read` returns and the other functions take.
#: Integers are int32 (not uint8) so that ``pitch - 21`` and similar arithmetic cannot wrap.
NOTE_DTYPE = np.dtype(
    [
        ("onset", np.float64),
        ("offset", np.float64),
        ("pitch", np.int32),
        ("velocity", np.int32),
        ("program", np.int32),
        ("is_drum", np.bool_),
        ("track", np.int32),
    ]
)

#: dtype of :func:`cepstra.midi.read_pedals`: sustain-pedal (CC64) events.
PEDAL_DTYPE = np.dtype([("time", np.float64), ("value", np.int32), ("track", np.int32)])

_REQUIRED = ("onset", "offset", "pitch", "velocity")


def empty_notes(n: int = 0) -> npt.NDArray[Any]:
    """A zero-filled note array of length ``n``."""
    return np.zeros(n, dtype=NOTE_DTYPE)


def as_notes(notes: Any, name: str = "notes") -> npt.NDArray[Any]:
    """Returns ``notes`` as a 1-D array of :data:`NOTE_DTYPE` (a copy; the input is never modified).

    Accepts any structured array with at least the fields onset, offset, pitch and velocity;
    missing program/is_drum/track fields are zero. Raises ParameterError for anything else,
    and for non-finite or negative times, offsets before onsets and pitches outside 0..127.
    """
    arr = np.asarray(notes)
    if arr.dtype.names is None:
        raise TypeError(
            f"{name} must be a structured note array (see cepstra.midi.NOTE_DTYPE), not an array of dtype {arr.dtype}"
        )
    missing = [f for f in _REQUIRED if f not in arr.dtype.names]
    if missing:
        raise ParameterError(
            f"{name} lacks the field(s) {', '.join(missing)}; expected the fields of cepstra.midi.NOTE_DTYPE"
        )
    if arr.ndim != 1:
        raise ParameterError(f"{name} must be 1-D, got shape {arr.shape}")
    out = empty_notes(arr.shape[0])
    for field in NOTE_DTYPE.names or ():
        if field in arr.dtype.names:
            out[field] = arr[field]
    on, off = out["onset"], out["offset"]
    if not (np.all(np.isfinite(on)) and np.all(np.isfinite(off))):
        raise ParameterError(f"{name} has non-finite onset or offset times")
    if np.any(on < 0):
        raise ParameterError(f"{name} has negative onset times (first: {float(on[on < 0][0])!r})")
    if np.any(off < on):
        i = int(np.flatnonzero(off < on)[0])
        raise ParameterError(f"{name}[{i}] has offset={float(off[i])!r} before onset={float(on[i])!r}")
    pitch = out["pitch"]
    if np.any((pitch < 0) | (pitch > 127)):
        bad = pitch[(pitch < 0) | (pitch > 127)][0]
        raise ParameterError(f"{name} has pitch={int(bad)} outside the MIDI range 0..127")
    vel = out["velocity"]
    if np.any((vel < 0) | (vel > 127)):
        bad = vel[(vel < 0) | (vel > 127)][0]
        raise ParameterError(f"{name} has velocity={int(bad)} outside the MIDI range 0..127")
    return out
