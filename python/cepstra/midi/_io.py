"""Reading and writing standard MIDI files through symusic (the ``midi`` extra)."""

from __future__ import annotations

import os
import struct
import tempfile
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..exceptions import MidiError, ParameterError
from ._notes import NOTE_DTYPE, PEDAL_DTYPE, as_notes, empty_notes
from ._sustain import apply_sustain

Array = npt.NDArray[Any]

# write(): 1000 ticks per quarter at 120 bpm = 2000 ticks per second, so times come back
# within 0.25 ms (half a tick).
WRITE_TPQ = 1000
WRITE_MSPQ = 500_000


def _symusic() -> Any:
    try:
        import symusic
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("cepstra.midi.read/write need symusic: pip install 'cepstra[midi]'") from exc
    return symusic


def _read_bytes(path: str | os.PathLike[str]) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise MidiError(f"MIDI file {os.fspath(path)!r} does not exist", path) from None
    except OSError as exc:
        raise MidiError(f"cannot read MIDI file {os.fspath(path)!r}: {exc.strerror or exc}", path) from exc


def _check_structure(data: bytes, path: str | os.PathLike[str]) -> None:
    """Header and chunk-length checks, for messages clearer than the parser's.

    symusic reads a file whose header promises more tracks than it holds as a shorter score;
    a truncated download must not silently lose its tracks, so the chunk table is walked here.
    """
    name = os.fspath(path)
    if len(data) == 0:
        raise MidiError(f"MIDI file {name!r} is empty", path)
    if len(data) < 14 or data[:4] != b"MThd":
        raise MidiError(f"{name!r} is not a standard MIDI file (no MThd header)", path)
    hdr_len, _fmt, ntrks, division = struct.unpack(">IHHH", data[4:14])
    if hdr_len < 6:
        raise MidiError(f"MIDI file {name!r} has a malformed header (length {hdr_len})", path)
    if division & 0x8000:
        raise MidiError(
            f"MIDI file {name!r} uses SMPTE time division, which is not supported (only ticks per quarter note)", path
        )
    if division == 0:
        raise MidiError(f"MIDI file {name!r} has a time division of 0 ticks per quarter note", path)
    pos, found = 8 + hdr_len, 0
    while pos + 8 <= len(data) and found < ntrks:
        cid, clen = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        if pos + 8 + clen > len(data):
            raise MidiError(
                f"MIDI file {name!r} is truncated: chunk {cid!r} at byte {pos} claims {clen} "
                f"bytes, {len(data) - pos - 8} remain",
                path,
            )
        found += cid == b"MTrk"
        pos += 8 + clen
    if found < ntrks:
        raise MidiError(
            f"MIDI file {name!r} is truncated: the header announces {ntrks} tracks, the file holds {found}", path
        )


def _tick_to_seconds(tpq: int, tempo_ticks: Array, tempo_mspq: Array) -> Any:
    """A function mapping tick arrays to seconds over the tempo map.

    Built the way pretty_midi (and so note_seq / MAESTRO tooling) builds its tick-to-time
    table: the same scale per segment, the same accumulation order, so the float64 times agree
    bit for bit. A tempo event at tick 0 replaces the default 120 bpm; a repeated tempo is
    not a new segment.
    """
    seg_tick = [0]
    seg_scale = [60.0 / (120.0 * tpq)]
    for tick, mspq in zip(tempo_ticks.tolist(), tempo_mspq.tolist()):
        scale = 60.0 / ((6e7 / mspq) * tpq)
        if tick == 0:
            seg_tick, seg_scale = [0], [scale]
        elif scale != seg_scale[-1]:
            seg_tick.append(tick)
            seg_scale.append(scale)
    seg_start = [0.0]
    for k in range(1, len(seg_tick)):
        seg_start.append(seg_start[-1] + seg_scale[k - 1] * float(seg_tick[k] - seg_tick[k - 1]))
    t0 = np.asarray(seg_tick, dtype=np.int64)
    sc = np.asarray(seg_scale)
    st = np.asarray(seg_start)

    def convert(ticks: Array) -> Array:
        ticks = np.asarray(ticks, dtype=np.int64)
        k = np.searchsorted(t0, ticks, side="right") - 1
        seconds: Array = st[k] + sc[k] * (ticks - t0[k]).astype(np.float64)
        return seconds

    return convert


