"""MAESTRO's sustain-pedal rule (magenta note_seq ``apply_sustain_control_changes``), vectorised.

The reference walks one time-sorted event list (at equal times: pedal-down events, then
pedal-up events, then note-ons, then note-offs; ties otherwise keep note order), per
instrument (here: per track). Its outcome, note by note:

* pedal state at time t = state after every CC64 event at times <= t (value >= 64 is down; at
  one instant the ups are processed after the downs, so any up at t leaves the pedal up);
* a note whose note-off finds the pedal up ends at its note-off; one whose note-off finds it
  down ends at the next instant with a pedal-up event (or, with none, at the time of the last
  event of the whole file);
* a later note of the same pitch on the same track whose onset finds the pedal down ends the
  earlier note at that onset, if the earlier one is still sounding (a re-strike); a note thereby
  shortened to zero length (re-struck at its own onset) is removed.

Each note's end depends only on the pedal and on the next same-pitch onset, so the whole rule
is a handful of sorted searches instead of a Python loop over events.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]


def _pedal_down_at(cc_times: Array, cc_down: Array, t: Array) -> Array:
    """Pedal state (True = down) after all CC64 events at times <= t, for each t."""
    if cc_times.size == 0:
        return np.zeros(t.shape, dtype=bool)
    uniq, first = np.unique(cc_times, return_index=True)
    # An instant with any pedal-up event ends up: the reference handles ups after downs.
    any_up = np.logical_or.reduceat(~cc_down, first)
    state = ~any_up
    j = np.searchsorted(uniq, t, side="right") - 1
    return np.where(j >= 0, state[np.maximum(j, 0)], False)


def apply_sustain(
    onset: Array,
    offset: Array,
    pitch: Array,
    track: Array,
    cc_times: Array,
    cc_values: Array,
    cc_track: Array,
    end_time: float,
) -> tuple[Array, Array]:
    """New offsets under the sustain rule, and a keep-mask (False for removed notes).

    ``onset``/``offset``/``pitch``/``track`` describe the notes in their listed order (which
    breaks ties as the reference's stable sort does). ``cc_*`` are the CC64 events, in file
    order per track. ``end_time`` is the time of the last note or CC64 event of the file.
    """
    n = onset.shape[0]
    new_off = offset.copy()
    keep = np.ones(n, dtype=bool)
    if n == 0:
        return new_off, keep
    down_at_on = np.zeros(n, dtype=bool)
    for trk in np.unique(track):
        sel = np.flatnonzero(track == trk)
        csel = cc_track == trk
        times = cc_times[csel]
        order = np.argsort(times, kind="stable")
        times, down = times[order], cc_values[csel][order] >= 64
        down_at_on[sel] = _pedal_down_at(times, down, onset[sel])
        down_at_off = _pedal_down_at(times, down, offset[sel])
        up_times = np.unique(times[~down])
        # Held past the note-off: the next instant (strictly later) with a pedal-up event.
        k = np.searchsorted(up_times, offset[sel], side="right")
        if up_times.size:
            release = np.where(k < up_times.size, up_times[np.minimum(k, up_times.size - 1)], end_time)
        else:
            release = np.full(sel.size, end_time)
        new_off[sel] = np.where(down_at_off, release, offset[sel])
    # Re-strikes: for each note, the next note of its (track, pitch) in (onset, list order)
    # whose onset finds the pedal down.
    idx = np.arange(n)
    order = np.lexsort((idx, onset, pitch, track))
    cand = down_at_on[order]
    big = np.iinfo(np.int64).max
    pos = np.where(cand, np.arange(n, dtype=np.int64), big)
    nxt_incl = np.minimum.accumulate(pos[::-1])[::-1]
    nxt = np.empty(n, dtype=np.int64)
    nxt[:-1] = nxt_incl[1:]
    nxt[-1] = big
    has = nxt != big
    safe = np.where(has, nxt, 0)
    same_group = has & (track[order][safe] == track[order]) & (pitch[order][safe] == pitch[order])
    restrike_t = np.where(same_group, onset[order][safe], np.inf)
    # The re-strike cuts the note only while it still sounds, i.e. before its (sustained) end;
    # a pedal-up and a note-on at one instant: the pedal-up comes first, so strict <.
    ends = new_off[order]
    cut = restrike_t < ends
    ends = np.where(cut, restrike_t, ends)
    new_off[order] = ends
    keep[order[cut & (ends == onset[order])]] = False
    return new_off, keep
