"""``cepstra bench`` short-clip rows: the Python and binding overhead of one call on a 1 s clip
at 16 kHz (on-the-fly features in a data loader), as a share of the whole call.

The C++ work of the call is estimated from the same plan's time per frame on a 60 s signal
(where any fixed cost is negligible), times the clip's frames; overhead = call time - that, so it
counts Python, the binding (argument conversion, the output allocation) and any fixed C++ cost.
Minimums of many runs (each call is ~0.1 ms, so one scheduler hiccup would swamp a median of a
few). Target: overhead <= 20 % of the call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .demo import _best_of, example_signal

_Fn = Callable[[], object]
TARGET = 0.20


def _min_time(f: _Fn, runs: int) -> float:
    f()  # warm-up: plans, caches
    return _best_of(f, runs)


def cases() -> list[tuple[str, _Fn, _Fn, float]]:
    """(name, the public call on 1 s, its plan on 60 s, the frame ratio 1 s / 60 s)."""
    import cepstra

    from .._engine import plans

    y = example_signal(1.0, 16000)
    long = example_signal(60.0, 16000).reshape(1, -1)
    x = (y * 32768).astype(np.float32)
    xlong = (long * 32768).astype(np.float32)
    mfcc_kw: dict[str, Any] = dict(sr=16000, n_mfcc=13, n_fft=512, hop_length=160, n_mels=40)
    mel_kw: dict[str, Any] = dict(sr=16000, n_fft=512, hop_length=160, n_mels=80)
    mf = cepstra.MFCC(**mfcc_kw)
    mel = cepstra.MelSpectrogram(**mel_kw)
    fb = cepstra.kaldi.Fbank(num_mel_bins=80)
    mf_plan = plans.spectral(mf._cfg, "float32")
    mel_plan = plans.spectral(mel._cfg, "float32")
    fb_plan = fb._plan("float32")
    librosa_ratio = mf.n_frames(y.size) / mf.n_frames(long.size)
    kaldi_ratio = fb.n_frames(x.size) / fb.n_frames(xlong.size)
    return [
        ("feature.mfcc(y=...)", lambda: cepstra.feature.mfcc(y=y, **mfcc_kw), lambda: mf_plan(long), librosa_ratio),
        ("MFCC(...)(y)", lambda: mf(y), lambda: mf_plan(long), librosa_ratio),
        (
            "feature.melspectrogram(y=...)",
            lambda: cepstra.feature.melspectrogram(y=y, **mel_kw),
            lambda: mel_plan(long),
            librosa_ratio,
        ),
        ("kaldi.fbank(x)", lambda: cepstra.kaldi.fbank(x, num_mel_bins=80), lambda: fb_plan(xlong, 0), kaldi_ratio),
        ("kaldi.Fbank(...)(x)", lambda: fb(x), lambda: fb_plan(xlong, 0), kaldi_ratio),
    ]


def rows(runs: int = 400) -> list[dict[str, Any]]:
    out = []
    for name, call, kernel_long, ratio in cases():
        t_c = _min_time(call, runs)
        t_k = _min_time(kernel_long, max(5, runs // 40)) * ratio
        share = max(0.0, t_c - t_k) / t_c
        out.append(dict(workload=f"1 s clip: {name}", call_s=t_c, kernel_s=t_k, overhead_share=share, target=TARGET))
    return out