class _Parsed(NamedTuple):
    notes: Array  # before the sustain rule, in symusic's order (track by track, by onset)
    on_tick: Array
    off_tick: Array
    pedals: Array  # PEDAL_DTYPE, file order within each track
    n_tracks: int
    zero_length: int


def _load(path: str | os.PathLike[str]) -> _Parsed:
    symusic = _symusic()
    data = _read_bytes(path)
    _check_structure(data, path)
    try:
        score = symusic.Score.from_midi(data)
    except Exception as exc:
        raise MidiError(f"MIDI file {os.fspath(path)!r} is corrupt: {exc}", path) from exc
    tempos = score.tempos.numpy()
    to_sec = _tick_to_seconds(int(score.ticks_per_quarter), tempos["time"], tempos["mspq"])

    parts: list[Array] = []
    pedal_parts: list[Array] = []
    tick_on: list[Array] = []
    tick_off: list[Array] = []
    zero_length = 0
    for ti, tr in enumerate(score.tracks):
        nt = tr.notes.numpy()
        # A note-off on its note-on's tick ends nothing in pretty_midi (so in note_seq and the
        # MAESTRO tooling): the note is dropped there, and here (counted).
        sounding = nt["duration"] > 0
        zero_length += int(np.count_nonzero(~sounding))
        part = empty_notes(int(np.count_nonzero(sounding)))
        start = nt["time"][sounding].astype(np.int64)
        stop = start + nt["duration"][sounding].astype(np.int64)
        part["onset"] = to_sec(start)
        part["offset"] = to_sec(stop)
        part["pitch"] = nt["pitch"][sounding]
        part["velocity"] = nt["velocity"][sounding]
        part["program"] = int(tr.program)
        part["is_drum"] = bool(tr.is_drum)
        part["track"] = ti
        parts.append(part)
        tick_on.append(start)
        tick_off.append(stop)
        cc = tr.controls.numpy()
        sel = cc["number"] == 64
        ped = np.zeros(int(np.count_nonzero(sel)), dtype=PEDAL_DTYPE)
        ped["time"] = to_sec(cc["time"][sel])
        ped["value"] = cc["value"][sel]
        ped["track"] = ti
        pedal_parts.append(ped)
    return _Parsed(
        notes=np.concatenate(parts) if parts else empty_notes(),
        on_tick=np.concatenate(tick_on) if tick_on else np.zeros(0, np.int64),
        off_tick=np.concatenate(tick_off) if tick_off else np.zeros(0, np.int64),
        pedals=np.concatenate(pedal_parts) if pedal_parts else np.zeros(0, dtype=PEDAL_DTYPE),
        n_tracks=len(score.tracks),
        zero_length=zero_length,
    )


def read_pedals(path: str | os.PathLike[str]) -> Array:
    """The sustain-pedal (CC64) events of a MIDI file.

    Returns
    -------
    pedals : np.ndarray, shape (n_events,), dtype :data:`PEDAL_DTYPE`
        ``time`` (float64 seconds, on :func:`read`'s time axis), ``value`` (0..127, >= 64 is
        down) and ``track`` (as in :func:`read`), in file order within each track. Pass them to
        ``piano_roll(..., convention="pretty_midi", pedals=...)`` to reproduce pretty_midi's
        pedal handling.

    Raises
    ------
    cepstra.MidiError
        As :func:`read`.
    """
    return _load(path).pedals


