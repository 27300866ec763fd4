"""cepstra.midi.piano_roll / notes_from_roll: labels on the extractors' frame grids."""

from __future__ import annotations

import numpy as np
import pytest

import cepstra
from cepstra import midi


def random_notes(rng, n, seconds, *, lo=15, hi=115, min_dur=0.0, max_dur=1.0):
    notes = np.zeros(n, dtype=midi.NOTE_DTYPE)
    notes["onset"] = np.sort(rng.uniform(0, seconds, n))
    notes["offset"] = notes["onset"] + rng.uniform(min_dur, max_dur, n)
    notes["pitch"] = rng.integers(lo, hi, n)
    notes["velocity"] = rng.integers(1, 128, n)
    return notes


def reference_onsets_and_frames(notes, sr, hop, n_steps, h_on, h_off, lo=21, hi=108):
    """The published labelling, note by note, (frames, keys) as the reference stores it."""
    label = np.zeros((n_steps, hi - lo + 1), dtype=np.uint8)
    velocity = np.zeros((n_steps, hi - lo + 1), dtype=np.uint8)
    for onset, offset, pitch, vel in zip(notes["onset"], notes["offset"], notes["pitch"], notes["velocity"]):
        if not lo <= pitch <= hi:
            continue
        left = int(round(onset * sr / hop))  # noqa: RUF046 (the reference, verbatim)
        onset_right = min(n_steps, left + h_on)
        frame_right = min(n_steps, int(round(offset * sr / hop)))  # noqa: RUF046
        offset_right = min(n_steps, frame_right + h_off)
        f = int(pitch) - lo
        label[left:onset_right, f] = 3
        label[onset_right:frame_right, f] = 2
        label[frame_right:offset_right, f] = 1
        velocity[left:frame_right, f] = vel
    return label.T, velocity.T


@pytest.mark.parametrize(
    "sr, hop, onset_length, h_expected",
    [
        (16000, 512, 0.032, 1),
        (16000, 256, 0.032, 2),
        (44100, 512, 0.032, 2),
        (16000, 1024, 0.032, 0),
        (22050, 441, 0.05, 2),
    ],
)
def test_onsets_and_frames_equals_reference_loop(sr, hop, onset_length, h_expected):
    assert midi._roll.hops_in(onset_length, sr, hop) == h_expected
    rng = np.random.default_rng(hop)
    # Overlapping same-pitch notes, notes shorter than a hop, zero-length notes, pitches out of
    # range and notes past the end all occur in this draw.
    notes = random_notes(rng, 400, 12.0, max_dur=0.6)
    notes["offset"][::37] = notes["onset"][::37]
    n = int(10.0 * sr / hop)
    roll = midi.piano_roll(
        notes, sr=sr, hop_length=hop, n_frames=n, onset_length=onset_length, offset_length=onset_length
    )
    label, velocity = reference_onsets_and_frames(notes, sr, hop, n, h_expected, h_expected)
    assert np.array_equal(roll["label"], label)
    assert np.array_equal(roll["velocity"], velocity)
    assert np.array_equal(roll["frame"], label > 1)
    assert np.array_equal(roll["onset"], label == 3)
    assert np.array_equal(roll["offset"], label == 1)
    assert roll["frame"].shape == (88, n) and roll["frame"].dtype == bool
    out_of_range = int(np.count_nonzero((notes["pitch"] < 21) | (notes["pitch"] > 108)))
    assert roll.stats["dropped_out_of_range"] == out_of_range > 0
    kept = notes[(notes["pitch"] >= 21) & (notes["pitch"] <= 108)]
    left = np.round(kept["onset"] * sr / hop)
    assert roll.stats["dropped_past_end"] == int(np.count_nonzero(left >= n)) > 0
    right = np.round(kept["offset"] * sr / hop)
    assert roll.stats["clipped_past_end"] == int(np.count_nonzero((left < n) & (right + h_expected > n))) > 0
    assert roll.stats["labelled"] == kept.size - roll.stats["dropped_past_end"]


