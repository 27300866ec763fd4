"""MIDI -> frame labels for a 10-minute piano performance (~10k notes, a CC64 pedal stream).

cepstra: ``midi.read`` (symusic + vectorised sustain rule) + ``midi.piano_roll`` (onsets-and-frames
labels on a MelSpectrogram grid). Reference: ``pretty_midi.PrettyMIDI(path).get_piano_roll(fs)``
plus the same onset/frame/offset/velocity labels computed note by note with numpy, as users do.

    python benchmarks/bench_midi.py            # a ratio table (medians of interleaved runs)
    python -m pytest benchmarks/bench_midi.py  # pytest-benchmark
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

SR, HOP, SECONDS = 16000, 512, 600.0


def make_performance(path: str) -> None:
    from _midi_gen import performance

    performance(path, seconds=SECONDS, notes_per_second=18.5, seed=0, pedal=True)


_MEL = []


def cepstra_labels(path: str):
    import cepstra
    from cepstra import midi

    if not _MEL:  # the extractor exists anyway in a feature pipeline: not part of the labels' cost
        _MEL.append(cepstra.MelSpectrogram(sr=SR, n_fft=2048, hop_length=HOP))
    return midi.labels_for(path, like=_MEL[0], n_samples=int(SECONDS * SR))


def reference_labels(path: str):
    import pretty_midi

    pm = pretty_midi.PrettyMIDI(path)
    roll = pm.get_piano_roll(fs=SR / HOP)
    n = 1 + int(SECONDS * SR) // HOP
    h = int(SR * 0.032) // HOP
    label = np.zeros((n, 88), dtype=np.uint8)
    velocity = np.zeros((n, 88), dtype=np.uint8)
    for inst in pm.instruments:
        for note in inst.notes:
            left = round(note.start * SR / HOP)
            onset_right = min(n, left + h)
            frame_right = min(n, round(note.end * SR / HOP))
            offset_right = min(n, frame_right + h)
            f = note.pitch - 21
            if not 0 <= f < 88:
                continue
            label[left:onset_right, f] = 3
            label[onset_right:frame_right, f] = 2
            label[frame_right:offset_right, f] = 1
            velocity[left:frame_right, f] = note.velocity
    return roll, {"frame": label.T > 1, "onset": label.T == 3, "offset": label.T == 1, "velocity": velocity.T}


@pytest.fixture(scope="module")
def perf_path(tmp_path_factory):
    pytest.importorskip("symusic")
    pytest.importorskip("pretty_midi")
    p = str(tmp_path_factory.mktemp("midi") / "perf.mid")
    make_performance(p)
    return p


@pytest.mark.benchmark(group="midi-labels-10min")
def test_midi_labels_cepstra(benchmark, perf_path):
    benchmark(lambda: cepstra_labels(perf_path))


@pytest.mark.benchmark(group="midi-labels-10min")
def test_midi_labels_pretty_midi_numpy(benchmark, perf_path):
    benchmark.pedantic(lambda: reference_labels(perf_path), rounds=3, iterations=1)


def _times(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def _median_time(fn, repeats):
    return float(np.median(_times(fn, repeats)))


def main() -> None:
    import cepstra
    from cepstra import midi

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "perf.mid")
        make_performance(path)
        notes, stats = midi.read(path, return_stats=True)
        print(
            f"performance: {SECONDS:.0f} s, {notes.size} notes, {stats['sustain_extended']} extended by the pedal,"
            f" {os.path.getsize(path)} bytes"
        )
        cepstra_labels(path)
        reference_labels(path)  # warm-up
        ours, ref = [], []
        for _ in range(5):  # interleaved, so both see the same machine load
            ours += _times(lambda: cepstra_labels(path), 3)
            ref += _times(lambda: reference_labels(path), 1)
        t_ours, t_ref = float(np.median(ours)), float(np.median(ref))
        print(
            f"(fastest runs: cepstra {min(ours) * 1e3:.1f} ms, reference {min(ref) * 1e3:.1f} ms,"
            f" ratio {min(ref) / min(ours):.1f} x)"
        )
        t_read = _median_time(lambda: midi.read(path), 7)
        mel = cepstra.MelSpectrogram(sr=SR, n_fft=2048, hop_length=HOP)
        t_roll = _median_time(lambda: midi.piano_roll(notes, like=mel, n_samples=int(SECONDS * SR)), 7)
        y = np.random.default_rng(0).standard_normal(int(SECONDS * SR)).astype(np.float32)
        t_mel = _median_time(lambda: mel(y), 3)
        print(
            f"cepstra read + labels           {t_ours * 1e3:9.1f} ms  (read {t_read * 1e3:.1f} ms,"
            f" piano_roll {t_roll * 1e3:.1f} ms)"
        )
        print(f"pretty_midi + numpy labels      {t_ref * 1e3:9.1f} ms")
        print(f"speed-up                        {t_ref / t_ours:9.1f} x")
        print(
            f"mel features of the same audio  {t_mel * 1e3:9.1f} ms  (labels cost {100 * t_ours / t_mel:.1f} % of it)"
        )


if __name__ == "__main__":
    main()
