"""Mel spectrogram, MFCC and deltas (``librosa.feature`` equivalents).

``melspectrogram`` and ``mfcc`` on a signal run the fused C++ pipeline block by block: the
STFT is never stored, only the requested output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from .. import _core
from .. import _plans
from .. import _validation as V

from ..exceptions import ParameterError
from ..filters import WindowSpec, _mel_cached

_Array = npt.NDArray[Any]
# A batch of independent signals (any lengths): the result is then a list.
SignalList = list[npt.NDArray[Any]] | tuple[npt.NDArray[Any], ...]
Result = _plans.Result

__all__ = ["melspectrogram", "mfcc"]


class _DefaultNFFT(int):
    """librosa's default n_fft (2048), recognisable as "not given" by ``is``.

    ``melspectrogram(S=...)`` infers n_fft from S when the caller left it at the default (as
    librosa does) but raises when an explicit n_fft contradicts S (librosa would silently
    override it).
    """

    def __repr__(self) -> str:
        return "2048"


_N_FFT_DEFAULT = _DefaultNFFT(2048)


def _spectrum_input(name: str, S: npt.ArrayLike, min_ndim: int = 2) -> _Array:
    S = V.float_array(name, S, min_ndim=min_ndim)
    if S.shape[-1] < 1 or S.shape[-2] < 1:
        raise ParameterError(f"{name} is empty (shape={S.shape})")
    V.finite(name, S)
    return S


def _apply_rows(fn: Callable[[_Array, _Array], _Array], S: _Array, matrix: _Array) -> _Array:
    lead = S.shape[:-2]
    rows = int(np.prod(lead)) if lead else 1
    out = fn(S.reshape((rows,) + S.shape[-2:]), matrix)
    return out.reshape(lead + out.shape[1:])


@overload
def melspectrogram(
    *, y: SignalList, sr: float = ..., S: npt.ArrayLike | None = ..., n_fft: int = ..., hop_length: int | None = ...,
    win_length: int | None = ..., window: WindowSpec = ..., center: bool = ..., pad_mode: str = ..., power: float = ...,
    n_mels: int = ..., fmin: float = ..., fmax: float | None = ..., htk: bool = ..., norm: str | float | None = ...,
) -> list[npt.NDArray[Any]]: ...
@overload
def melspectrogram(
    *, y: npt.NDArray[Any] | None = ..., sr: float = ..., S: npt.ArrayLike | None = ..., n_fft: int = ..., hop_length: int | None = ...,
    win_length: int | None = ..., window: WindowSpec = ..., center: bool = ..., pad_mode: str = ..., power: float = ...,
    n_mels: int = ..., fmin: float = ..., fmax: float | None = ..., htk: bool = ..., norm: str | float | None = ...,
) -> npt.NDArray[Any]: ...
@overload
def melspectrogram(
    *, y: npt.ArrayLike | None = ..., sr: float = ..., S: npt.ArrayLike | None = ..., n_fft: int = ..., hop_length: int | None = ...,
    win_length: int | None = ..., window: WindowSpec = ..., center: bool = ..., pad_mode: str = ..., power: float = ...,
    n_mels: int = ..., fmin: float = ..., fmax: float | None = ..., htk: bool = ..., norm: str | float | None = ...,
) -> Result: ...
def melspectrogram(*, y: npt.ArrayLike | None = None, sr: float = 22050, S: npt.ArrayLike | None = None,
                   n_fft: int = _N_FFT_DEFAULT, hop_length: int | None = 512, win_length: int | None = None,
                   window: WindowSpec = "hann", center: bool = True, pad_mode: str = "constant", power: float = 2.0,
                   n_mels: int = 128, fmin: float = 0.0, fmax: float | None = None, htk: bool = False,
                   norm: str | float | None = "slaney") -> Result:
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
    """
    if y is not None:
        fr = _plans.framing(n_fft, hop_length, win_length, window, center, pad_mode)
        mel = _plans.mel_config(sr, fr.n_fft, n_mels, fmin, fmax, htk, norm, power)
        return _plans.compute(lambda dtype: _plans.plan(dtype, "mel", fr, mel), y, fr)
    if S is None:
        raise ParameterError("melspectrogram needs y or S (both are None)")
    S = _spectrum_input("S", S)
    if n_fft is _N_FFT_DEFAULT:
        n_fft = 2 * (S.shape[-2] - 1)
    n_fft = V.positive_int("n_fft", n_fft, maximum=V.MAX_N_FFT)
    if S.shape[-2] != n_fft // 2 + 1:
        raise ParameterError(f"S has {S.shape[-2]} frequency bins, which does not fit n_fft={n_fft} "
                             f"(expected {n_fft // 2 + 1})")
    mel = _plans.mel_config(sr, n_fft, n_mels, fmin, fmax, htk, norm, 2.0)
    dense, _ = _mel_cached(mel.sr, n_fft, mel.n_mels, mel.fmin, mel.fmax, mel.htk, mel.norm_kind, mel.p, True)
    return _apply_rows(_core.mel_project, S, dense)


