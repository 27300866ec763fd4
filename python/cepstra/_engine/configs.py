"""One frozen, validated config type per option set.

Each config is what the public function, the reusable extractor, the plan cache and the binding
all read, so an option exists in exactly one place on the Python side: librosa's framing
(:class:`Framing`), the mel filterbank (:class:`MelConfig`), the DCT (:class:`DctConfig`), a
whole librosa-style spectral pipeline (:class:`SpectralConfig`), Kaldi's front ends
(:class:`FbankOptions`, :class:`MfccOptions`) and Whisper's (:func:`whisper_config`).
Building a config validates it (through :mod:`cepstra._validation`); a config that exists is valid.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, ClassVar, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from . import windows

_F64 = npt.NDArray[np.float64]
_P = ParamSpec("_P")
_R = TypeVar("_R")

# Builders called with the same arguments return the same config without validating again: on a
# 1 s clip the validation of a dozen parameters cost as much as a third of the C++ work. The key
# holds each argument's type too, so 2, 2.0, True and np.int64(2) stay apart (they validate
# differently); an unhashable argument (a window array or callable) just skips the memo, and a
# call that raises stores nothing. A callable argument (a window function) skips it too: it is
# called afresh each time, as before. Bounded, least recently used first out.
_MEMO_ENTRIES = 512


def memoized(build: Callable[_P, _R]) -> Callable[_P, _R]:
    cached: Callable[..., _R] = functools.lru_cache(maxsize=_MEMO_ENTRIES, typed=True)(build)

    @functools.wraps(build)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if any(callable(a) for a in args) or any(callable(v) for v in kwargs.values()):
            return build(*args, **kwargs)
        try:
            return cached(*args, **kwargs)
        except TypeError:  # an unhashable argument, or the builder's own TypeError (raised again)
            return build(*args, **kwargs)

    return wrapper


class _CachedHash:
    """Frozen configs are dictionary keys on every call (the plan cache); hashing one walks its
    nested configs, so each keeps the hash it was born with (its fields never change). What is
    kept is left out of a pickle: string hashes differ between processes (Ray workers)."""

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_hash", "_plan_key")}

    def __hash__(self) -> int:
        h: int | None = self.__dict__.get("_hash")
        if h is None:
            h = hash(tuple(getattr(self, f.name) for f in dataclasses.fields(self) if f.compare))  # type: ignore[arg-type]
            object.__setattr__(self, "_hash", h)
        return h


@dataclass(frozen=True)
class Framing(_CachedHash):
    """librosa's STFT framing; ``window`` is the length-``n_fft`` centre-padded analysis window,
    identified for caching by ``window_key`` (its name, or its bytes)."""

    __hash__ = _CachedHash.__hash__  # kept by @dataclass (an explicit __hash__ is not replaced)

    n_fft: int
    hop: int
    win_length: int
    center: bool
    pad_mode: str
    window_key: Hashable
    window: _F64 = field(compare=False, repr=False)


@memoized
def framing(
    n_fft: int, hop_length: int | None, win_length: int | None, window: windows.WindowSpec, center: bool, pad_mode: str
) -> Framing:
    n_fft, hop, win_length, center, pad_mode = V.framing(n_fft, hop_length, win_length, center, pad_mode)
    w, key = windows.analysis_window(window, win_length, n_fft)
    return Framing(n_fft, hop, win_length, center, pad_mode, key, w)


@dataclass(frozen=True)
class MelConfig(_CachedHash):
    """librosa's mel filterbank (``filters.mel``) for an ``n_fft``-point spectrum."""

    __hash__ = _CachedHash.__hash__  # kept by @dataclass (an explicit __hash__ is not replaced)

    sr: float
    n_fft: int
    n_mels: int
    fmin: float
    fmax: float
    htk: bool
    norm_kind: str  # "slaney", "none" or "lp"
    p: float  # the Lp norm's exponent (norm_kind == "lp")


@memoized
def mel_config(
    sr: float,
    n_fft: int,
    n_mels: int,
    fmin: float,
    fmax: float | None,
    htk: bool,
    norm: str | float | None,
    norm_name: str = "norm",
) -> MelConfig:
    return MelConfig(*V.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm, norm_name))


@dataclass(frozen=True)
class DctConfig(_CachedHash):
    __hash__ = _CachedHash.__hash__  # kept by @dataclass (an explicit __hash__ is not replaced)

    n_mfcc: int
    dct_type: int
    norm: str | None
    lifter: float


@memoized
def dct_config(n_mfcc: int, dct_type: int, norm: str | None, lifter: float, n_mels: int) -> DctConfig:
    return DctConfig(*V.dct(n_mfcc, dct_type, norm, lifter, n_mels))


