#!/usr/bin/env python3
"""ISA smoke test: stft / melspectrogram / mfcc of a fixed small signal, float32 and float64.

    python scripts/isa_smoke.py OUT.npz              # compute; save results (OUT.npz) and cepstra.info() (OUT.json)
    python scripts/isa_smoke.py --compare A.npz B.npz  # compare two saved runs (exit 1 if they differ)

The signal is made with integer arithmetic and one exact division only (no numpy/libm
transcendentals, whose SIMD/ifunc variants may differ between CPUs), so every run on every CPU
model feeds cepstra the same bits. Kept small: under qemu-user the interpreter is ~50x slower.
"""

import json
import sys

import numpy as np

N = 6000  # samples
SR = 16000
# (label, n_fft, hop, pad_mode): powers of two, an odd composite and an odd prime n_fft
CONFIGS = (("p2", 512, 160, "constant"), ("p2big", 2048, 512, "reflect"), ("odd", 441, 100, "edge"),
           ("prime", 401, 128, "symmetric"))


def fixed_signal(n=N):
    """Deterministic pseudo-noise plus a square-ish wave, exactly reproducible anywhere."""
    i = np.arange(n, dtype=np.int64)
    lcg = (i * 1103515245 + 12345) % 65536  # exact integers
    square = ((i // 37) % 2) * 2 - 1  # +-1, period 74 samples
    return (lcg.astype(np.float64) / 65536.0 - 0.5) * 0.25 + 0.5 * square


def compute():
    import cepstra

    y64 = fixed_signal()
    results = {}
    for dtype in (np.float32, np.float64):
        y = y64.astype(dtype)
        name = np.dtype(dtype).name
        for label, n_fft, hop, pad_mode in CONFIGS:
            D = cepstra.stft(y, n_fft=n_fft, hop_length=hop, pad_mode=pad_mode)
            results[f"stft_{label}_{name}"] = D
            results[f"stft_nocenter_{label}_{name}"] = cepstra.stft(y, n_fft=n_fft, hop_length=hop, center=False)
            results[f"istft_{label}_{name}"] = cepstra.istft(D, hop_length=hop, length=y.size)
            results[f"mel_{label}_{name}"] = cepstra.feature.melspectrogram(
                y=y, sr=SR, n_fft=n_fft, hop_length=hop, n_mels=40)
            results[f"mfcc_{label}_{name}"] = cepstra.feature.mfcc(
                y=y, sr=SR, n_fft=n_fft, hop_length=hop, n_mels=40, n_mfcc=13)
            # a 2-D batch with a non-unit stride exercises the strided gather path
            results[f"mel_batch_{label}_{name}"] = cepstra.feature.melspectrogram(
                y=np.stack([y, y[::-1]])[:, ::2], sr=SR, n_fft=n_fft, hop_length=hop, n_mels=40)
        results[f"rfft_{name}"] = cepstra.fft.rfft(y[:1000].reshape(8, 125))
        music(cepstra, y, name, results)
    return cepstra.info(), results


def music(cepstra, y, name, results):
    """The music features' per-ISA kernels (descriptor reductions, chroma, median filter/HPSS,
    Griffin-Lim's update), at small sizes: qemu runs the interpreter ~50x slower."""
    F = cepstra.feature
    kw = dict(sr=SR, n_fft=512, hop_length=128)
    results[f"centroid_{name}"] = F.spectral_centroid(y=y, **kw)
    results[f"bandwidth_{name}"] = F.spectral_bandwidth(y=y, **kw)
    results[f"rolloff_{name}"] = F.spectral_rolloff(y=y, **kw)
    results[f"flatness_{name}"] = F.spectral_flatness(y=y, n_fft=512, hop_length=128)
    results[f"contrast_{name}"] = F.spectral_contrast(y=y, **kw)
    results[f"chroma_{name}"] = F.chroma_stft(y=y, tuning=0.0, **kw)
    results[f"rms_{name}"] = F.rms(y=y, frame_length=512, hop_length=128)
    results[f"zcr_{name}"] = F.zero_crossing_rate(y, frame_length=512, hop_length=128)
    # Not onset_strength: its numpy np.maximum(0.0, x) segfaults under qemu-user 7.2's Haswell
    # model once an AVX2 stft has run in the process (reproduced with numpy alone after any
    # cepstra.stft, also with the previous release; natively and under Nehalem it runs). Its
    # mel pass is covered above.
    S = np.abs(cepstra.stft(y, n_fft=512, hop_length=128))
    H, P = cepstra.decompose.hpss(S, kernel_size=(9, 17))
    results[f"hpss_h_{name}"], results[f"hpss_p_{name}"] = H, P
    results[f"harmonic_{name}"] = cepstra.effects.harmonic(y, kernel_size=9)
    results[f"griffinlim_{name}"] = cepstra.griffinlim(S, n_iter=2, hop_length=128, random_state=0)


# Per-result tolerances where rounding between ISAs legitimately exceeds the default.
RTOL: dict = {}


def compare(path_a, path_b, rtol=1e-6):
    """Prints 'bitwise' / 'within rtol' / 'DIFFERENT' per array; returns the overall verdict."""
    a, b = np.load(path_a), np.load(path_b)
    if sorted(a.files) != sorted(b.files):
        print(f"different result sets: {sorted(a.files)} vs {sorted(b.files)}")
        return "DIFFERENT"
    verdict = "bitwise"
    for k in sorted(a.files):
        x, y = a[k], b[k]
        if x.shape != y.shape or x.dtype != y.dtype:
            print(f"  {k}: shape/dtype {x.shape} {x.dtype} != {y.shape} {y.dtype}")
            verdict = "DIFFERENT"
            continue
        if x.tobytes() == y.tobytes():
            continue
        scale = float(np.max(np.abs(x.astype(np.complex128)))) or 1.0
        err = float(np.max(np.abs(x.astype(np.complex128) - y.astype(np.complex128))))
        tol = RTOL.get(k, rtol)
        ok = err <= tol * scale
        print(f"  {k}: not bitwise, max|diff| = {err:.3e} = {err / scale:.2e} of max|x| "
              f"({'within' if ok else 'OUTSIDE'} {tol:g})")
        if not ok:
            verdict = "DIFFERENT"
        elif verdict == "bitwise":
            verdict = f"within {rtol:g} relative"
    print(f"{path_a} vs {path_b}: {verdict}")
    return verdict


def main(argv):
    if len(argv) == 3 and argv[0] == "--compare":
        return 0 if compare(argv[1], argv[2]) != "DIFFERENT" else 1
    if len(argv) != 1:
        print(__doc__)
        return 2
    info, results = compute()
    out = argv[0]
    np.savez(out, **results)
    with open(out[:-4] + ".json" if out.endswith(".npz") else out + ".json", "w") as f:
        json.dump(info, f)
    print(json.dumps(info))
    for k in sorted(results):
        r = results[k]
        print(f"  {k:24s} {str(r.shape):14s} {r.dtype}  sum={complex(r.astype(np.complex128).sum()):.10g}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