def test_onsets_and_frames_later_note_overwrites_earlier():
    notes = np.zeros(2, dtype=midi.NOTE_DTYPE)
    notes["onset"], notes["offset"], notes["pitch"], notes["velocity"] = [0.0, 0.5], [2.0, 0.7], 60, [10, 99]
    roll = midi.piano_roll(notes, sr=100, hop_length=10, n_frames=30, onset_length=0.1, offset_length=0.1)
    row = roll["label"][60 - 21]
    assert row.tolist() == [3] + [2] * 4 + [3] + [2] + [1] + [2] * 12 + [1] + [0] * 9
    assert roll["velocity"][60 - 21, :8].tolist() == [10] * 5 + [99] * 2 + [10]


def test_input_notes_not_modified():
    rng = np.random.default_rng(0)
    notes = random_notes(rng, 50, 5.0)
    before = notes.copy()
    for conv in midi.CONVENTIONS:
        midi.piano_roll(notes, sr=16000, hop_length=512, n_frames=100, convention=conv)
    assert np.array_equal(notes, before)


# ------------------------------------------------------------------ the like= form


def _extractors():
    return [
        cepstra.STFT(n_fft=512, hop_length=128, sr=16000),
        cepstra.STFT(n_fft=512, hop_length=128, sr=16000, center=False),
        cepstra.MelSpectrogram(sr=16000, n_fft=1024, hop_length=160),
        cepstra.MelSpectrogram(sr=16000, n_fft=1024, hop_length=160, center=False),
        cepstra.MFCC(sr=22050, n_fft=2048, hop_length=512),
        cepstra.MFCC(sr=22050, n_fft=2048, hop_length=512, center=False),
        cepstra.kaldi.Fbank(snip_edges=True),
        cepstra.kaldi.Fbank(snip_edges=False),
        cepstra.kaldi.Mfcc(snip_edges=False),
    ]


def _frames_of(ext, y):
    out = ext(y)
    return out.shape[0] if isinstance(ext, (cepstra.kaldi.Fbank, cepstra.kaldi.Mfcc)) else out.shape[-1]


@pytest.mark.parametrize("ext", _extractors(), ids=lambda e: f"{type(e).__name__}")
def test_like_frame_count_equals_extractor_output(ext):
    rng = np.random.default_rng(0)
    notes = random_notes(rng, 20, 1.0)
    hop = ext.hop_length
    lengths = set(range(hop, 12 * hop + 1, hop))  # every multiple of the hop in range
    lengths |= {m + d for m in range(hop, 8 * hop, hop) for d in (-1, 1)}
    lengths |= {int(x) for x in rng.integers(2048, 40000, 25)}
    lengths |= {4096, 16000, 22050, 22050 * 2}
    for n_samples in sorted(lengths):
        if n_samples < 2048 and not getattr(ext, "center", True):
            continue
        try:
            expected = _frames_of(ext, np.zeros(n_samples, dtype=np.float32))
        except cepstra.ParameterError:
            continue  # too short for an uncentred frame: no features, nothing to label
        for conv in midi.CONVENTIONS:
            roll = midi.piano_roll(notes, like=ext, n_samples=n_samples, convention=conv)
            for key, arr in roll.items():
                assert arr.shape == (88, expected), (conv, key, n_samples)


def test_like_and_explicit_grid_exclusive():
    ext = cepstra.STFT(n_fft=512, hop_length=128, sr=16000)
    notes = np.zeros(0, dtype=midi.NOTE_DTYPE)
    with pytest.raises(cepstra.ParameterError, match="either like="):
        midi.piano_roll(notes, like=ext, n_samples=1000, sr=16000)
    with pytest.raises(cepstra.ParameterError, match="needs n_samples"):
        midi.piano_roll(notes, like=ext)
    with pytest.raises(cepstra.ParameterError, match="n_frames= is required"):
        midi.piano_roll(notes, sr=16000, hop_length=128)
    with pytest.raises(TypeError, match="like=object has no 'sr'"):
        midi.piano_roll(notes, like=object(), n_samples=10)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"convention": "librosa"}, "convention='librosa'"),
        ({"min_pitch": 60, "max_pitch": 50}, "min_pitch=60, max_pitch=50"),
        ({"max_pitch": 128}, "max_pitch=128"),
        ({"hop_length": 0}, "hop_length=0"),
        ({"sr": -1}, "sr=-1"),
        ({"n_frames": -3}, "n_frames=-3"),
        ({"onset_length": float("nan")}, "onset_length=nan"),
    ],
)
def test_bad_parameters(kwargs, match):
    args = {"sr": 16000, "hop_length": 512, "n_frames": 10, **kwargs}
    with pytest.raises(cepstra.ParameterError, match=match):
        midi.piano_roll(np.zeros(0, dtype=midi.NOTE_DTYPE), **args)


