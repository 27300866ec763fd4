"""Many features from one STFT pass (:class:`Features`) and per-file summaries (:func:`summary`).

librosa computes one STFT per call (and ``chroma_stft`` recomputes its own); a GTZAN-style
feature set therefore transforms every clip half a dozen times. :class:`Features` computes the
magnitude spectrogram once and derives every requested spectral feature from it (through the
same functions, given ``S=``), so each result equals the separate call. It keeps only what the
requested features need: no spectrogram at all for ``rms``/``zero_crossing_rate`` alone, the
power spectrogram only when chroma or mel features are asked for, and nothing between calls.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from ..exceptions import ParameterError
from ..spectrum import power_to_db
from . import _common as C
from . import _fast
from .spectral import melspectrogram, mfcc

_Array = npt.NDArray[Any]

__all__ = ["Features", "summary"]

# Features derived from the magnitude |X| (power 1) / the power |X|**2 of the shared STFT.
_MAGNITUDE = (
    "spectral_centroid",
    "spectral_bandwidth",
    "spectral_rolloff",
    "spectral_contrast",
    "spectral_flatness",
    "poly_features",
)
_POWER = ("chroma_stft", "melspectrogram", "mfcc")
_TIME = ("rms", "zero_crossing_rate")
_STFT_PARAMS = ("n_fft", "hop_length", "win_length", "window", "center", "pad_mode")
# The fused engine pass computes these four from |X| without storing the spectrogram.
_FUSED = {
    "spectral_centroid": "centroid",
    "spectral_bandwidth": "bandwidth",
    "spectral_rolloff": "rolloff",
    "spectral_flatness": "flatness",
}


def _function(name: str) -> Callable[..., Any]:
    from .. import feature

    fn = getattr(feature, name, None) if isinstance(name, str) and not name.startswith("_") else None
    if fn is None or not callable(fn) or name in ("Features", "summary", "delta", "stack_memory"):
        raise ParameterError(f"names: {name!r} is not a cepstra.feature function computed from a signal")
    return fn  # type: ignore[no-any-return]


def _accepted(fn: Callable[..., Any]) -> set[str]:
    return {
        p.name
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name not in ("y", "S")
    }


class Features:
    """Compute several ``cepstra.feature`` functions of a signal from one STFT.

    Parameters
    ----------
    names : sequence of str
        Feature function names, e.g. ``["chroma_stft", "rms", "spectral_centroid",
        "spectral_bandwidth", "spectral_rolloff", "zero_crossing_rate", "mfcc"]``. Any other
        ``cepstra.feature`` function that takes ``y`` is called on the signal as is.
    sr : float > 0
    **params
        Parameters handed to every requested feature that accepts them (``n_fft``,
        ``hop_length``, ``n_mfcc``, ``roll_percent``, ...). ``rms`` and
        ``zero_crossing_rate`` take ``n_fft`` as their ``frame_length`` unless
        ``frame_length`` is given. A parameter that no requested feature accepts raises.

    Calling the object on ``y`` (shape (..., n), float32 or float64) returns a dict from each
    name to what ``cepstra.feature.<name>(y=y, sr=sr, **params)`` returns; a list of signals
    gives a list of dicts.

    Examples
    --------
    >>> ex = cepstra.Features(["chroma_stft", "rms", "spectral_centroid", "mfcc"], sr=22050)
    >>> out = ex(y)                          # {"chroma_stft": (12, t), "rms": (1, t), ...}
    >>> vec = cepstra.feature.summary(out)   # {"chroma_stft_mean": (12,), ...}
    """

    def __init__(self, names: Sequence[str], sr: float = 22050, **params: Any) -> None:
        if isinstance(names, str) or not isinstance(names, Iterable):
            raise ParameterError(f"names={names!r} must be a list of feature names")
        self.names: tuple[str, ...] = tuple(names)
        if not self.names:
            raise ParameterError("names is empty")
        if len(set(self.names)) != len(self.names):
            raise ParameterError(f"names={list(self.names)!r} has duplicates")
        self.sr = V.real_number("sr", sr, minimum=0.0, strict=True)
        self._fns = {n: _function(n) for n in self.names}
        params = dict(params)
        if "frame_length" not in params and any(n in _TIME for n in self.names):
            params["frame_length"] = params.get("n_fft", 2048)
        used: set[str] = set()
        self._kwargs: dict[str, dict[str, Any]] = {}
        for n, fn in self._fns.items():
            acc = _accepted(fn)
            self._kwargs[n] = {k: v for k, v in params.items() if k in acc}
            if "sr" in acc:
                self._kwargs[n]["sr"] = self.sr
            used |= acc
        unknown = sorted(set(params) - used - {"frame_length"})
        if unknown:
            raise ParameterError(f"parameter(s) {unknown} are not accepted by any of {list(self.names)}")
        self.params = params
        self.hop_length = int(params.get("hop_length", 512))
        stft_params: dict[str, Any] = {
            "n_fft": 2048,
            "hop_length": 512,
            "win_length": None,
            "window": "hann",
            "center": True,
            "pad_mode": "constant",
        }
        stft_params.update({k: v for k, v in params.items() if k in _STFT_PARAMS})
        self._stft = stft_params

    def __repr__(self) -> str:
        return f"Features({list(self.names)!r}, sr={self.sr!r}, **{self.params!r})"

    def __call__(self, y: Any) -> Any:
        if C.is_list(y):
            return [self._one(V.signal(f"y[{i}]", e)) for i, e in enumerate(y)]
        return self._one(V.signal("y", y))

    def _one(self, y: _Array) -> dict[str, _Array]:
        out: dict[str, _Array] = {}
        names = self.names
        mags = [n for n in names if n in _MAGNITUDE]
        powers = [n for n in names if n in _POWER]
        # The fused engine pass for the descriptors it knows, when they use default extras.
        fused = [n for n in mags if n in _FUSED and self._fusable(n)]
        if fused:
            res = _fast.spectral(y, tuple(_FUSED[n] for n in fused), **self._fused_args())
            if res is not None:
                for n in fused:
                    out[n] = res[_FUSED[n]]
                mags = [n for n in mags if n not in out]
        S = P = None
        tuning = None
        if powers:
            # The engine's pass gives the power spectrogram (librosa's rounding) and, for
            # chroma, the tuning estimate from piptrack peaks found on the way.
            want_tuning = "chroma_stft" in powers and self._kwargs["chroma_stft"].get("tuning") is None
            n_chroma = self._kwargs["chroma_stft"].get("n_chroma", 12) if "chroma_stft" in powers else 12
            fast = _fast.power_and_tuning(
                y, sr=self.sr, estimate=want_tuning, bins_per_octave=V.positive_int("n_chroma", n_chroma), **self._stft
            )
            if fast is not None:
                P, tuning = fast
        if mags or (powers and P is None) or any(self._kwargs[n].get("power", 2.0) != 2.0 for n in powers):
            S = C.stft_magnitude(
                y,
                self._stft["n_fft"],
                self._stft["hop_length"],
                self._stft["win_length"],
                self._stft["window"],
                self._stft["center"],
                self._stft["pad_mode"],
                1.0,
            )
        for n in mags:
            out[n] = self._fns[n](S=S, **self._kwargs[n])
        if powers and P is None:
            assert S is not None
            P = S * S  # what |X|**2 gives, in S's precision
        for n in powers:
            kw = self._kwargs[n]
            if n == "chroma_stft":
                ckw = dict(kw)
                if tuning is not None:
                    ckw["tuning"] = tuning
                out[n] = self._fns[n](S=P, **ckw)
                continue
            power = kw.get("power", 2.0)
            src = P if power == 2.0 else S**power
            mel_kw = {k: v for k, v in kw.items() if k in ("sr", "n_fft", "n_mels", "fmin", "fmax", "htk")}
            if n == "melspectrogram":
                if "norm" in kw:
                    mel_kw["norm"] = kw["norm"]
                out[n] = melspectrogram(S=src, **mel_kw)
            else:
                if "mel_norm" in kw:
                    mel_kw["norm"] = kw["mel_norm"]
                dct_kw = {k: v for k, v in kw.items() if k in ("n_mfcc", "dct_type", "norm", "lifter")}
                out[n] = mfcc(S=power_to_db(melspectrogram(S=src, **mel_kw)), **dct_kw)
        del S, P
        for n in names:
            if n in _TIME:
                kw = dict(self._kwargs[n])
                if n == "rms":
                    out[n] = self._fns[n](y=y, **kw)
                else:
                    out[n] = self._fns[n](y, **kw)
            elif n not in out:
                out[n] = self._fns[n](y=y, **self._kwargs[n])
        return {n: out[n] for n in names}

    def _fusable(self, name: str) -> bool:
        kw = self._kwargs[name]
        if kw.get("freq") is not None or kw.get("centroid") is not None:
            return False
        if name == "spectral_bandwidth" and (kw.get("p", 2) != 2 or kw.get("norm", True) is not True):
            return False
        if name == "spectral_flatness" and kw.get("power", 2.0) != 2.0:
            return False
        return True

    def _fused_args(self) -> dict[str, Any]:
        kw: dict[str, Any] = dict(self._stft, sr=self.sr)
        if "roll_percent" in self.params:
            kw["roll_percent"] = self.params["roll_percent"]
        if "amin" in self.params:
            kw["amin"] = self.params["amin"]
        return kw


_STATS: dict[str, Callable[..., _Array]] = {
    "mean": np.mean,
    "var": np.var,
    "std": np.std,
    "min": np.min,
    "max": np.max,
    "median": np.median,
}


def summary(features: Mapping[str, Any], stats: Sequence[str] = ("mean", "var")) -> dict[str, _Array]:
    """Flat per-file statistics of frame-wise features (GTZAN-style feature vectors).

    Parameters
    ----------
    features : mapping from name to np.ndarray
        E.g. the output of :class:`Features`. Arrays of shape (..., d, t) are summarised over
        time (the last axis); arrays with fewer than two axes (a tempo, a scalar) are passed
        through.
    stats : sequence of {"mean", "var", "std", "min", "max", "median"}

    Returns
    -------
    summary : dict from ``"<name>_<stat>"`` (or ``"<name>"`` for a pass-through) to a 1-D
        float64 array of length ``prod(shape[:-1])``, in the order of ``features`` then
        ``stats``. ``np.concatenate(list(summary(f).values()))`` is the flat vector.
    """
    if not isinstance(features, Mapping):
        raise ParameterError(f"features must be a dict of arrays, got {type(features).__name__}")
    if isinstance(stats, str):
        stats = (stats,)
    for s in stats:
        if s not in _STATS:
            raise ParameterError(f"stats: {s!r} is not supported; expected one of {', '.join(map(repr, _STATS))}")
    out: dict[str, _Array] = {}
    for name, value in features.items():
        a = np.asarray(value)
        if a.dtype.kind not in "iufb":
            raise ParameterError(f"features[{name!r}] must be a real array, got dtype={a.dtype}")
        if a.ndim < 2:
            out[str(name)] = a.astype(np.float64).ravel()
            continue
        if a.shape[-1] == 0:
            raise ParameterError(f"features[{name!r}] has no frames (shape={a.shape})")
        for s in stats:
            out[f"{name}_{s}"] = np.asarray(_STATS[s](a.astype(np.float64), axis=-1)).ravel()
    return out
