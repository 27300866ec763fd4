"""`python -m cepstra bench`: cepstra against the reference libraries, same input, same run.

Each row times cepstra and one reference alternately (``repeat`` rounds, median of each), so
machine noise hits both sides alike, and reports the ratio reference / cepstra (> 1: cepstra is
faster). References that are not installed are skipped. Single-threaded unless a row says
otherwise; the last rows measure thread scaling.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from .demo import example_signal

_Fn = Callable[[], object]
# (reference name, fn) or (reference name, fn, target ratio for this reference)
_Ref = tuple[str, _Fn] | tuple[str, _Fn, float]
_Row = tuple[str, float, _Fn, list[_Ref]]
# rfft rows bind their input as a lambda default argument
_FftRow = tuple[str, float, Callable[..., object], list[tuple[str, Callable[..., object]]], int]
_Add = Callable[[str, float, _Fn, list[_Ref | None]], None]


def median_pair(f_ours: _Fn, f_ref: _Fn, repeat: int) -> tuple[float, float]:
    ours: list[float] = []
    ref: list[float] = []
    f_ours()
    f_ref()  # warm-up: plans, caches, first-touch of memory
    for _ in range(repeat):
        t0 = time.perf_counter()
        f_ours()
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        f_ref()
        ref.append(time.perf_counter() - t0)
    return statistics.median(ours), statistics.median(ref)


def _refs_librosa() -> ModuleType | None:
    try:
        import librosa
    except ImportError:
        return None
    return librosa


def _torch() -> tuple[Any, Any] | None:
    try:
        import torch
        import torchaudio

        torch.set_num_threads(1)
        return torch, torchaudio
    except Exception:  # noqa: BLE001 - any import problem means "not available"
        return None


def _workloads(seconds: float) -> list[_Row]:
    """(name, target ratio, cepstra fn, [(reference name, fn[, target for this reference])])."""
    import cepstra

    librosa = _refs_librosa()
    tt = _torch()
    y22 = example_signal(seconds, 22050)
    y16 = example_signal(seconds, 16000)
    rows: list[_Row] = []

    def add(name: str, target: float, ours: _Fn, refs: list[_Ref | None]) -> None:
        rows.append((name, target, ours, [r for r in refs if r is not None]))

    # librosa defaults, 22.05 kHz
    add(
        "stft 22k 2048/512",
        3.0,
        lambda: cepstra.stft(y22),
        [
            ("librosa", lambda: librosa.stft(y22)) if librosa else None,
            ("torch.stft", _torch_stft(tt, y22, 2048, 512, 2048)) if tt else None,
        ],
    )
    add(
        "melspectrogram 22k 128",
        6.0,
        lambda: cepstra.feature.melspectrogram(y=y22),
        [
            ("librosa", lambda: librosa.feature.melspectrogram(y=y22)) if librosa else None,
            ("torchaudio", _ta_mel(tt, y22, 22050, 2048, 2048, 512, 128, "slaney", "constant")) if tt else None,
        ],
    )
    add(
        "mfcc 22k 20",
        6.0,
        lambda: cepstra.feature.mfcc(y=y22),
        [
            ("librosa", lambda: librosa.feature.mfcc(y=y22)) if librosa else None,
            ("torchaudio", _ta_mfcc(tt, y22)) if tt else None,
        ],
    )
    sp: dict[str, Any] = dict(sr=16000, n_fft=512, win_length=400, hop_length=160, n_mels=80)
    add(
        "mel speech 16k 512/400/160 80",
        7.0,
        lambda: cepstra.feature.melspectrogram(y=y16, **sp),
        [
            ("librosa", lambda: librosa.feature.melspectrogram(y=y16, **sp)) if librosa else None,
            ("torchaudio", _ta_mel(tt, y16, 16000, 512, 400, 160, 80, "slaney", "constant"), 2.0) if tt else None,
        ],
    )
    wp: dict[str, Any] = dict(sr=16000, n_fft=400, hop_length=160, n_mels=80)
    add(
        "mel whisper-like 16k 400/160 80",
        5.0,
        lambda: cepstra.feature.melspectrogram(y=y16, **wp),
        [
            ("librosa", lambda: librosa.feature.melspectrogram(y=y16, **wp)) if librosa else None,
        ],
    )
    _speech_rows(add, y16)
    return rows


def _speech_rows(add: _Add, y16: npt.NDArray[np.float32]) -> None:
    import cepstra

    kaldi = getattr(cepstra, "kaldi", None)
    whisper = getattr(cepstra, "whisper", None)
    try:
        import kaldi_native_fbank as knf
    except ImportError:
        knf = None
    if kaldi is not None:
        x = (y16 * 32768).astype(np.float32)
        add(
            "kaldi fbank 80",
            5.0,
            lambda: kaldi.fbank(x, num_mel_bins=80),
            [("kaldi-native-fbank", _knf(knf, x, mfcc=False)) if knf else None],
        )
        add(
            "kaldi mfcc 13",
            5.0,
            lambda: kaldi.mfcc(x),
            [("kaldi-native-fbank", _knf(knf, x, mfcc=True)) if knf else None],
        )
    if whisper is not None:
        try:
            from transformers import WhisperFeatureExtractor

            fe = WhisperFeatureExtractor(feature_size=80)
            hf: _Ref | None = ("transformers (numpy)", lambda: fe._np_extract_fbank_features(y16[None, :], "cpu"))
        except Exception:  # noqa: BLE001
            hf = None
        add("whisper log-mel 80", 10.0, lambda: whisper.log_mel_spectrogram(y16), [hf])


def _knf(knf: Any, x: npt.NDArray[np.float32], mfcc: bool) -> _Fn:
    def run() -> npt.NDArray[Any]:
        if mfcc:
            opts = knf.MfccOptions()
            opts.mel_opts.num_bins = 23
        else:
            opts = knf.FbankOptions()
            opts.mel_opts.num_bins = 80
        opts.frame_opts.dither = 0.0
        comp = knf.OnlineMfcc(opts) if mfcc else knf.OnlineFbank(opts)
        comp.accept_waveform(16000, x.tolist())
        comp.input_finished()
        return np.stack([comp.get_frame(i) for i in range(comp.num_frames_ready)])

    return run


def _torch_stft(tt: tuple[Any, Any], y: npt.NDArray[np.float32], n_fft: int, hop: int, win: int) -> _Fn:
    torch, _ = tt
    x = torch.from_numpy(y)
    w = torch.hann_window(win)
    return lambda: torch.stft(x, n_fft, hop, win, w, center=True, pad_mode="constant", return_complex=True)


def _ta_mel(
    tt: tuple[Any, Any],
    y: npt.NDArray[np.float32],
    sr: int,
    n_fft: int,
    win: int,
    hop: int,
    n_mels: int,
    scale: str,
    pad_mode: str,
) -> _Fn:
    torch, ta = tt
    x = torch.from_numpy(y)
    m = ta.transforms.MelSpectrogram(
        sample_rate=sr,
        n_fft=n_fft,
        win_length=win,
        hop_length=hop,
        n_mels=n_mels,
        mel_scale=scale,
        norm="slaney",
        pad_mode=pad_mode,
        center=True,
    )
    return lambda: m(x)


def _ta_mfcc(tt: tuple[Any, Any], y: npt.NDArray[np.float32]) -> _Fn:
    torch, ta = tt
    x = torch.from_numpy(y)
    m = ta.transforms.MFCC(
        sample_rate=22050,
        n_mfcc=20,
        melkwargs=dict(n_fft=2048, hop_length=512, n_mels=128, mel_scale="slaney", norm="slaney", pad_mode="constant"),
    )
    return lambda: m(x)


def _fft_rows(seconds: float) -> list[_FftRow]:
    """FFT stage alone: real FFT of windowed float32 frames, cepstra vs scipy.fft (workers=1)."""
    import cepstra

    try:
        import scipy.fft
    except ImportError:
        return []
    rows: list[_FftRow] = []
    rng = np.random.default_rng(0)
    for n in (256, 400, 512, 1024, 2048, 4096):
        frames = max(1000, min(25840, (1 << 24) // n))
        x = (rng.standard_normal((frames, n)) * np.hanning(n)).astype(np.float32)
        rows.append(
            (
                f"rfft n={n} ({frames} frames)",
                1.5,
                lambda x=x: cepstra.fft.rfft(x),
                [("scipy.fft", lambda x=x: scipy.fft.rfft(x, workers=1))],
                frames,
            )
        )
    return rows


def _overhead_row(seconds: float) -> tuple[str, _Fn, _Fn]:
    """mfcc vs cepstra's own FFT stage over the same frames (target: mfcc <= 1.25x FFT)."""
    import cepstra

    y = example_signal(seconds, 22050)
    n_frames = 1 + y.size // 512
    frames = np.ascontiguousarray(cepstra.util.frame(np.pad(y, 1024), frame_length=2048, hop_length=512).T[:n_frames])
    return ("mfcc / own FFT stage (22k, 2048/512)", lambda: cepstra.feature.mfcc(y=y), lambda: cepstra.fft.rfft(frames))