def test_bad_notes():
    with pytest.raises(TypeError, match="structured note array"):
        midi.piano_roll(np.zeros((3, 4)), sr=16000, hop_length=512, n_frames=10)
    bad = np.zeros(1, dtype=midi.NOTE_DTYPE)
    bad["onset"], bad["offset"], bad["pitch"] = 1.0, np.nan, 60
    with pytest.raises(cepstra.ParameterError, match="non-finite"):
        midi.piano_roll(bad, sr=16000, hop_length=512, n_frames=10)
    bad["offset"], bad["pitch"] = 2.0, 200
    with pytest.raises(cepstra.ParameterError, match="pitch=200"):
        midi.piano_roll(bad, sr=16000, hop_length=512, n_frames=10)
    bad["pitch"], bad["velocity"] = 60, 300
    with pytest.raises(cepstra.ParameterError, match="velocity=300"):
        midi.piano_roll(bad, sr=16000, hop_length=512, n_frames=10)


# ------------------------------------------------------------------ "center"


@pytest.mark.parametrize(
    "ext",
    [
        cepstra.MelSpectrogram(sr=16000, n_fft=1024, hop_length=160, center=False),
        cepstra.kaldi.Fbank(snip_edges=True),
        cepstra.STFT(n_fft=512, hop_length=128),
    ],
    ids=["uncentred", "kaldi", "centred"],
)
def test_center_matches_frame_centres(ext):
    rng = np.random.default_rng(3)
    notes = random_notes(rng, 150, 4.0, lo=21, hi=109)
    n_samples = int(3.5 * ext.sr)
    roll = midi.piano_roll(
        notes, like=ext, n_samples=n_samples, convention="center", onset_length=0.0, offset_length=0.0
    )
    c = ext.frame_times(ext.n_frames(n_samples))
    half = ext.hop_length / (2 * ext.sr)
    frame = np.zeros_like(roll["frame"])
    onset = np.zeros_like(roll["onset"])
    for on, off, p in zip(notes["onset"], notes["offset"], notes["pitch"]):
        if on >= c[-1] + half:
            continue
        k = int(np.argmin(np.abs(c - on)))  # argmin picks the earlier of two equally near
        frame[p - 21, (c >= on) & (c < off)] = True
        frame[p - 21, k] = True
        onset[p - 21, k] = True
    assert np.array_equal(roll["frame"], frame)
    assert np.array_equal(roll["onset"], onset)
    assert roll.stats["dropped_past_end"] == int(np.count_nonzero(notes["onset"] >= c[-1] + half)) > 0
    assert roll.stats["clipped_past_end"] > 0


# ------------------------------------------------------------------ pretty_midi parity


def test_pretty_midi_parity(tmp_path):
    pretty_midi = pytest.importorskip("pretty_midi")
    pytest.importorskip("symusic")
    from _midi_gen import performance

    for seed, (sr, hop) in enumerate([(16000, 512), (22050, 512), (44100, 441), (16000, 160)]):
        p = tmp_path / f"p{seed}.mid"
        performance(p, seconds=20, seed=seed, tempo_changes=seed, pedal=False, channels=1 + seed % 2)
        fs = sr / hop
        ref = pretty_midi.PrettyMIDI(str(p)).get_piano_roll(fs=fs)
        notes = midi.read(p, sustain=False)
        roll = midi.piano_roll(notes, sr=sr, hop_length=hop, convention="pretty_midi", min_pitch=0, max_pitch=127)
        assert roll["velocity"].shape == ref.shape
        assert np.array_equal(roll["velocity"], ref)  # exact
        assert np.array_equal(roll["frame"], ref > 0)
        roll88 = midi.piano_roll(notes, sr=sr, hop_length=hop, n_frames=ref.shape[1] - 7, convention="pretty_midi")
        assert np.array_equal(roll88["velocity"], ref[21:109, :-7])


