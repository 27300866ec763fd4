"""Mel spectrogram, MFCC and deltas (``librosa.feature`` equivalents).

``melspectrogram`` and ``mfcc`` on a signal run the fused C++ pipeline block by block: the
STFT is never stored, only the requested output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict, overload

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from .._engine import batching, configs, core, plans
from .._engine.batching import Result, SignalList
from .._engine.windows import WindowSpec

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack for **kwargs needs Python 3.11

_Array = npt.NDArray[Any]

__all__ = ["melspectrogram", "mfcc"]


# The keyword parameters of melspectrogram and mfcc besides y and S, typed once for their
# overloads (the implementations below hold the defaults, librosa's).
class _StftParams(TypedDict, total=False):
    n_fft: int
    hop_length: int | None
    win_length: int | None
    window: WindowSpec
    center: bool
    pad_mode: str


class _MelBandParams(TypedDict, total=False):
    sr: float
    power: float
    n_mels: int
    fmin: float
    fmax: float | None
    htk: bool


class MelParams(_StftParams, _MelBandParams, total=False):
    norm: str | float | None


class MfccParams(_StftParams, _MelBandParams, total=False):
    n_mfcc: int
    dct_type: int
    norm: str | None
    lifter: float
    mel_norm: str | float | None


class _DefaultNFFT(int):
    """librosa's default n_fft (2048), recognisable as "not given" by ``is``.

    ``melspectrogram(S=...)`` infers n_fft from S when the caller left it at the default (as
    librosa does) but raises when an explicit n_fft contradicts S (librosa would silently
    override it).
    """

    def __repr__(self) -> str:
        return "2048"


_N_FFT_DEFAULT = _DefaultNFFT(2048)


def _apply_rows(fn: Callable[[_Array], _Array], S: _Array) -> _Array:
    """fn on (rows, bins, frames), for S of any leading shape (..., bins, frames)."""
    lead = S.shape[:-2]
    rows = int(np.prod(lead)) if lead else 1
    out = fn(S.reshape((rows,) + S.shape[-2:]))
    result: _Array = out.reshape(lead + out.shape[1:])
    return result


@overload
def melspectrogram(*, y: SignalList, S: None = ..., **params: Unpack[MelParams]) -> list[_Array]: ...
@overload
def melspectrogram(*, y: _Array | None = ..., S: npt.ArrayLike | None = ..., **params: Unpack[MelParams]) -> _Array: ...
@overload
def melspectrogram(
    *, y: npt.ArrayLike | None = ..., S: npt.ArrayLike | None = ..., **params: Unpack[MelParams]
) -> Result: ...
def melspectrogram(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_fft: int = _N_FFT_DEFAULT,
    hop_length: int | None = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    power: float = 2.0,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
    norm: str | float | None = "slaney",
) -> Result:
    """Mel-scaled spectrogram, as ``librosa.feature.melspectrogram``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), float32 or float64, a list of such arrays, or None
        Audio signal. A list is a batch of independent signals of any lengths, computed in
        one parallel pass; the result is then a list.
    sr : float > 0
        Sampling rate of ``y``.
    S : np.ndarray, shape (..., 1 + n_fft // 2, t), or None
        A pre-computed (power) spectrogram to project instead of ``y``. If ``n_fft`` is left
        at its default it is inferred as ``2 * (S.shape[-2] - 1)``, as librosa does; an explicit
        ``n_fft`` that does not give ``1 + n_fft // 2`` bins raises (librosa overrides it).
    n_fft, hop_length, win_length, window, center, pad_mode
        STFT parameters, as :func:`cepstra.stft` (here ``hop_length`` defaults to 512).
    power : float > 0
        Exponent of the magnitude: 2 for power, 1 for energy.
    n_mels, fmin, fmax, htk, norm
        Mel filterbank parameters, as :func:`cepstra.filters.mel`. As in librosa, the
        filterbank is float32 even for float64 input.

    Returns
    -------
    S : np.ndarray, shape (..., n_mels, t), dtype of the input

    Overflow: a finite signal whose power overflows the dtype (float32 near its maximum, a huge
    spike) gives inf/NaN wherever librosa's result is inf/NaN, never a finite number computed
    from the overflow. Non-finite input samples are refused (ParameterError), as in librosa.
    """
    if y is not None:
        fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
        mel = configs.mel_config(sr, fr.n_fft, n_mels, fmin, fmax, htk, norm)
        cfg = configs.spectral_config("mel", fr, power=power, mel=mel)
        return batching.run_spectral(cfg, y, warn_stacklevel=2)
    S = V.spectrogram("S", S, "melspectrogram")
    n_fft = V.n_fft_of_spectrogram(S, None if n_fft is _N_FFT_DEFAULT else n_fft)
    mel = configs.mel_config(sr, n_fft, n_mels, fmin, fmax, htk, norm)
    if plans.mel_has_empty_band(mel):
        V.warn_empty_mel(stacklevel=2)
    return _apply_rows(plans.mel_filterbank(mel).project, S)


@overload
def mfcc(*, y: SignalList, S: None = ..., **params: Unpack[MfccParams]) -> list[_Array]: ...
@overload
def mfcc(*, y: _Array | None = ..., S: npt.ArrayLike | None = ..., **params: Unpack[MfccParams]) -> _Array: ...
@overload
def mfcc(*, y: npt.ArrayLike | None = ..., S: npt.ArrayLike | None = ..., **params: Unpack[MfccParams]) -> Result: ...
def mfcc(
    *,
    y: npt.ArrayLike | None = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    n_mfcc: int = 20,
    dct_type: int = 2,
    norm: str | None = "ortho",
    lifter: float = 0,
    mel_norm: str | float | None = "slaney",
    n_fft: int = 2048,
    hop_length: int | None = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    power: float = 2.0,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
) -> Result:
    """Mel-frequency cepstral coefficients, as ``librosa.feature.mfcc``.

    With ``y``: ``dct(power_to_db(melspectrogram(y, ...)), type=dct_type, norm=norm)[:n_mfcc]``,
    where ``power_to_db`` uses librosa's defaults (``ref=1``, ``amin=1e-10``, ``top_db=80``
    relative to the maximum over the whole array), then the lifter.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), float32 or float64, a list of such arrays, or None
        A list is a batch of independent signals (any lengths, each with its own top_db
        maximum), computed in one parallel pass; the result is then a list.
    sr : float > 0
    S : np.ndarray, shape (..., n_mels, t), or None
        A log-power (dB) mel spectrogram to transform instead of ``y``.
    n_mfcc : int, 0 < n_mfcc <= n_mels
    dct_type : {1, 2, 3}
    norm : {"ortho", None}
        DCT normalisation (scipy's definitions).
    lifter : float >= 0
        If > 0, coefficient ``n`` is scaled by ``1 + (lifter/2) sin(pi (n+1) / lifter)``.
    mel_norm : {"slaney", None} or number
        The mel filterbank norm.
    n_fft, hop_length, win_length, window, center, pad_mode, power, n_mels, fmin, fmax, htk
        As :func:`melspectrogram`.

    Returns
    -------
    M : np.ndarray, shape (..., n_mfcc, t), dtype of the input

    Overflow: a finite signal whose power overflows the dtype (float32 near its maximum, a huge
    spike) gives inf/NaN wherever librosa's result is inf/NaN (under top_db, every value: the
    floor is inf), never a finite number computed from the overflow. Non-finite input samples
    are refused (ParameterError), as in librosa.
    """
    if y is not None:
        fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
        mel = configs.mel_config(sr, fr.n_fft, n_mels, fmin, fmax, htk, mel_norm, norm_name="mel_norm")
        dct = configs.dct_config(n_mfcc, dct_type, norm, lifter, mel.n_mels)
        cfg = configs.spectral_config("mfcc", fr, power=power, mel=mel, dct=dct, top_db=80.0)
        return batching.run_spectral(cfg, y, warn_stacklevel=2)
    S = V.spectrogram("S", S, "mfcc")
    dct = configs.dct_config(n_mfcc, dct_type, norm, lifter, S.shape[-2])
    M = plans.dct_matrix(S.shape[-2], dct)
    return _apply_rows(lambda S3: core.matrix_apply(S3, M), S)