@dataclass(frozen=True)
class SpectralConfig(_CachedHash):
    """One librosa-style pipeline: ``stage`` "stft", "mel" (``|X|**power`` through ``mel``) or
    "mfcc" (then dB, floored ``top_db`` below the maximum unless None, then ``dct``)."""

    __hash__ = _CachedHash.__hash__  # kept by @dataclass (an explicit __hash__ is not replaced)

    stage: str
    framing: Framing
    power: float = 2.0
    mel: MelConfig | None = None
    dct: DctConfig | None = None
    top_db: float | None = None


@memoized
def spectral_config(
    stage: str,
    fr: Framing,
    *,
    power: float = 2.0,
    mel: MelConfig | None = None,
    dct: DctConfig | None = None,
    top_db: float | None = None,
) -> SpectralConfig:
    power = V.real_number("power", power, minimum=0.0, strict=True)
    if top_db is not None:
        top_db = V.real_number("top_db", top_db, minimum=0.0)
    return SpectralConfig(stage, fr, power, mel, dct, top_db)


@dataclass(frozen=True, kw_only=True)
class KaldiOptions(_CachedHash):
    """The options Kaldi's fbank and MFCC share, with torchaudio's defaults: the one list of them.

    The public ``kaldi.fbank``/``Fbank``/``kaldi.mfcc``/``Mfcc`` take exactly the fields of
    :class:`FbankOptions` / :class:`MfccOptions` as keyword arguments (their signatures are
    generated from these classes), and :meth:`plan_fields` is what the binding receives.
    """

    __hash__ = _CachedHash.__hash__

    sample_frequency: float = 16000.0
    frame_length: float = 25.0
    frame_shift: float = 10.0
    dither: float = 0.0
    seed: int | None = None
    preemphasis_coefficient: float = 0.97
    remove_dc_offset: bool = True
    window_type: str = "povey"
    blackman_coeff: float = 0.42
    round_to_power_of_two: bool = True
    snip_edges: bool = True
    num_mel_bins: int = 23
    low_freq: float = 20.0
    high_freq: float = 0.0
    vtln_low: float = 100.0
    vtln_high: float = -500.0
    vtln_warp: float = 1.0
    use_energy: bool = False
    raw_energy: bool = True
    energy_floor: float = 1.0
    htk_compat: bool = False
    subtract_mean: bool = False

    # Options of the Python wrapper only (the C++ plan never sees them).
    _NOT_PLANNED: ClassVar[tuple[str, ...]] = ("seed", "subtract_mean", "vtln_low", "vtln_high", "vtln_warp")

    def __post_init__(self) -> None:
        for k, v in V.kaldi_options(self._fields(), mfcc=isinstance(self, MfccOptions)).items():
            object.__setattr__(self, k, v)

    def _fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def plan_fields(self) -> dict[str, Any]:
        """The options the C++ plan is built from (bind_kaldi.cc maps each name to its field)."""
        d = {k: v for k, v in self._fields().items() if k not in self._NOT_PLANNED}
        d["mfcc"] = isinstance(self, MfccOptions)
        if d["mfcc"]:
            d.update(use_log_fbank=True, use_power=True)
        return d

    def plan_key(self) -> KaldiOptions:
        """These options without the ones the plan ignores: equal keys share one plan. Kept on
        the object after the first call (replace() validates every option again: on a 1 s clip
        that was as slow as the C++ work)."""
        key: KaldiOptions | None = self.__dict__.get("_plan_key")
        if key is None:
            key = dataclasses.replace(self, seed=None, subtract_mean=False)
            object.__setattr__(self, "_plan_key", key)
        return key


@dataclass(frozen=True, kw_only=True)
class FbankOptions(KaldiOptions):
    __hash__ = _CachedHash.__hash__

    use_log_fbank: bool = True
    use_power: bool = True


@dataclass(frozen=True, kw_only=True)
class MfccOptions(KaldiOptions):
    __hash__ = _CachedHash.__hash__

    num_ceps: int = 13
    cepstral_lifter: float = 22.0


# Whisper's fixed front end (whisper/audio.py): 16 kHz, 25 ms Hann frames every 10 ms, centred
# with reflect padding, power spectrum, librosa's Slaney mel filters.
WHISPER_SAMPLE_RATE = 16000
WHISPER_N_FFT = 400
WHISPER_HOP_LENGTH = 160


def whisper_config(n_mels: int) -> SpectralConfig:
    n_mels = V.whisper_n_mels(n_mels)
    fr = framing(WHISPER_N_FFT, WHISPER_HOP_LENGTH, None, "hann", True, "reflect")
    mel = mel_config(WHISPER_SAMPLE_RATE, WHISPER_N_FFT, n_mels, 0.0, None, False, "slaney")
    return spectral_config("mel", fr, mel=mel)