def _scaling_rows(seconds: float, repeat: int) -> list[tuple[str, dict[int, float]]]:
    import cepstra

    y = example_signal(seconds, 22050)
    batch = [example_signal(seconds / 16, 22050, seed=i) for i in range(16)]
    ncpu = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    out: list[tuple[str, dict[int, float]]] = []
    cases: tuple[tuple[str, _Fn], ...] = (
        ("mfcc, one long signal", lambda: cepstra.feature.mfcc(y=y)),
        ("mfcc, batch of 16 signals", lambda: cepstra.MFCC(sr=22050)(batch)),
    )
    for label, fn in cases:
        times: dict[int, float] = {}
        for t in sorted({1, 2, ncpu}):
            cepstra.set_num_threads(t)
            fn()
            times[t] = statistics.median(_timed(fn) for _ in range(repeat))
        out.append((label, times))
    cepstra.set_num_threads(1)
    return out


def _memory_rows(seconds: float) -> list[tuple[str, int, int]]:
    """Peak resident memory a call adds (Linux: VmHWM after resetting it), against its output."""
    import gc

    import cepstra

    if not os.path.exists("/proc/self/clear_refs"):
        return []

    def status(key: str) -> int:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        return 0

    y = example_signal(seconds, 22050)
    rows: list[tuple[str, int, int]] = []
    cases: tuple[tuple[str, Callable[[], npt.NDArray[Any]]], ...] = (
        ("melspectrogram 22k", lambda: cepstra.feature.melspectrogram(y=y)),
        ("mfcc 22k", lambda: cepstra.feature.mfcc(y=y)),
    )
    for name, fn in cases:
        fn()
        gc.collect()
        base = status("VmRSS")
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            return []
        out = fn()
        rows.append((name, max(0, status("VmHWM") - base), out.nbytes))
        del out
    return rows