def read(path: str | os.PathLike[str], *, sustain: bool = True, return_stats: bool = False) -> Any:
    """Read the notes of a standard MIDI file.

    Parameters
    ----------
    path : str or path-like
        A standard MIDI file (format 0 or 1, ticks-per-quarter time division).
    sustain : bool
        Apply MAESTRO's sustain-pedal rule (as magenta note_seq's
        ``apply_sustain_control_changes``, per track): CC64 >= 64 holds a released note until
        the pedal is lifted; re-striking a held pitch ends the held note; a note re-struck at
        its own onset is removed.
    return_stats : bool
        Also return a dict of counts (see Returns).

    Returns
    -------
    notes : np.ndarray, shape (n_notes,), dtype :data:`NOTE_DTYPE`
        Fields ``onset``/``offset`` (float64 seconds, every tempo change resolved exactly as
        pretty_midi does), ``pitch``, ``velocity``, ``program`` (int32), ``is_drum`` (bool),
        ``track`` (int32: index of symusic's track, i.e. one per (MIDI track, channel)).
        Sorted by onset, then pitch, then track.
    stats : dict[str, int]
        Only with ``return_stats=True``: ``n_notes``, ``n_tracks``, ``zero_length`` (notes
        whose note-off shares the note-on's tick: dropped, as pretty_midi and so the MAESTRO
        tooling drop them),
        ``overlapping_same_pitch`` (notes starting while an earlier note of the same pitch and
        track still sounds in the file; kept, paired first-on first-off),
        ``sustain_extended``, ``sustain_shortened`` and ``sustain_removed``.

    Notes
    -----
    A note-off without a note-on is ignored; a note-on never turned off is dropped (as
    pretty_midi does). Where the same pitch is struck again before being released, symusic
    pairs note-ons and note-offs first-in first-out; pretty_midi instead ends every open note
    of that pitch at the first note-off. Tempo events are taken from every track (pretty_midi
    reads only the first).

    Raises
    ------
    cepstra.MidiError
        Missing, unreadable, empty, truncated or corrupt file, bytes that are not MIDI, or
        SMPTE time division. The message names the file.
    ImportError
        symusic is not installed (``pip install 'cepstra[midi]'``).
    """
    if not isinstance(sustain, (bool, np.bool_)):
        raise ParameterError(f"sustain={sustain!r} must be True or False")
    parsed = _load(path)
    notes = parsed.notes
    cc_times, cc_values, cc_track = parsed.pedals["time"], parsed.pedals["value"], parsed.pedals["track"]
    zero_length = parsed.zero_length
    score_tracks = parsed.n_tracks

    # symusic lists each track's notes by onset; order within equal onsets is file order,
    # which is the tie-break the sustain rule's stable sort uses.
    stats = {
        "n_notes": 0,
        "n_tracks": score_tracks,
        "zero_length": zero_length,
        "overlapping_same_pitch": _count_same_pitch_overlaps(notes, parsed.on_tick, parsed.off_tick),
        "sustain_extended": 0,
        "sustain_shortened": 0,
        "sustain_removed": 0,
    }
    if sustain and notes.size:
        end_time = float(max(notes["onset"].max(), notes["offset"].max(), cc_times.max() if cc_times.size else 0.0))
        new_off, keep = apply_sustain(
            notes["onset"], notes["offset"], notes["pitch"], notes["track"], cc_times, cc_values, cc_track, end_time
        )
        stats["sustain_extended"] = int(np.count_nonzero(keep & (new_off > notes["offset"])))
        stats["sustain_shortened"] = int(np.count_nonzero(keep & (new_off < notes["offset"])))
        stats["sustain_removed"] = int(np.count_nonzero(~keep))
        notes["offset"] = new_off
        notes = notes[keep]
    notes = notes[np.lexsort((notes["track"], notes["pitch"], notes["onset"]))]
    stats["n_notes"] = int(notes.size)
    return (notes, stats) if return_stats else notes


