"""Side-by-side timing of the music workloads, cepstra vs librosa, one thread, same process.

    PYTHONPATH=python python benchmarks/music_side_by_side.py [onset beat hpss ehpss gl] [--audio FILE]

Min of several runs on 30 s of audio (default: the committed 8 s test clip, tiled to 30 s).
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cepstra
import numpy as np

CLIP = Path(__file__).resolve().parent.parent / "tests" / "data" / "brahms_hd5_8s_rhythm.ogg"


def _time(f, n):
    f()
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="*", default=["onset", "beat", "hpss", "ehpss", "gl"])
    ap.add_argument("--audio", default=str(CLIP))
    args = ap.parse_args()
    import librosa
    import soundfile as sf

    cepstra.set_num_threads(1)
    y, sr = sf.read(args.audio, dtype="float32")
    if y.ndim > 1:
        y = y.mean(axis=1)
    y = np.ascontiguousarray(np.resize(y, 30 * sr))
    D = librosa.stft(y)
    S = np.abs(D)
    cases = {
        "onset": ("onset_strength", lambda m: m.onset.onset_strength(y=y, sr=sr), 7),
        "beat": ("beat_track", lambda m: m.beat.beat_track(y=y, sr=sr), 7),
        "hpss": ("decompose.hpss", lambda m: m.decompose.hpss(D), 2),
        "ehpss": ("effects.hpss", lambda m: m.effects.hpss(y), 2),
        "gl": ("griffinlim n_iter=32", lambda m: m.griffinlim(S, n_iter=32, random_state=0), 1),
    }
    for key in args.cases:
        name, f, n = cases[key]
        tc = _time(lambda f=f: f(cepstra), n)
        tl = _time(lambda f=f: f(librosa), n)
        print(f"{name:24s} cepstra {tc * 1e3:9.1f} ms   librosa {tl * 1e3:9.1f} ms   x{tl / tc:6.1f}", flush=True)


if __name__ == "__main__":
    main()
