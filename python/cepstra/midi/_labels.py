"""One MIDI file -> labels on an extractor's frame grid (what ``cepstra extract --labels midi`` calls)."""

from __future__ import annotations

import os
from typing import Any

from ._io import read
from ._roll import FrameGrid, PianoRoll, piano_roll


def labels_for(
    midi_path: str | os.PathLike[str],
    *,
    like: FrameGrid,
    n_samples: int,
    convention: str = "onsets_and_frames",
    sustain: bool = True,
    **roll_options: Any,
) -> PianoRoll:
    """Labels for the features ``like`` computes from ``n_samples`` samples of the paired audio.

    Parameters
    ----------
    midi_path : str or path-like
    like : extractor
        The extractor the features come from (its ``sr``, ``hop_length``, ``n_frames`` and
        ``frame_times``).
    n_samples : int
        Length of the audio, in samples at ``like.sr``.
    convention, sustain, **roll_options
        Passed to :func:`cepstra.midi.read` (``sustain``) and :func:`cepstra.midi.piano_roll`.

    Returns
    -------
    PianoRoll
        As :func:`piano_roll`; every array has exactly ``like.n_frames(n_samples)`` columns.
        ``stats`` also holds :func:`read`'s counts, prefixed ``read_``.

    Raises
    ------
    cepstra.MidiError
        The MIDI file is missing, unreadable or broken (the message names it).
    """
    notes, read_stats = read(midi_path, sustain=sustain, return_stats=True)
    roll = piano_roll(notes, like=like, n_samples=n_samples, convention=convention, **roll_options)
    expected = int(like.n_frames(n_samples))
    for key, arr in roll.items():
        if arr.shape[-1] != expected:  # the grid contract; a failure here is a cepstra bug
            raise RuntimeError(
                f"labels {key!r} of {os.fspath(midi_path)!r} have {arr.shape[-1]} frames, the features {expected}"
            )
    roll.stats.update({f"read_{k}": v for k, v in read_stats.items()})
    return roll