def test_pretty_midi_parity_with_pedal(tmp_path):
    pretty_midi = pytest.importorskip("pretty_midi")
    pytest.importorskip("symusic")
    from _midi_gen import performance

    for seed, (sr, hop) in enumerate([(16000, 512), (22050, 256), (16000, 160)]):
        p = tmp_path / f"p{seed}.mid"
        performance(p, seconds=20, seed=seed, tempo_changes=seed, pedal=True, channels=1 + seed % 2)
        fs = sr / hop
        pm = pretty_midi.PrettyMIDI(str(p))
        notes = midi.read(p, sustain=False)
        pedals = midi.read_pedals(p)
        assert pedals.size == sum(1 for i in pm.instruments for c in i.control_changes if c.number == 64) > 50
        ref = pm.get_piano_roll(fs=fs)  # pedal_threshold=64
        roll = midi.piano_roll(
            notes, sr=sr, hop_length=hop, convention="pretty_midi", pedals=pedals, min_pitch=0, max_pitch=127
        )
        assert roll["velocity"].shape == ref.shape
        assert np.array_equal(roll["velocity"], ref)
        no_pedal = pm.get_piano_roll(fs=fs, pedal_threshold=None)
        assert not np.array_equal(no_pedal, ref)  # the pedal did something here
        roll = midi.piano_roll(
            notes, sr=sr, hop_length=hop, n_frames=ref.shape[1], convention="pretty_midi", min_pitch=0, max_pitch=127
        )
        assert np.array_equal(roll["velocity"], no_pedal)


def test_pedals_only_with_pretty_midi_convention():
    with pytest.raises(cepstra.ParameterError, match="pedals= goes with convention='pretty_midi'"):
        midi.piano_roll(
            np.zeros(0, dtype=midi.NOTE_DTYPE),
            sr=100,
            hop_length=1,
            n_frames=5,
            pedals=np.zeros(0, dtype=midi.PEDAL_DTYPE),
        )


# ------------------------------------------------------------------ a real onset in the features


@pytest.mark.parametrize("convention", ["onsets_and_frames", "center"])
def test_sine_note_energy_rises_at_labelled_onset(convention):
    sr, n_fft, hop = 16000, 512, 256
    y = np.zeros(sr, dtype=np.float32)
    start, stop = 8000, 12000  # A4 from 0.5 s to 0.75 s
    t = np.arange(stop - start) / sr
    y[start:stop] = 0.5 * np.sin(2 * np.pi * 440.0 * t)
    S = cepstra.feature.melspectrogram(y=y, sr=sr, n_fft=n_fft, hop_length=hop)
    energy = S.sum(axis=0)
    notes = np.zeros(1, dtype=midi.NOTE_DTYPE)
    notes["onset"], notes["offset"], notes["pitch"], notes["velocity"] = start / sr, stop / sr, 69, 100
    ext = cepstra.MelSpectrogram(sr=sr, n_fft=n_fft, hop_length=hop)
    roll = midi.piano_roll(notes, like=ext, n_samples=y.size, convention=convention)
    assert roll["frame"].shape[1] == S.shape[1]
    k = int(np.flatnonzero(roll["onset"][69 - 21])[0])
    first_sounding = int(np.flatnonzero(energy > 1e-3 * energy.max())[0])
    assert k == first_sounding == 31
    assert energy[k] > 100 * energy[k - 1]


# ------------------------------------------------------------------ decoding


