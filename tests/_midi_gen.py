"""Synthetic MIDI performances for the cepstra.midi tests and benchmark (written with mido)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np


def performance(
    path: str | os.PathLike[str],
    *,
    seconds: float = 30.0,
    notes_per_second: float = 16.0,
    seed: int = 0,
    pedal: bool = True,
    tempo_changes: int = 0,
    tpq: int = 384,
    overlap_same_pitch: bool = False,
    channels: int = 1,
) -> None:
    """A random piano performance: notes on 21..108, a CC64 pedal stream, optional tempo changes.

    Same-pitch notes never overlap in the file unless ``overlap_same_pitch`` (MIDI readers pair
    overlapping note-ons differently, which is not what the label tests are about).
    """
    import mido

    rng = np.random.default_rng(seed)
    total_ticks = int(seconds * 2 * tpq)  # at the default 120 bpm
    n = int(seconds * notes_per_second)
    events: list[tuple[int, int, Any]] = []  # (tick, priority, message)
    next_free = np.zeros(128, dtype=np.int64)
    for _ in range(n):
        pitch = int(rng.integers(21, 109))
        start = int(rng.integers(0, total_ticks))
        if not overlap_same_pitch:
            start = max(start, int(next_free[pitch]))
        dur = int(rng.integers(0, tpq)) if rng.random() < 0.9 else 0
        end = start + dur
        next_free[pitch] = end + 1 if dur == 0 else end
        ch = int(rng.integers(0, channels))
        vel = int(rng.integers(1, 128))
        events.append((start, 1, mido.Message("note_on", note=pitch, velocity=vel, channel=ch)))
        # At one tick: earlier notes' note-offs, then note-ons, then a zero-length note's note-off.
        events.append((end, 0 if dur else 2, mido.Message("note_off", note=pitch, velocity=0, channel=ch)))
    if pedal:
        t = 0
        while t < total_ticks:
            t += int(rng.integers(1, tpq // 2))
            for ch in range(channels):
                events.append(
                    (t, 3, mido.Message("control_change", control=64, value=int(rng.integers(0, 128)), channel=ch))
                )
    tempo_at = sorted(int(x) for x in rng.integers(1, total_ticks, size=tempo_changes))
    for tick in tempo_at:
        events.append((tick, -1, mido.MetaMessage("set_tempo", tempo=int(rng.integers(300_000, 900_000)))))
    events.sort(key=lambda e: (e[0], e[1]))
    mid = mido.MidiFile(ticks_per_beat=tpq)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=500_000, time=0))
    last = 0
    for tick, _, msg in events:
        track.append(msg.copy(time=tick - last))
        last = tick
    mid.save(os.fspath(path))


def from_messages(path: str | os.PathLike[str], messages: list[tuple[int, Any]], *, tpq: int = 480) -> None:
    """A one-track file from (absolute tick, mido message) pairs."""
    import mido

    mid = mido.MidiFile(ticks_per_beat=tpq)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    last = 0
    for tick, msg in sorted(messages, key=lambda e: e[0]):
        track.append(msg.copy(time=tick - last))
        last = tick
    mid.save(os.fspath(path))
