"""``cepstra bench --music``: librosa's music features side by side with cepstra's.

One thread, one 30 s clip at 22.05 kHz (the bundled-style example signal, or ``--audio FILE``
through :func:`cepstra.load`), each reference timed on the same array in the same run, median
of ``repeat`` alternating runs; ratio = librosa time / cepstra time. Targets are the ones of the
music-features issue. The last row is the whole GTZAN-style script: nine calls, each feature
averaged over time as a genre classifier does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from .bench import median_pair

_Fn = Callable[[], object]

# (row name, function path under cepstra / librosa, target ratio); zero_crossing_rate takes y
# positionally (librosa's signature), the rest y=/sr=.
ROWS: tuple[tuple[str, str, float], ...] = (
    ("feature.chroma_stft", "feature.chroma_stft", 10.0),
    ("feature.rms", "feature.rms", 10.0),
    ("feature.spectral_centroid", "feature.spectral_centroid", 10.0),
    ("feature.spectral_bandwidth", "feature.spectral_bandwidth", 10.0),
    ("feature.spectral_rolloff", "feature.spectral_rolloff", 10.0),
    ("feature.spectral_flatness", "feature.spectral_flatness", 10.0),
    ("feature.spectral_contrast", "feature.spectral_contrast", 10.0),
    ("feature.zero_crossing_rate", "feature.zero_crossing_rate", 10.0),
    ("feature.mfcc 20", "feature.mfcc", 6.0),
    ("onset.onset_strength", "onset.onset_strength", 10.0),
    ("beat.beat_track", "beat.beat_track", 8.0),
    ("effects.hpss", "effects.hpss", 8.0),
)


def _resolve(module: Any, path: str) -> Callable[..., Any]:
    obj = module
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def _call(module: Any, path: str, y: npt.NDArray[Any], sr: int) -> _Fn:
    fn = _resolve(module, path)
    if path.endswith("zero_crossing_rate"):
        return lambda: fn(y)
    if path.endswith("hpss"):
        return lambda: fn(y)
    if path.endswith(("rms", "spectral_flatness")):
        return lambda: fn(y=y)
    return lambda: fn(y=y, sr=sr)


def gtzan_script(module: Any, y: npt.NDArray[Any], sr: int) -> dict[str, Any]:
    """The GTZAN feature script of a genre classifier: nine calls, each averaged over time."""
    m = module
    out: dict[str, Any] = {
        "chroma_stft": m.feature.chroma_stft(y=y, sr=sr).mean(axis=-1),
        "rms": m.feature.rms(y=y).mean(axis=-1),
        "spectral_centroid": m.feature.spectral_centroid(y=y, sr=sr).mean(axis=-1),
        "spectral_bandwidth": m.feature.spectral_bandwidth(y=y, sr=sr).mean(axis=-1),
        "spectral_rolloff": m.feature.spectral_rolloff(y=y, sr=sr).mean(axis=-1),
        "zero_crossing_rate": m.feature.zero_crossing_rate(y).mean(axis=-1),
    }
    harmonic, percussive = m.effects.hpss(y)
    out["harmony"] = harmonic.mean()
    out["perceptr"] = percussive.mean()
    out["tempo"], _ = m.beat.beat_track(y=y, sr=sr)
    out["mfcc"] = m.feature.mfcc(y=y, sr=sr, n_mfcc=20).mean(axis=-1)
    return out


def main(seconds: float = 30.0, repeat: int = 3, audio: str | None = None, only: str | None = None) -> int:
    import cepstra

    try:
        import librosa
    except ImportError:
        print("bench --music needs librosa (pip install 'cepstra[bench]')")
        return 2
    sr = 22050
    if audio:
        y, _ = cepstra.load(audio, sr=sr, duration=seconds)
    else:
        from .demo import example_signal

        y = example_signal(seconds, sr)
    y = np.ascontiguousarray(y, dtype=np.float32)
    saved = cepstra.get_num_threads()
    cepstra.set_num_threads(1)
    print(
        f"cepstra {cepstra.__version__} bench --music: {len(y) / sr:.0f} s at {sr} Hz, one thread, median of {repeat}"
    )
    print(f"{'call':32s} {'cepstra ms':>10s} {'librosa ms':>11s} {'ratio':>7s} {'target':>7s}")
    sel = None if only is None else set(only.split(","))
    rows: list[tuple[str, _Fn, _Fn, float]] = [
        (name, _call(cepstra, path, y, sr), _call(librosa, path, y, sr), target)
        for name, path, target in ROWS
        if sel is None or any(s in name for s in sel)
    ]
    if sel is None or "griffinlim" in sel:
        S = np.abs(librosa.stft(y[: 5 * sr]))
        rows.append(
            (
                "griffinlim 32 iterations, 5 s",
                lambda: cepstra.griffinlim(S, n_iter=32, random_state=0),
                lambda: librosa.griffinlim(S, n_iter=32, random_state=0),
                3.0,
            )
        )
    if sel is None or "gtzan" in sel:
        rows.append(
            ("GTZAN script (9 calls)", lambda: gtzan_script(cepstra, y, sr), lambda: gtzan_script(librosa, y, sr), 15.0)
        )
    for name, ours, ref, target in rows:
        t_o, t_r = median_pair(ours, ref, repeat)
        miss = "" if t_r / t_o >= target else "  MISS"
        print(f"{name:32s} {t_o * 1e3:10.1f} {t_r * 1e3:11.1f} {t_r / t_o:7.2f} {target:6.1f}x{miss}")
    cepstra.set_num_threads(saved)
    return 0