def reference_decode(onsets, frames, velocity, on_t=0.5, fr_t=0.5):
    """The published decoding loop; rolls (frames, keys)."""
    onsets = (onsets > on_t).astype(np.uint8)
    frames = (frames > fr_t).astype(np.uint8)
    diff = np.concatenate([onsets[:1], onsets[1:].astype(int) - onsets[:-1]], axis=0) == 1
    out = []
    for frame, pitch in zip(*np.nonzero(diff)):
        onset = offset = frame
        vs = []
        while onsets[offset, pitch] or frames[offset, pitch]:
            if onsets[offset, pitch]:
                vs.append(velocity[offset, pitch])
            offset += 1
            if offset == onsets.shape[0]:
                break
        if offset > onset:
            out.append((onset, offset, pitch, np.mean(vs) if vs else 0))
    return out


def test_notes_from_roll_matches_reference_decoding():
    rng = np.random.default_rng(5)
    on_p = rng.random((88, 400)) ** 6
    fr_p = rng.random((88, 400)) ** 0.7
    vel = rng.uniform(1, 127, (88, 400))
    got = midi.notes_from_roll(on_p, fr_p, vel, sr=16000, hop_length=512, onset_threshold=0.3, frame_threshold=0.4)
    ref = reference_decode(on_p.T, fr_p.T, vel.T, 0.3, 0.4)
    assert got.size == len(ref) > 100
    step = 512 / 16000
    assert np.allclose(got["onset"], [r[0] * step for r in ref], rtol=0, atol=1e-12)
    assert np.allclose(got["offset"], [r[1] * step for r in ref], rtol=0, atol=1e-12)
    assert got["pitch"].tolist() == [int(r[2]) + 21 for r in ref]
    assert got["velocity"].tolist() == [int(np.clip(np.round(r[3]), 1, 127)) for r in ref]


def test_round_trip_recovers_every_onset_within_one_hop():
    rng = np.random.default_rng(9)
    sr, hop = 16000, 512
    step = hop / sr
    notes = []
    for pitch in range(21, 109):  # per pitch: notes at least two hops long, two hops apart
        t = rng.uniform(0, 1)
        while t < 25:
            d = rng.uniform(2 * step, 1.0)
            notes.append((t, t + d, pitch, int(rng.integers(1, 128))))
            t += d + rng.uniform(2 * step, 1.0)
    arr = np.zeros(len(notes), dtype=midi.NOTE_DTYPE)
    arr["onset"], arr["offset"], arr["pitch"], arr["velocity"] = zip(*notes)
    arr = arr[np.lexsort((arr["pitch"], arr["onset"]))]
    n = int(np.ceil(arr["offset"].max() / step)) + 4
    roll = midi.piano_roll(arr, sr=sr, hop_length=hop, n_frames=n)
    back = midi.notes_from_roll(roll["onset"], roll["frame"], roll["velocity"], sr=sr, hop_length=hop)
    assert back.size == arr.size
    order = np.lexsort((back["onset"], back["pitch"]))
    ref_order = np.lexsort((arr["onset"], arr["pitch"]))
    assert np.array_equal(back["pitch"][order], arr["pitch"][ref_order])
    assert np.max(np.abs(back["onset"][order] - arr["onset"][ref_order])) <= step / 2 + 1e-12
    assert np.array_equal(back["velocity"][order], arr["velocity"][ref_order])


def test_notes_from_roll_bad_input():
    z = np.zeros((88, 10))
    with pytest.raises(cepstra.ParameterError, match="one shape"):
        midi.notes_from_roll(z, np.zeros((88, 11)), z, sr=16000, hop_length=512)
    with pytest.raises(cepstra.ParameterError, match="must be 2-D"):
        midi.notes_from_roll(z[0], z[0], z[0], sr=16000, hop_length=512)
    with pytest.raises(cepstra.ParameterError, match="min_pitch=60"):
        midi.notes_from_roll(z, z, z, sr=16000, hop_length=512, min_pitch=60)
    assert midi.notes_from_roll(z, z, z, sr=16000, hop_length=512).size == 0
