"""``cepstra bench`` short-clip rows: the Python and binding overhead of one call on a 1 s clip
at 16 kHz (on-the-fly features in a data loader), as a share of the whole call.

Overhead is the part of the call that does not grow with the clip: with t1 and t2 the same
call's times on 1 s and 2 s of audio, the per-second work is t2 - t1 and the overhead
t1 - (t2 - t1) (Python, the binding's argument conversion and output allocation, and any fixed
C++ cost such as the plan lookup and the thread hand-off). Minimums of many alternating runs
(each call is ~0.1 ms, so one scheduler hiccup would swamp a median of a few). Target: overhead
<= 20 % of the 1 s call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .demo import _best_of, example_signal

_Fn = Callable[[], object]
TARGET = 0.20


def cases() -> list[tuple[str, Callable[[Any], object], Callable[[Any], object]]]:
    """(name, the public call on a 16 kHz float32 signal, the same call on its int16-scaled copy
    for Kaldi, which the row's lambda picks)."""
    import cepstra

    mfcc_kw: dict[str, Any] = dict(sr=16000, n_mfcc=13, n_fft=512, hop_length=160, n_mels=40)
    mel_kw: dict[str, Any] = dict(sr=16000, n_fft=512, hop_length=160, n_mels=80)
    mf = cepstra.MFCC(**mfcc_kw)
    fb = cepstra.kaldi.Fbank(num_mel_bins=80)
    return [
        ("feature.mfcc(y=...)", lambda y: cepstra.feature.mfcc(y=y, **mfcc_kw), lambda y: y),
        ("MFCC(...)(y)", mf, lambda y: y),
        ("feature.melspectrogram(y=...)", lambda y: cepstra.feature.melspectrogram(y=y, **mel_kw), lambda y: y),
        ("kaldi.fbank(x)", lambda x: cepstra.kaldi.fbank(x, num_mel_bins=80), lambda y: y * 32768),
        ("kaldi.Fbank(...)(x)", fb, lambda y: y * 32768),
    ]


def _once(call: Callable[[Any], object], x: Any) -> float:
    return _best_of(lambda: call(x), 1)


def rows(runs: int = 400) -> list[dict[str, Any]]:
    y1 = example_signal(1.0, 16000)
    y2 = example_signal(2.0, 16000)
    out = []
    for name, call, prep in cases():
        a, b = np.ascontiguousarray(prep(y1), np.float32), np.ascontiguousarray(prep(y2), np.float32)
        call(a)
        call(b)
        t1 = t2 = float("inf")
        for _ in range(runs):  # alternating, so a noisy stretch hits both
            t1 = min(t1, _once(call, a))
            t2 = min(t2, _once(call, b))
        overhead = max(0.0, t1 - (t2 - t1))
        out.append(
            dict(
                workload=f"1 s clip: {name}",
                call_s=t1,
                per_second_s=t2 - t1,
                overhead_s=overhead,
                overhead_share=overhead / t1,
                target=TARGET,
            )
        )
    return out
