"""float32 STFT accuracy against a float64 reference, cepstra vs librosa, and the speed cost of
computing float32 input in float64 (the way numpy's FFT gives librosa its float32 accuracy).

    PYTHONPATH=python python scripts/librosa_gate/measure_float32.py

Error: max |D - D_ref| / max |D_ref|, where D_ref is the float64 STFT of the same (float32)
samples. Issue 14's bar: cepstra's float32 error within 2x of librosa's, at no more than 10 %
speed cost; otherwise an allow-list entry that says what it costs.
"""

from __future__ import annotations

import time

import cepstra
import librosa
import numpy as np


def rel_err(D: np.ndarray, ref: np.ndarray) -> float:
    return float(np.max(np.abs(D.astype(np.complex128) - ref)) / np.max(np.abs(ref)))


def best_time(fn, repeats: int = 7) -> float:
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    rng = np.random.default_rng(0)
    sr = 22050
    t = np.arange(30 * sr) / sr
    signals = {
        "noise": rng.standard_normal(t.size).astype(np.float32),
        "chirp": np.sin(2 * np.pi * (100 + 2000 * t / t[-1]) * t).astype(np.float32),
    }
    print(f"cepstra {cepstra.__version__}, librosa {librosa.__version__}, numpy {np.__version__}")
    print(f"{'signal':8} {'n_fft':>6} {'cepstra f32 err':>16} {'librosa f32 err':>16} {'ratio':>6} "
          f"{'f32 ms':>8} {'f64-path ms':>12} {'cost':>6}")
    for name, y in signals.items():
        for n_fft in (512, 2048):
            kw = {"n_fft": n_fft, "hop_length": n_fft // 4}
            ref = librosa.stft(y.astype(np.float64), **kw)
            e_c = rel_err(cepstra.stft(y, **kw), ref)
            e_l = rel_err(librosa.stft(y, **kw), ref)
            t32 = best_time(lambda y=y, kw=kw: cepstra.stft(y, **kw))
            t64 = best_time(lambda y=y, kw=kw: cepstra.stft(y.astype(np.float64), **kw).astype(np.complex64))
            print(f"{name:8} {n_fft:6d} {e_c:16.2e} {e_l:16.2e} {e_c / e_l:6.2f} {1e3 * t32:8.2f} "
                  f"{1e3 * t64:12.2f} {100 * (t64 / t32 - 1):5.0f}%")


if __name__ == "__main__":
    main()
