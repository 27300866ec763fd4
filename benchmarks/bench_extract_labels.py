"""``cepstra extract`` with and without ``--labels midi`` on the same corpus (the MIDI issue's
"pairing MIDI with audio must not slow the extract run by more than 5 %").

A corpus of 16 WAV files of 60 s (16 kHz mono, MAESTRO-like: the features are a 229-band log-mel
spectrogram as in Onsets and Frames), each with a MIDI performance of ~18 notes/s and a sustain
pedal beside it. Both runs write npy trees to fresh folders; runs alternate, medians reported.

    python benchmarks/bench_extract_labels.py [--files 16] [--seconds 60] [--repeat 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))


def make_corpus(root: str, files: int, seconds: float) -> None:
    import soundfile as sf

    from _midi_gen import performance

    rng = np.random.default_rng(0)
    for i in range(files):
        y = (0.1 * rng.standard_normal(int(seconds * 16000))).astype(np.float32)
        sf.write(os.path.join(root, f"take{i:03d}.wav"), y, 16000, subtype="PCM_16")
        performance(os.path.join(root, f"take{i:03d}.mid"), seconds=seconds, notes_per_second=18.5, seed=i, pedal=True)


def extract(corpus: str, out: str, labels: bool, jobs: int) -> float:
    cmd = [sys.executable, "-m", "cepstra", "extract", corpus, "-o", out, "--feature", "melspectrogram"]
    cmd += ["--sr", "16000", "--param", "n_mels=229", "--param", "hop_length=512", "--jobs", str(jobs), "--quiet"]
    if labels:
        cmd += ["--labels", "midi"]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.mkdir(corpus)
        make_corpus(corpus, a.files, a.seconds)
        plain, labelled = [], []
        for r in range(a.repeat + 1):  # the first round warms the page cache and is dropped
            for labels, times in ((False, plain), (True, labelled)):
                out = os.path.join(tmp, f"out{r}{int(labels)}")
                t = extract(corpus, out, labels, a.jobs)
                if labels:
                    assert any(n.endswith(".labels.npz") for n in os.listdir(out)), "no labels written"
                shutil.rmtree(out)
                if r:
                    times.append(t)
        p, lab = statistics.median(plain), statistics.median(labelled)
        print(
            f"extract {a.files} x {a.seconds:.0f} s, melspectrogram 229, --jobs {a.jobs}: "
            f"without labels {p:.2f} s, with --labels midi {lab:.2f} s: {100 * (lab / p - 1):+.1f} % (target <= +5 %)"
        )
        print(
            f"  runs without: {', '.join(f'{t:.2f}' for t in plain)}; with: {', '.join(f'{t:.2f}' for t in labelled)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
