"""pytest plugin (``-p cepstra_librosa_patch``): librosa's functions replaced by cepstra's.

At import, every function that cepstra provides (checked with ``hasattr`` on the table below,
so the gate grows as functions land) is rebound in every ``librosa.*`` module that binds the
original object, so librosa's own internal calls (``melspectrogram`` -> ``stft``, ``onset``
-> ``melspectrogram`` ...) run on cepstra too.

cepstra.ParameterError derives from ValueError and cannot derive from librosa's
ParameterError (that would import librosa; librosa's derives from Exception only). The wrappers
re-raise it as a class derived from both, so ``pytest.raises(librosa.ParameterError)`` and
``xfail(raises=ValueError)`` in librosa's tests both see what they expect. Nothing else is
translated.
"""

from __future__ import annotations

import collections
import functools
import importlib
import pkgutil
import sys
from collections.abc import Callable
from typing import Any

import cepstra
import librosa
import librosa.util.exceptions

# (librosa's public path, cepstra's path relative to the package). A row whose cepstra side
# does not exist yet is ignored, so future functions need no change here.
TABLE: tuple[tuple[str, str], ...] = (
    # spectrum
    ("librosa.stft", "stft"),
    ("librosa.istft", "istft"),
    ("librosa.power_to_db", "power_to_db"),
    ("librosa.amplitude_to_db", "amplitude_to_db"),
    ("librosa.db_to_power", "db_to_power"),
    ("librosa.db_to_amplitude", "db_to_amplitude"),
    ("librosa.griffinlim", "griffinlim"),
    # unit conversions and grids
    ("librosa.hz_to_mel", "hz_to_mel"),
    ("librosa.mel_to_hz", "mel_to_hz"),
    ("librosa.mel_frequencies", "mel_frequencies"),
    ("librosa.fft_frequencies", "fft_frequencies"),
    ("librosa.frames_to_time", "frames_to_time"),
    ("librosa.time_to_frames", "time_to_frames"),
    ("librosa.frames_to_samples", "frames_to_samples"),
    ("librosa.samples_to_frames", "samples_to_frames"),
    ("librosa.samples_to_time", "samples_to_time"),
    ("librosa.time_to_samples", "time_to_samples"),
    ("librosa.times_like", "times_like"),
    ("librosa.samples_like", "samples_like"),
    # pitch
    ("librosa.estimate_tuning", "estimate_tuning"),
    ("librosa.pitch_tuning", "pitch_tuning"),
    ("librosa.piptrack", "piptrack"),
    # filters
    ("librosa.filters.mel", "filters.mel"),
    ("librosa.filters.get_window", "filters.get_window"),
    ("librosa.filters.chroma", "filters.chroma"),
    # features
    ("librosa.feature.melspectrogram", "feature.melspectrogram"),
    ("librosa.feature.mfcc", "feature.mfcc"),
    ("librosa.feature.delta", "feature.delta"),
    ("librosa.feature.stack_memory", "feature.stack_memory"),
    ("librosa.feature.rms", "feature.rms"),
    ("librosa.feature.zero_crossing_rate", "feature.zero_crossing_rate"),
    ("librosa.feature.spectral_centroid", "feature.spectral_centroid"),
    ("librosa.feature.spectral_bandwidth", "feature.spectral_bandwidth"),
    ("librosa.feature.spectral_rolloff", "feature.spectral_rolloff"),
    ("librosa.feature.spectral_contrast", "feature.spectral_contrast"),
    ("librosa.feature.spectral_flatness", "feature.spectral_flatness"),
    ("librosa.feature.poly_features", "feature.poly_features"),
    ("librosa.feature.chroma_stft", "feature.chroma_stft"),
    ("librosa.feature.tempo", "feature.tempo"),
    ("librosa.feature.tempogram", "feature.tempogram"),
    ("librosa.feature.fourier_tempogram", "feature.fourier_tempogram"),
    ("librosa.feature.inverse.mel_to_stft", "feature.mel_to_stft"),
    ("librosa.feature.inverse.mel_to_audio", "feature.mel_to_audio"),
    ("librosa.feature.inverse.mfcc_to_mel", "feature.mfcc_to_mel"),
    ("librosa.feature.inverse.mfcc_to_audio", "feature.mfcc_to_audio"),
    # onsets, beats, separation
    ("librosa.onset.onset_strength", "onset.onset_strength"),
    ("librosa.onset.onset_strength_multi", "onset.onset_strength_multi"),
    ("librosa.onset.onset_detect", "onset.onset_detect"),
    ("librosa.onset.onset_backtrack", "onset.onset_backtrack"),
    ("librosa.beat.beat_track", "beat.beat_track"),
    ("librosa.beat.plp", "beat.plp"),
    ("librosa.decompose.hpss", "decompose.hpss"),
    ("librosa.effects.hpss", "effects.hpss"),
    ("librosa.effects.harmonic", "effects.harmonic"),
    ("librosa.effects.percussive", "effects.percussive"),
    # util
    ("librosa.util.frame", "util.frame"),
    ("librosa.util.pad_center", "util.pad_center"),
    ("librosa.util.fix_length", "util.fix_length"),
)

# Calls per librosa name, read by the recording plugin (which tests reached cepstra).
CALLS: collections.Counter[str] = collections.Counter()
PATCHED: dict[str, str] = {}  # librosa path -> cepstra path, for the run's header


def _resolve(root: Any, dotted: str) -> Any:
    obj = root
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class GateParameterError(librosa.util.exceptions.ParameterError, cepstra.ParameterError):
    """cepstra's ParameterError as librosa's tests see it: both librosa's class and a ValueError."""


def _wrap(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        CALLS[name] += 1
        try:
            return fn(*args, **kwargs)
        except cepstra.ParameterError as e:
            raise GateParameterError(str(e)) from e

    call.__cepstra_gate__ = True  # type: ignore[attr-defined]
    return call


def _import_all_librosa() -> None:
    # librosa loads its submodules lazily: import them all so every binding is visible.
    for info in pkgutil.walk_packages(librosa.__path__, "librosa."):
        if ".tests" in info.name or info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # noqa: BLE001, S110 - an optional dependency of one submodule: nothing of ours there
            pass


def install() -> None:
    _import_all_librosa()
    originals: dict[int, Callable[..., Any]] = {}
    for lpath, cpath in TABLE:
        target = _resolve(cepstra, cpath)
        original = _resolve(librosa, lpath.removeprefix("librosa."))
        if target is None or original is None or getattr(original, "__cepstra_gate__", False):
            continue
        originals[id(original)] = _wrap(target, lpath)
        PATCHED[lpath] = "cepstra." + cpath
    for modname, mod in list(sys.modules.items()):
        if not (modname == "librosa" or modname.startswith("librosa.")) or mod is None:
            continue
        for attr, value in list(vars(mod).items()):
            repl = originals.get(id(value))
            if repl is not None and callable(value):
                setattr(mod, attr, repl)


install()


def pytest_report_header(config: Any) -> list[str]:
    return [f"cepstra {cepstra.__version__} ({cepstra.__file__}) patched into librosa {librosa.__version__}: "
            + ", ".join(sorted(PATCHED))]
