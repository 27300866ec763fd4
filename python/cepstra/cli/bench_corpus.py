"""``cepstra bench --corpus``: files to features, against the loop users write today.

A corpus of real music (the bundled recordings, looped and varied) is written as WAV, FLAC and
Ogg, half stereo 44.1 kHz and half mono 16 kHz. For each format, in the same run and with the
same number of workers on the same cores:

* cepstra: ``cepstra extract FOLDER -o OUT --feature mfcc --jobs N`` (decode + resample to
  22 050 Hz + MFCC + writing the npy dataset with its manifest);
* reference: ``joblib.Parallel(n_jobs=N)`` over ``librosa.load(path)`` + ``librosa.feature.mfcc``
  (workers started and warmed up before the clock starts; no files written);
* floor: decoding and resampling only (``cepstra.load`` on a pool of N threads).

Targets: WAV/FLAC >= 5x the reference; Ogg within 1.15x of the floor. ``--memory`` adds the
peak RSS of a 2-hour FLAC file (measured in a subprocess) against its output size + 64 MB.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

FORMATS = (("wav", "WAV", "PCM_16"), ("flac", "FLAC", "PCM_16"), ("ogg", "OGG", "VORBIS"))


def _music(seconds: float, sr: int, seed: int) -> Any:
    import cepstra

    from .demo import data_dir

    clips = [
        cepstra.load(os.path.join(data_dir(), f), sr=sr)[0]
        for f in sorted(os.listdir(data_dir()))
        if f.endswith(".ogg")
    ]
    y = np.concatenate(clips)
    reps = int(np.ceil(seconds * sr / y.size))
    y = np.tile(y, reps)[: int(seconds * sr)]
    return np.roll(y, seed * 997) * (0.5 + 0.1 * (seed % 4))


def make_corpus(root: str, files: int, seconds: float = 20.0) -> dict[str, list[str]]:
    """``files`` per format, alternating stereo 44.1 kHz and mono 16 kHz, ``seconds`` long each."""
    import soundfile as sf

    out: dict[str, list[str]] = {}
    for ext, fmt, subtype in FORMATS:
        folder = os.path.join(root, ext)
        os.makedirs(folder, exist_ok=True)
        out[ext] = []
        for i in range(files):
            if i % 2 == 0:
                y = _music(seconds, 44100, i)
                data, sr = np.stack([y, np.roll(y, 441)], axis=1), 44100
            else:
                data, sr = _music(seconds, 16000, i), 16000
            path = os.path.join(folder, f"track_{i:03d}.{ext}")
            sf.write(path, data, sr, format=fmt, subtype=subtype)
            out[ext].append(path)
    return out


def _librosa_one(path: str) -> Any:
    import librosa

    y, sr = librosa.load(path, sr=22050)
    return librosa.feature.mfcc(y=y, sr=sr)


def _ours(folder: str, jobs: int) -> float:
    from . import main

    out = tempfile.mkdtemp(prefix="cepstra-bench-out-")
    try:
        t0 = time.perf_counter()
        rc = main(["extract", folder, "-o", out, "--feature", "mfcc", "--jobs", str(jobs), "--quiet"])
        dt = time.perf_counter() - t0
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if rc != 0:
        raise RuntimeError(f"cepstra extract exited with {rc}")
    return dt


def _floor(paths: list[str], jobs: int) -> float:
    import cepstra

    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda p: cepstra.load(p, sr=22050), paths))
    return time.perf_counter() - t0


def _reference(paths: list[str], jobs: int, parallel: Any) -> float:
    from joblib import delayed

    t0 = time.perf_counter()
    parallel(delayed(_librosa_one)(p) for p in paths)
    return time.perf_counter() - t0


def memory_2h(root: str, hours: float = 2.0, sr: int = 16000) -> dict[str, float]:
    """Peak RSS of ``cepstra extract`` on one long FLAC, in a fresh subprocess."""
    import soundfile as sf

    path = os.path.join(root, "long.flac")
    block = _music(60.0, sr, 1).astype(np.float32)
    with sf.SoundFile(path, "w", samplerate=sr, channels=1, format="FLAC", subtype="PCM_16") as f:
        for _ in range(int(hours * 60)):
            f.write(block)
    code = (
        "import resource, sys, os, json\n"
        "import numpy, soundfile, soxr, cepstra, cepstra.cli.extract\n"
        "def rss():\n"
        "    with open('/proc/self/statm') as fh: return int(fh.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')\n"
        "base = rss()\n"
        "from cepstra.cli import main\n"
        "rc = main(['extract', sys.argv[1], '-o', sys.argv[2], '--feature', 'mfcc', '--quiet', '--jobs', '2'])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
        "print(json.dumps({'rc': rc, 'base': base, 'peak': peak}))\n"
    )
    out = os.path.join(root, "long-out")
    res = subprocess.run(
        [sys.executable, "-c", code, path, out],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
    )
    r = json.loads(res.stdout.strip().splitlines()[-1])
    out_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs if f.endswith(".npy"))
    return {
        "hours": hours,
        "extra_mb": (r["peak"] - r["base"]) / 1e6,
        "output_mb": out_bytes / 1e6,
        "limit_mb": out_bytes / 1e6 + 64.0,
        "peak_mb": r["peak"] / 1e6,
        "base_mb": r["base"] / 1e6,
    }


def main(
    jobs: int | None = None,
    files: int = 24,
    json_path: str | None = None,
    repeat: int = 3,
    memory: bool = True,
    seconds: float = 20.0,
) -> int:
    try:
        import librosa  # noqa: F401
        from joblib import Parallel, delayed
    except ImportError:
        print("cepstra bench --corpus compares with librosa + joblib: pip install 'cepstra[bench,io]'")
        return 2
    import cepstra

    n = jobs or os.cpu_count() or 1
    root = tempfile.mkdtemp(prefix="cepstra-bench-corpus-")
    results: list[dict[str, Any]] = []
    try:
        corpus = make_corpus(root, files, seconds)
        audio_s = files * seconds
        print(
            f"corpus: {files} files x {seconds:.0f} s per format (half stereo 44.1 kHz, half mono 16 kHz), "
            f"{n} workers, cepstra {cepstra.__version__} ({cepstra.get_isa()}); median of {repeat}"
        )
        print(
            f"{'format':6s} {'cepstra s':>10s} {'librosa+joblib s':>17s} {'ratio':>7s} {'decode floor s':>15s} "
            f"{'cepstra/floor':>14s}  target"
        )
        with Parallel(n_jobs=n) as parallel:
            parallel(delayed(_librosa_one)(p) for p in corpus["wav"][: 2 * n])  # start + warm the workers
            for ext, _, _ in FORMATS:
                paths = corpus[ext]
                folder = os.path.dirname(paths[0])
                _ours(folder, n)  # warm: plans, page cache
                t_o, t_r, t_f = [], [], []
                for _ in range(repeat):
                    t_o.append(_ours(folder, n))
                    t_r.append(_reference(paths, n, parallel))
                    t_f.append(_floor(paths, n))
                o, r, f = statistics.median(t_o), statistics.median(t_r), statistics.median(t_f)
                if ext == "ogg":
                    ok = o / f <= 1.15
                    target = "cepstra/floor <= 1.15"
                else:
                    ok = r / o >= 5.0
                    target = "ratio >= 5"
                print(
                    f"{ext:6s} {o:10.2f} {r:17.2f} {r / o:6.1f}x {f:15.2f} {o / f:14.2f}  {target}"
                    f"{'' if ok else '  MISS'}   ({audio_s / o:.0f}x realtime)"
                )
                results.append(
                    {
                        "format": ext,
                        "cepstra_s": o,
                        "librosa_joblib_s": r,
                        "ratio": r / o,
                        "floor_s": f,
                        "cepstra_over_floor": o / f,
                        "workers": n,
                        "files": files,
                        "seconds_each": seconds,
                        "target": target,
                        "met": ok,
                    }
                )
        if memory:
            m = memory_2h(root)
            ok = m["extra_mb"] <= m["limit_mb"]
            print(
                f"memory: {m['hours']:.0f}-hour FLAC (mono 16 kHz) -> mfcc: peak RSS +{m['extra_mb']:.1f} MB over "
                f"the {m['base_mb']:.0f} MB after imports; output {m['output_mb']:.1f} MB; limit output + 64 MB = "
                f"{m['limit_mb']:.1f} MB{'' if ok else '  MISS'}"
            )
            results.append(dict(workload="memory-2h-flac", **m, met=ok))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if json_path:
        with open(json_path, "w") as fh:
            json.dump(results, fh, indent=2)
    return 0