def _count_same_pitch_overlaps(notes: Array, on_tick: Array, off_tick: Array) -> int:
    """Notes starting while an earlier note of the same (track, pitch) still sounds (in ticks: exact)."""
    if notes.size < 2:
        return 0
    order = np.lexsort((on_tick, notes["pitch"], notes["track"]))
    trk, pitch = notes["track"][order], notes["pitch"][order]
    on, off = on_tick[order], off_tick[order]
    same = (trk[1:] == trk[:-1]) & (pitch[1:] == pitch[:-1])
    # Lifted by group so that one running maximum never carries a value across groups.
    gid = np.cumsum(np.concatenate(([True], ~same)))
    lift = gid * (int(off.max()) + 1)
    run = np.maximum.accumulate(off + lift) - lift
    return int(np.count_nonzero(same & (on[1:] < run[:-1])))


def write(notes: Any, path: str | os.PathLike[str]) -> None:
    """Write notes to a standard MIDI file (format 1, 1000 ticks per quarter, 120 bpm).

    Parameters
    ----------
    notes : np.ndarray of :data:`NOTE_DTYPE` (or any structured array with at least
        onset, offset, pitch, velocity)
        Velocities must be 1..127 (a MIDI note-on of velocity 0 is a note-off).
    path : str or path-like
        Destination; written to a temporary file beside it and renamed into place, so a
        failure never leaves a half-written file.

    Notes
    -----
    One MIDI track per distinct (track, program, is_drum), in order of first appearance;
    :func:`read` numbers them 0, 1, ... . Times are rounded to 0.5 ms ticks, so they read back
    within 0.25 ms. No pedal events are written: write notes read with ``sustain=True``
    to keep the sounding durations.
    """
    arr = as_notes(notes)
    vel = arr["velocity"]
    if np.any((vel < 1) | (vel > 127)):
        raise ParameterError(
            f"notes has velocity={int(vel[(vel < 1) | (vel > 127)][0])}; MIDI velocities must be 1..127"
        )
    prog = arr["program"]
    if np.any((prog < 0) | (prog > 127)):
        raise ParameterError(f"notes has program={int(prog[(prog < 0) | (prog > 127)][0])} outside 0..127")
    ticks_per_second = WRITE_TPQ * 1e6 / WRITE_MSPQ
    max_tick = float(arr["offset"].max()) * ticks_per_second if arr.size else 0.0
    if max_tick >= 2**31 - 1:
        raise ParameterError(f"notes end at {arr['offset'].max()!r} s, too late for a MIDI file")
    symusic = _symusic()
    score = symusic.Score(WRITE_TPQ)
    score.tempos.append(symusic.Tempo(time=0, qpm=6e7 / WRITE_MSPQ, ttype="tick"))
    on = np.round(arr["onset"] * ticks_per_second).astype(np.int32)
    off = np.round(arr["offset"] * ticks_per_second).astype(np.int32)
    keys = np.stack([arr["track"].astype(np.int64), prog.astype(np.int64), arr["is_drum"].astype(np.int64)], axis=1)
    uniq, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    for g in np.argsort(first):
        sel = np.flatnonzero(inverse == g)
        sel = sel[np.argsort(on[sel], kind="stable")]
        trk, prg, drum = (int(v) for v in uniq[g])
        track = symusic.Track(name=f"track {trk}", program=prg, is_drum=bool(drum), ttype="tick")
        track.notes = symusic.Note.from_numpy(
            time=on[sel],
            duration=(off[sel] - on[sel]).astype(np.int32),
            pitch=arr["pitch"][sel].astype(np.int8),
            velocity=vel[sel].astype(np.int8),
            ttype="tick",
        )
        score.tracks.append(track)
    data = score.dumps_midi()
    target = os.fspath(path)
    fd, tmp = tempfile.mkstemp(prefix=".cepstra-", suffix=".mid.tmp", dir=os.path.dirname(os.path.abspath(target)))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


__all__ = ["NOTE_DTYPE", "read", "write"]