@overload
def mfcc(
    *, y: SignalList, sr: float = ..., S: npt.ArrayLike | None = ..., n_mfcc: int = ..., dct_type: int = ...,
    norm: str | None = ..., lifter: float = ..., mel_norm: str | float | None = ..., n_fft: int = ...,
    hop_length: int | None = ..., win_length: int | None = ..., window: WindowSpec = ..., center: bool = ...,
    pad_mode: str = ..., power: float = ..., n_mels: int = ..., fmin: float = ..., fmax: float | None = ...,
    htk: bool = ...,
) -> list[npt.NDArray[Any]]: ...
@overload
def mfcc(
    *, y: npt.NDArray[Any] | None = ..., sr: float = ..., S: npt.ArrayLike | None = ..., n_mfcc: int = ..., dct_type: int = ...,
    norm: str | None = ..., lifter: float = ..., mel_norm: str | float | None = ..., n_fft: int = ...,
    hop_length: int | None = ..., win_length: int | None = ..., window: WindowSpec = ..., center: bool = ...,
    pad_mode: str = ..., power: float = ..., n_mels: int = ..., fmin: float = ..., fmax: float | None = ...,
    htk: bool = ...,
) -> npt.NDArray[Any]: ...
@overload
def mfcc(
    *, y: npt.ArrayLike | None = ..., sr: float = ..., S: npt.ArrayLike | None = ..., n_mfcc: int = ..., dct_type: int = ...,
    norm: str | None = ..., lifter: float = ..., mel_norm: str | float | None = ..., n_fft: int = ...,
    hop_length: int | None = ..., win_length: int | None = ..., window: WindowSpec = ..., center: bool = ...,
    pad_mode: str = ..., power: float = ..., n_mels: int = ..., fmin: float = ..., fmax: float | None = ...,
    htk: bool = ...,
) -> Result: ...
def mfcc(*, y: npt.ArrayLike | None = None, sr: float = 22050, S: npt.ArrayLike | None = None, n_mfcc: int = 20,
         dct_type: int = 2, norm: str | None = "ortho", lifter: float = 0, mel_norm: str | float | None = "slaney",
         n_fft: int = 2048, hop_length: int | None = 512, win_length: int | None = None, window: WindowSpec = "hann",
         center: bool = True, pad_mode: str = "constant", power: float = 2.0, n_mels: int = 128, fmin: float = 0.0,
         fmax: float | None = None, htk: bool = False) -> Result:
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
    """
    if y is not None:
        fr = _plans.framing(n_fft, hop_length, win_length, window, center, pad_mode)
        mel = _plans.mel_config(sr, fr.n_fft, n_mels, fmin, fmax, htk, mel_norm, power, norm_name="mel_norm")
        dct = _plans.dct_config(n_mfcc, dct_type, norm, lifter, mel.n_mels)
        return _plans.compute(lambda dtype: _plans.plan(dtype, "mfcc", fr, mel, dct, top_db=80.0), y, fr)
    if S is None:
        raise ParameterError("mfcc needs y or S (both are None)")
    S = _spectrum_input("S", S)
    dct = _plans.dct_config(n_mfcc, dct_type, norm, lifter, S.shape[-2])
    return _apply_rows(_core.matrix_apply, S, _plans.dct_matrix(S.shape[-2], dct))
