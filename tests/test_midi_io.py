"""cepstra.midi.read / write: notes, tempo map, MAESTRO's sustain rule, and bad files."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import cepstra
from _midi_gen import from_messages, performance
from cepstra import midi

pytest.importorskip("symusic")
mido = pytest.importorskip("mido")
pretty_midi = pytest.importorskip("pretty_midi")


def on(tick, pitch, vel=80, ch=0):
    return tick, mido.Message("note_on", note=pitch, velocity=vel, channel=ch)


def off(tick, pitch, ch=0):
    return tick, mido.Message("note_off", note=pitch, velocity=0, channel=ch)


def pedal(tick, value, ch=0):
    return tick, mido.Message("control_change", control=64, value=value, channel=ch)


def tempo(tick, us_per_quarter):
    return tick, mido.MetaMessage("set_tempo", tempo=us_per_quarter)


def reference_sustain(notes, ccs):
    """The MAESTRO / note_seq sustain rule as an event loop, one instrument.

    notes: list of [start, end, pitch] (list order breaks ties); ccs: list of (time, value).
    Events sorted by (time, kind): pedal down 0, pedal up 1, note-on 2, note-off 3.
    """
    events = [(n[0], 2, i) for i, n in enumerate(notes)] + [(n[1], 3, i) for i, n in enumerate(notes)]
    events += [(t, 0 if v >= 64 else 1, None) for t, v in ccs]
    events.sort(key=lambda e: (e[0], e[1]))
    ends = [n[1] for n in notes]
    removed = set()
    active: list[int] = []
    down = False
    time = 0.0
    for time, kind, i in events:
        if kind == 0:
            down = True
        elif kind == 1:
            down = False
            still = []
            for j in active:
                if ends[j] < time:
                    ends[j] = time
                else:
                    still.append(j)
            active = still
        elif kind == 2:
            if down:
                still = []
                for j in active:
                    if notes[j][2] == notes[i][2]:
                        ends[j] = time
                        if notes[j][0] == time:
                            removed.add(j)
                    else:
                        still.append(j)
                active = still
            active.append(i)
        elif not down and i in active:
            active.remove(i)
    for j in active:
        ends[j] = time
    return sorted((notes[j][0], notes[j][2], ends[j]) for j in range(len(notes)) if j not in removed)


def as_tuples(notes):
    return sorted(zip(notes["onset"].tolist(), notes["pitch"].tolist(), notes["offset"].tolist()))


# ---------------------------------------------------------------- notes and times


def test_read_fields_sorted_and_typed(tmp_path):
    p = tmp_path / "a.mid"
    from_messages(p, [on(480, 62), off(960, 62), on(0, 60, 100), off(240, 60), on(0, 64, 1, ch=9), off(120, 64, ch=9)])
    n = midi.read(p)
    assert n.dtype == midi.NOTE_DTYPE
    assert n["onset"].tolist() == [0.0, 0.0, 0.5]
    assert n["pitch"].tolist() == [60, 64, 62]
    assert n["offset"].tolist() == [0.25, 0.125, 1.0]
    assert n["velocity"].tolist() == [100, 1, 80]
    assert n["is_drum"].tolist() == [False, True, False]


def test_tempo_changes_match_pretty_midi_bit_for_bit(tmp_path):
    for seed in range(6):
        p = tmp_path / f"t{seed}.mid"
        performance(p, seconds=15, seed=seed, tempo_changes=3 + seed, pedal=False)
        pm = pretty_midi.PrettyMIDI(str(p))
        ref = sorted((x.start, x.pitch, x.end) for ins in pm.instruments for x in ins.notes)
        assert as_tuples(midi.read(p, sustain=False)) == ref  # exact float64 equality


def test_tempo_change_mid_note(tmp_path):
    # 480 tpq: 120 bpm for one quarter (0.5 s), then 60 bpm: the note spans both tempi.
    p = tmp_path / "mid.mid"
    from_messages(p, [tempo(0, 500_000), on(0, 60), tempo(480, 1_000_000), off(960, 60)])
    n = midi.read(p)
    assert n["onset"].tolist() == [0.0] and n["offset"].tolist() == [1.5]


def test_write_read_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    notes = np.zeros(500, dtype=midi.NOTE_DTYPE)
    notes["onset"] = np.sort(rng.uniform(0, 100, 500))
    notes["offset"] = notes["onset"] + rng.uniform(0.01, 2, 500)
    notes["pitch"] = rng.integers(0, 128, 500)
    notes["velocity"] = rng.integers(1, 128, 500)
    notes["program"] = np.where(np.arange(500) < 300, 0, 41)
    notes["track"] = np.where(np.arange(500) < 300, 0, 1)
    # MIDI cannot say which of two overlapping same-pitch notes a note-off ends: keep each
    # (track, pitch) free of overlaps here (see the next test for what happens otherwise).
    o = np.lexsort((notes["onset"], notes["pitch"], notes["track"]))
    s = notes[o]
    same = (s["track"][1:] == s["track"][:-1]) & (s["pitch"][1:] == s["pitch"][:-1])
    s["offset"][:-1] = np.where(same, np.minimum(s["offset"][:-1], s["onset"][1:]), s["offset"][:-1])
    notes[o] = s
    notes = notes[notes["offset"] - notes["onset"] > 0.001]
    before = notes.copy()
    p = tmp_path / "w.mid"
    midi.write(notes, p)
    assert np.array_equal(notes, before)  # input untouched
    back = midi.read(p, sustain=False)
    assert back.size == notes.size
    order = np.lexsort((notes["track"], notes["pitch"], notes["onset"]))
    ref = notes[order]
    assert np.max(np.abs(back["onset"] - ref["onset"])) <= 0.00025 + 1e-12
    assert np.max(np.abs(back["offset"] - ref["offset"])) <= 0.00025 + 1e-12
    for f in ("pitch", "velocity", "program", "track"):
        assert back[f].tolist() == ref[f].tolist()


def test_overlapping_same_pitch_notes_read_back_first_in_first_out(tmp_path):
    notes = np.zeros(2, dtype=midi.NOTE_DTYPE)
    notes["onset"], notes["offset"], notes["pitch"], notes["velocity"] = [0.0, 0.5], [2.0, 1.0], 60, 50
    midi.write(notes, tmp_path / "o.mid")
    assert as_tuples(midi.read(tmp_path / "o.mid", sustain=False)) == [(0.0, 60, 1.0), (0.5, 60, 2.0)]


def test_write_refuses_velocity_zero_and_leaves_no_file(tmp_path):
    notes = np.zeros(1, dtype=midi.NOTE_DTYPE)
    notes["offset"], notes["pitch"], notes["velocity"] = 1.0, 60, 0
    with pytest.raises(cepstra.ParameterError, match="velocity=0"):
        midi.write(notes, tmp_path / "v.mid")
    assert os.listdir(tmp_path) == []


def test_write_refuses_offset_before_onset():
    notes = np.zeros(1, dtype=midi.NOTE_DTYPE)
    notes["onset"], notes["offset"], notes["pitch"], notes["velocity"] = 2.0, 1.0, 60, 10
    with pytest.raises(cepstra.ParameterError, match="offset=1.0 before onset=2.0"):
        midi.write(notes, "unused.mid")


def test_write_failure_leaves_no_partial_file(tmp_path, monkeypatch):
    notes = np.zeros(1, dtype=midi.NOTE_DTYPE)
    notes["offset"], notes["pitch"], notes["velocity"] = 1.0, 60, 10
    real_replace = os.replace

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space left"):
        midi.write(notes, tmp_path / "full.mid")
    monkeypatch.setattr(os, "replace", real_replace)
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- sustain


def test_sustain_holds_until_release(tmp_path):
    p = tmp_path / "s.mid"
    # pedal down at 0.25 s; note 0..0.5 s released under pedal; pedal up at 1.0 s.
    from_messages(p, [pedal(240, 100), on(0, 60), off(480, 60), pedal(960, 0), on(1440, 62), off(1920, 62)])
    n, stats = midi.read(p, return_stats=True)
    assert as_tuples(n) == [(0.0, 60, 1.0), (1.5, 62, 2.0)]
    assert stats["sustain_extended"] == 1
    assert as_tuples(midi.read(p, sustain=False)) == [(0.0, 60, 0.5), (1.5, 62, 2.0)]


def test_sustain_restrike_ends_held_note_and_threshold_is_64(tmp_path):
    p = tmp_path / "r.mid"
    from_messages(p, [pedal(0, 64), on(0, 60), off(240, 60), on(480, 60), off(600, 60), pedal(960, 63)])
    assert as_tuples(midi.read(p)) == [(0.0, 60, 0.5), (0.5, 60, 1.0)]


def test_sustain_never_released_lasts_to_last_event(tmp_path):
    p = tmp_path / "n.mid"
    from_messages(p, [pedal(0, 127), on(0, 60), off(240, 60), on(480, 62), off(1440, 62)])
    assert as_tuples(midi.read(p)) == [(0.0, 60, 1.5), (0.5, 62, 1.5)]


def test_sustain_matches_event_loop_reference(tmp_path):
    for seed in range(8):
        p = tmp_path / f"p{seed}.mid"
        performance(p, seconds=20, seed=seed, tempo_changes=seed % 3)
        raw = midi.read(p, sustain=False)
        pm = pretty_midi.PrettyMIDI(str(p))
        ccs = [(c.time, c.value) for c in pm.instruments[0].control_changes if c.number == 64]
        # The reference walks the notes in file order; ties between equal onsets only matter
        # for same-pitch notes, which this generator never starts together.
        ref = reference_sustain([[a, b, c] for a, c, b in as_tuples(raw)], ccs)
        got = midi.read(p)
        assert len(ref) == got.size
        assert as_tuples(got) == ref


def test_sustain_is_per_track(tmp_path):
    p = tmp_path / "c.mid"
    from_messages(
        p, [pedal(0, 127, ch=1), on(0, 60), off(240, 60), on(0, 61, ch=1), off(240, 61, ch=1), pedal(960, 0, ch=1)]
    )
    assert as_tuples(midi.read(p)) == [(0.0, 60, 0.25), (0.0, 61, 1.0)]


# ---------------------------------------------------------------- odd but valid files


def test_zero_length_notes_dropped_and_counted(tmp_path):
    p = tmp_path / "z.mid"
    from_messages(p, [on(0, 60), off(0, 60), on(0, 62), off(480, 62)])
    n, stats = midi.read(p, return_stats=True)
    assert as_tuples(n) == [(0.0, 62, 0.5)] and stats["zero_length"] == 1
    pm = pretty_midi.PrettyMIDI(str(p))
    assert [x.pitch for x in pm.instruments[0].notes] == [62]  # pretty_midi drops it too


def test_note_off_without_note_on_is_ignored(tmp_path):
    p = tmp_path / "o.mid"
    from_messages(p, [off(0, 70), on(240, 60), off(480, 60), off(600, 60)])
    assert as_tuples(midi.read(p)) == [(0.25, 60, 0.5)]


def test_note_on_without_note_off_is_dropped(tmp_path):
    p = tmp_path / "u.mid"
    from_messages(p, [on(0, 60), on(240, 61), off(480, 61)])
    assert as_tuples(midi.read(p)) == [(0.25, 61, 0.5)]


def test_overlapping_same_pitch_paired_first_in_first_out_and_counted(tmp_path):
    p = tmp_path / "ov.mid"
    from_messages(p, [on(0, 60), on(240, 60), off(480, 60), off(720, 60)])
    n, stats = midi.read(p, sustain=False, return_stats=True)
    assert as_tuples(n) == [(0.0, 60, 0.5), (0.25, 60, 0.75)]
    assert stats["overlapping_same_pitch"] == 1


def test_empty_track_file_reads_as_no_notes(tmp_path):
    p = tmp_path / "e.mid"
    from_messages(p, [])
    n = midi.read(p)
    assert n.dtype == midi.NOTE_DTYPE and n.size == 0


# ---------------------------------------------------------------- bad files


def _valid_bytes(tmp_path):
    p = tmp_path / "ok.mid"
    from_messages(p, [on(0, 60), off(480, 60), on(480, 62), off(960, 62)])
    return p.read_bytes()


@pytest.mark.parametrize(
    "case, match",
    [
        ("missing", "does not exist"),
        ("empty", "is empty"),
        ("text", "not a standard MIDI file"),
        ("random", "not a standard MIDI file"),
        ("truncated_chunk", "truncated"),
        ("header_only", "truncated"),
        ("smpte", "SMPTE"),
        ("zero_division", "time division of 0"),
        ("directory", "cannot read MIDI file"),
    ],
)
def test_bad_files_raise_midi_error_naming_the_file(tmp_path, case, match):
    data = _valid_bytes(tmp_path)
    p = tmp_path / f"{case}.mid"
    if case == "empty":
        p.write_bytes(b"")
    elif case == "text":
        p.write_bytes(b"this is not a MIDI file at all\n" * 4)
    elif case == "random":
        p.write_bytes(np.random.default_rng(0).integers(0, 256, 999, dtype=np.uint8).tobytes())
    elif case == "truncated_chunk":
        p.write_bytes(data[:-7])
    elif case == "header_only":
        p.write_bytes(data[:14])
    elif case == "smpte":
        p.write_bytes(data[:12] + bytes([0xE7, 0x28]) + data[14:])
    elif case == "zero_division":
        p.write_bytes(data[:12] + b"\x00\x00" + data[14:])
    elif case == "directory":
        p.mkdir()
    with pytest.raises(cepstra.MidiError, match=match) as err:
        midi.read(p)
    assert f"{case}.mid" in str(err.value)
    assert str(err.value.path).endswith(f"{case}.mid")


def test_corrupt_track_data_raises_midi_error(tmp_path):
    data = bytearray(_valid_bytes(tmp_path))
    # Track chunk body: replace the event bytes by an undefined status byte run.
    body = 22
    data[body : body + 6] = b"\x00\xf4\xf4\xf4\xf4\xf4"
    p = tmp_path / "bad_events.mid"
    p.write_bytes(bytes(data))
    try:
        n = midi.read(p)
    except cepstra.MidiError as e:
        assert "bad_events.mid" in str(e)
    else:  # a parser may skip undefined bytes; then the result is still well formed
        assert n.dtype == midi.NOTE_DTYPE


def test_sustain_must_be_bool(tmp_path):
    with pytest.raises(cepstra.ParameterError, match="sustain='yes'"):
        midi.read(tmp_path / "x.mid", sustain="yes")


def test_import_cepstra_and_midi_without_symusic():
    code = (
        "import sys; sys.modules['symusic'] = None\n"
        "import cepstra, cepstra.midi as m, numpy as np\n"
        "n = np.zeros(1, dtype=m.NOTE_DTYPE); n['offset'] = 1; n['pitch'] = 60; n['velocity'] = 9\n"
        "assert m.piano_roll(n, sr=100, hop_length=1, n_frames=50)['frame'].sum() == 50\n"
        "try:\n    m.read('x.mid')\nexcept ImportError as e:\n    print(e)\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "cepstra[midi]" in out.stdout


def test_fuzzed_files_give_midi_error_or_valid_notes(tmp_path):
    rng = np.random.default_rng(11)
    good = tmp_path / "good.mid"
    performance(good, seconds=10, seed=1)
    base = bytearray(good.read_bytes())
    outcomes = {"notes": 0, "error": 0}
    for i in range(90):
        if i % 2:
            data = bytearray(base)
            for _ in range(int(rng.integers(1, 20))):
                data[int(rng.integers(22, len(data)))] = int(rng.integers(0, 256))
        else:
            body = rng.integers(0, 256, int(rng.integers(1, 300)), dtype=np.uint8).tobytes()
            data = bytearray(b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0MTrk" + len(body).to_bytes(4, "big") + body)
        p = tmp_path / f"f{i}.mid"
        p.write_bytes(bytes(data))
        try:
            n = midi.read(p)
        except cepstra.MidiError as e:
            assert f"f{i}.mid" in str(e)
            outcomes["error"] += 1
        else:
            assert n.dtype == midi.NOTE_DTYPE
            assert np.all(np.isfinite(n["onset"])) and np.all(n["offset"] >= n["onset"])
            outcomes["notes"] += 1
    assert outcomes["error"] > 0 and outcomes["notes"] > 0
