"""cepstra.midi.labels_for and the audio/MIDI pairing helpers (what `cepstra extract --labels midi` uses)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import cepstra
from _midi_gen import from_messages, performance
from cepstra import midi

pytest.importorskip("symusic")
mido = pytest.importorskip("mido")


def test_labels_for_frame_count_and_content(tmp_path):
    p = tmp_path / "take.mid"
    performance(p, seconds=10, seed=2)
    ext = cepstra.MelSpectrogram(sr=16000, n_fft=2048, hop_length=512)
    for n_samples in (16000 * 8, 16000 * 8 + 1, 512 * 300, 512 * 300 - 1):
        labels = midi.labels_for(p, like=ext, n_samples=n_samples)
        n = ext.n_frames(n_samples)
        assert set(labels) == {"frame", "onset", "offset", "velocity", "label"}
        assert all(a.shape == (88, n) for a in labels.values())
        direct = midi.piano_roll(midi.read(p), sr=16000, hop_length=512, n_frames=n)
        for key in labels:
            assert np.array_equal(labels[key], direct[key])
        # the 10 s performance is cut at 8 s (or ~9.6 s): notes past the end are counted
        assert labels.stats["dropped_past_end"] > 0 and labels.stats["clipped_past_end"] > 0
        assert labels.stats["read_n_notes"] == midi.read(p).size


def test_labels_for_kaldi_grid(tmp_path):
    p = tmp_path / "take.mid"
    performance(p, seconds=3, seed=4)
    for snip in (True, False):
        ext = cepstra.kaldi.Fbank(snip_edges=snip)
        y = np.zeros(16000 * 3 + 77, dtype=np.float32)
        labels = midi.labels_for(p, like=ext, n_samples=y.size, convention="center")
        assert labels["frame"].shape == (88, ext(y).shape[0])


@pytest.mark.parametrize("content", [None, b"", b"RIFF....WAVEfmt ", b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0"])
def test_labels_for_bad_midi_raises_midi_error(tmp_path, content):
    p = tmp_path / "broken.mid"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(cepstra.MidiError, match="broken.mid"):
        midi.labels_for(p, like=cepstra.STFT(), n_samples=22050)


def test_pair_by_stem(tmp_path):
    (tmp_path / "a.wav").write_bytes(b"")
    (tmp_path / "a.mid").write_bytes(b"")
    (tmp_path / "b.flac").write_bytes(b"")
    (tmp_path / "b.MIDI").write_bytes(b"")
    (tmp_path / "c.wav").write_bytes(b"")
    (tmp_path / "c.txt").write_bytes(b"")
    other = tmp_path / "midis"
    other.mkdir()
    (other / "c.mid").write_bytes(b"")
    audio = [tmp_path / "a.wav", tmp_path / "b.flac", tmp_path / "c.wav"]
    assert midi.pair_by_stem(audio) == [
        (audio[0], tmp_path / "a.mid"),
        (audio[1], tmp_path / "b.MIDI"),
        (audio[2], None),
    ]
    assert midi.pair_by_stem(audio, midi_dir=other) == [(audio[0], None), (audio[1], None), (audio[2], other / "c.mid")]


def test_pairs_from_maestro_csv(tmp_path):
    csv = tmp_path / "maestro-v3.0.0.csv"
    csv.write_text(
        "canonical_composer,canonical_title,split,year,midi_filename,audio_filename,duration\n"
        'Bach,"Prelude, in C",train,2004,2004/x.midi,2004/x.wav,12.5\n'
        "Chopin,Etude,test,2006,2006/y.midi,2006/y.wav,3.0\n"
    )
    assert midi.pairs_from_csv(csv) == [
        (tmp_path / "2004/x.wav", tmp_path / "2004/x.midi"),
        (tmp_path / "2006/y.wav", tmp_path / "2006/y.midi"),
    ]
    assert midi.pairs_from_csv(csv, root="/data")[1] == (Path("/data/2006/y.wav"), Path("/data/2006/y.midi"))


def test_pairs_from_csv_errors(tmp_path):
    csv = tmp_path / "m.csv"
    csv.write_text("audio,midi_filename\nx.wav,x.mid\n")
    with pytest.raises(cepstra.ParameterError, match="audio_column='audio_filename' is not a column of"):
        midi.pairs_from_csv(csv)
    csv.write_text("audio_filename,midi_filename\nx.wav,\n")
    with pytest.raises(cepstra.ParameterError, match="line 2: empty midi_filename"):
        midi.pairs_from_csv(csv)
    with pytest.raises(FileNotFoundError):
        midi.pairs_from_csv(tmp_path / "nope.csv")


def test_end_to_end_transcription_dataset_example(tmp_path):
    """The README example: audio + MIDI -> aligned (features, labels) -> notes back."""
    sr, hop = 16000, 512
    from_messages(
        tmp_path / "take.mid",
        [(0, mido.Message("note_on", note=69, velocity=90)), (480, mido.Message("note_off", note=69, velocity=0))],
    )
    y = np.zeros(sr, dtype=np.float32)
    y[: sr // 2] = 0.3 * np.sin(2 * np.pi * 440 * np.arange(sr // 2) / sr)
    mel = cepstra.MelSpectrogram(sr=sr, n_fft=2048, hop_length=hop)
    S = mel(y)
    labels = midi.labels_for(tmp_path / "take.mid", like=mel, n_samples=len(y))
    assert labels["frame"].shape[1] == S.shape[1] == 32
    notes = midi.notes_from_roll(labels["onset"], labels["frame"], labels["velocity"], sr=sr, hop_length=hop)
    assert notes["pitch"].tolist() == [69] and notes["velocity"].tolist() == [90]
    assert notes["onset"].tolist() == [0.0] and abs(notes["offset"][0] - 0.5) <= hop / sr / 2
