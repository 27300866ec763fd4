"""read(sustain=True) against magenta note_seq itself (skipped unless note-seq is installed)."""

from __future__ import annotations

import pytest

from _midi_gen import performance
from cepstra import midi

pytest.importorskip("symusic")
pytest.importorskip("mido")
note_seq = pytest.importorskip("note_seq")


@pytest.mark.parametrize("seed", range(6))
def test_sustain_equals_note_seq(tmp_path, seed):
    from note_seq import midi_io, sequences_lib

    p = tmp_path / f"p{seed}.mid"
    performance(p, seconds=20, seed=seed, tempo_changes=seed % 4, channels=1 + seed % 2)
    ns = sequences_lib.apply_sustain_control_changes(midi_io.midi_file_to_note_sequence(str(p)))
    ref = sorted((n.start_time, n.pitch, n.end_time, n.velocity) for n in ns.notes)
    got = midi.read(p)
    mine = sorted(zip(got["onset"].tolist(), got["pitch"].tolist(), got["offset"].tolist(), got["velocity"].tolist()))
    assert mine == ref  # exact: same tick-to-seconds arithmetic, same rule