def _timed(fn: _Fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(seconds: float = 600.0, repeat: int = 5, only: str | None = None, json_path: str | None = None) -> int:
    import cepstra

    saved = cepstra.get_num_threads()
    cepstra.set_num_threads(1)
    results: list[dict[str, Any]] = []
    print(
        f"cepstra {cepstra.__version__} bench: {seconds:.0f} s of audio, one thread, median of {repeat} "
        f"alternating runs; ratio = reference time / cepstra time"
    )
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs; "
        f"SIMD path {cepstra.get_isa()}"
    )
    print(f"{'workload':38s} {'cepstra ms':>10s}  {'reference':24s} {'ref ms':>9s} {'ratio':>7s} {'target':>7s}")
    sel = None if only is None else set(only.split(","))

    def want(name: str) -> bool:
        return sel is None or any(s in name for s in sel)

    for name, default_target, ours, refs in _workloads(seconds):
        if not want(name):
            continue
        for ref_name, ref, *own_target in refs:
            target = own_target[0] if own_target else default_target  # e.g. 2x torchaudio vs 7x librosa
            t_o, t_r = median_pair(ours, ref, repeat)
            ok = "" if t_r / t_o >= target else "  MISS"
            print(f"{name:38s} {t_o * 1e3:10.1f}  {ref_name:24s} {t_r * 1e3:9.1f} {t_r / t_o:7.2f} {target:6.1f}x{ok}")
            results.append(
                dict(workload=name, reference=ref_name, cepstra_s=t_o, reference_s=t_r, ratio=t_r / t_o, target=target)
            )
    for name, target, ours, fft_refs, frames in _fft_rows(seconds):
        if not want(name) and not want("fft"):
            continue
        for ref_name, ref in fft_refs:
            t_o, t_r = median_pair(ours, ref, repeat)
            ok = "" if t_r / t_o >= target else "  MISS"
            print(
                f"{name:38s} {t_o * 1e3:10.1f}  {ref_name:24s} {t_r * 1e3:9.1f} {t_r / t_o:7.2f} {target:6.1f}x{ok}"
                f"   ({t_o / frames * 1e9:.0f} vs {t_r / frames * 1e9:.0f} ns/transform)"
            )
            results.append(
                dict(
                    workload=name,
                    reference=ref_name,
                    cepstra_s=t_o,
                    reference_s=t_r,
                    ratio=t_r / t_o,
                    target=target,
                    ns_per_transform=t_o / frames * 1e9,
                )
            )
    if want("overhead"):
        name, f_mfcc, f_fft = _overhead_row(seconds)
        t_m, t_f = median_pair(f_mfcc, f_fft, repeat)
        ok = "" if t_m / t_f <= 1.25 else "  MISS"
        print(
            f"{name:38s} {t_m * 1e3:10.1f}  {'cepstra.fft.rfft':24s} {t_f * 1e3:9.1f} {t_m / t_f:7.2f} "
            f"{'<=1.25':>7s}{ok}   (mfcc time / FFT time)"
        )
        results.append(dict(workload=name, mfcc_s=t_m, fft_s=t_f, ratio=t_m / t_f, target="<=1.25"))
    if want("short"):
        from . import bench_short

        for r in bench_short.rows():
            ok = "" if r["overhead_share"] <= r["target"] else "  MISS"
            print(
                f"{r['workload']:38s} {r['call_s'] * 1e6:8.1f} us  {'fixed part of the call':24s} "
                f"{r['overhead_s'] * 1e6:7.1f} us {r['overhead_share'] * 100:6.1f}% {'<=20%':>7s}{ok}"
            )
            results.append(r)
    if want("threads"):
        for label, times in _scaling_rows(seconds, max(3, repeat // 2)):
            base = times[1]
            cells = "  ".join(f"{t} thr {v * 1e3:.1f} ms ({base / v:.2f}x)" for t, v in times.items())
            print(f"threads: {label:30s} {cells}")
            results.append(dict(workload=f"threads: {label}", times={str(k): v for k, v in times.items()}))
    if want("memory"):
        for name, peak, out_bytes in _memory_rows(seconds):
            print(
                f"memory: {name:29s} peak extra {peak / 1e6:7.1f} MB, output {out_bytes / 1e6:7.1f} MB "
                f"(target: extra <= output + O(threads x block))"
            )
            results.append(dict(workload=f"memory: {name}", peak_extra_bytes=peak, output_bytes=out_bytes))
    cepstra.set_num_threads(saved)
    if json_path:
        with open(json_path, "w") as fh:
            json.dump(results, fh, indent=2)
    return 0
