"""Unit conversions: Hz <-> mel, frequency grids, and decibels back to linear scale.

Results follow ``librosa`` 0.11 exactly (same formulae, same evaluation order, same
output dtypes), so that cepstra can be swapped in for librosa without changing
numerics downstream.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from . import _validation as V

__all__ = [
    "hz_to_mel",
    "mel_to_hz",
    "mel_frequencies",
    "fft_frequencies",
    "db_to_power",
    "db_to_amplitude",
]

# Slaney (Auditory Toolbox) mel scale: linear up to 1 kHz, logarithmic above.
_F_SP = 200.0 / 3  # Hz per mel in the linear region
_MIN_LOG_HZ = 1000.0  # start of the log region
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP  # = 15 mels
# Kept as a numpy float64 (not a Python float) on purpose: for 0-d float32 input in
# the log region librosa's result is promoted to float64 through this constant, and
# matching that promotion keeps our output dtypes identical to librosa's.
_LOGSTEP = np.log(6.4) / 27.0  # mels per log-Hz step above 1 kHz


# Scalars in, numpy scalar out; arrays (or sequences) in, arrays out.
_Scalar = float | np.floating[Any] | np.integer[Any]
_ArrayIn = npt.NDArray[Any] | Sequence[Any]


@overload
def hz_to_mel(frequencies: _Scalar, *, htk: bool = ...) -> np.floating[Any]: ...
@overload
def hz_to_mel(frequencies: _ArrayIn, *, htk: bool = ...) -> npt.NDArray[np.floating[Any]]: ...
@overload
def hz_to_mel(frequencies: npt.ArrayLike, *, htk: bool = ...) -> Any: ...
def hz_to_mel(frequencies: npt.ArrayLike, *, htk: bool = False) -> Any:
    """Convert frequencies in Hz to mels.

    Parameters
    ----------
    frequencies : float or array_like, shape (...)
        Frequencies in Hz. Negative values are accepted and map onto the (negative)
        linear part of the scale, as in librosa.
    htk : bool
        If True use the HTK formula ``2595 * log10(1 + f / 700)``; otherwise the
        Slaney scale (linear ``f / (200/3)`` below 1 kHz, logarithmic above).

    Returns
    -------
    mels : numpy scalar or np.ndarray, shape (...)
        Same shape as ``frequencies``; a numpy scalar for scalar / 0-d input.
        Floating input keeps its dtype (float16/float32/float64); integer input
        gives float64. As in librosa, a 0-d input in the Slaney log region is
        computed in, and returned as, float64.
    """
    frequencies = np.asanyarray(frequencies)
    mels: Any

    if V.boolean("htk", htk):
        return 2595.0 * np.log10(1.0 + frequencies / 700.0)

    mels = frequencies / _F_SP

    if frequencies.ndim:
        log_t = frequencies >= _MIN_LOG_HZ
        # The assignment casts back into ``mels``' dtype, so array outputs keep the
        # input precision even though _LOGSTEP is float64.
        mels[log_t] = _MIN_LOG_MEL + np.log(frequencies[log_t] / _MIN_LOG_HZ) / _LOGSTEP
    elif frequencies >= _MIN_LOG_HZ:
        mels = _MIN_LOG_MEL + np.log(frequencies / _MIN_LOG_HZ) / _LOGSTEP

    return mels


@overload
def mel_to_hz(mels: _Scalar, *, htk: bool = ...) -> np.floating[Any]: ...
@overload
def mel_to_hz(mels: _ArrayIn, *, htk: bool = ...) -> npt.NDArray[np.floating[Any]]: ...
@overload
def mel_to_hz(mels: npt.ArrayLike, *, htk: bool = ...) -> Any: ...
def mel_to_hz(mels: npt.ArrayLike, *, htk: bool = False) -> Any:
    """Convert mel bin numbers to frequencies in Hz (inverse of :func:`hz_to_mel`).

    Parameters
    ----------
    mels : float or array_like, shape (...)
        Mel values. Negative values are accepted, as in librosa.
    htk : bool
        If True invert the HTK formula; otherwise the Slaney scale.

    Returns
    -------
    frequencies : numpy scalar or np.ndarray, shape (...)
        Same shape as ``mels``; a numpy scalar for scalar / 0-d input. Dtype rules
        mirror :func:`hz_to_mel`.
    """
    mels = np.asanyarray(mels)
    freqs: Any

    if V.boolean("htk", htk):
        return 700.0 * (10.0 ** (mels / 2595.0) - 1.0)

    freqs = _F_SP * mels

    if mels.ndim:
        log_t = mels >= _MIN_LOG_MEL
        freqs[log_t] = _MIN_LOG_HZ * np.exp(_LOGSTEP * (mels[log_t] - _MIN_LOG_MEL))
    elif mels >= _MIN_LOG_MEL:
        freqs = _MIN_LOG_HZ * np.exp(_LOGSTEP * (mels - _MIN_LOG_MEL))

    return freqs


def mel_frequencies(
    n_mels: int = 128, *, fmin: float = 0.0, fmax: float = 11025.0, htk: bool = False
) -> npt.NDArray[np.floating[Any]]:
    """Frequencies (Hz) of ``n_mels`` points evenly spaced on the mel scale.

    Parameters
    ----------
    n_mels : int > 0
        Number of points.
    fmin : float >= 0
        Lowest frequency in Hz.
    fmax : float > fmin
        Highest frequency in Hz.
    htk : bool
        Use the HTK mel formula instead of Slaney's.

    Returns
    -------
    frequencies : np.ndarray, shape (n_mels,), dtype float64
        From ``fmin`` to ``fmax`` inclusive (up to rounding).

    Raises
    ------
    ParameterError
        If ``n_mels`` is not a positive integer, ``fmin < 0``, ``fmax <= fmin``,
        or either bound is not finite. (librosa silently accepts the last three;
        they only ever produce nonsense filterbanks, so cepstra rejects them.)
    """
    n_mels = V.positive_int("n_mels", n_mels)
    # Validate on float copies but compute with the caller's objects: librosa
    # evaluates e.g. an np.float32 fmin in float32, and we reproduce its output.
    V.frequency_range(fmin, fmax)

    min_mel = hz_to_mel(fmin, htk=htk)
    max_mel = hz_to_mel(fmax, htk=htk)
    mels = np.linspace(min_mel, max_mel, n_mels)
    return mel_to_hz(mels, htk=htk)


def fft_frequencies(*, sr: float = 22050, n_fft: int = 2048) -> npt.NDArray[np.floating[Any]]:
    """Centre frequencies (Hz) of the bins of a real FFT.

    Parameters
    ----------
    sr : float > 0
        Sampling rate in Hz.
    n_fft : int > 0
        FFT length.

    Returns
    -------
    freqs : np.ndarray, shape (1 + n_fft // 2,), dtype float64
        ``[0, sr/n_fft, 2*sr/n_fft, ..., sr/2]`` (the last bin is below ``sr/2``
        for odd ``n_fft``).
    """
    sr = V.real_number("sr", sr, minimum=0.0, strict=True)
    n_fft = V.positive_int("n_fft", n_fft)
    return np.fft.rfftfreq(n=n_fft, d=1.0 / sr)


@overload
def db_to_power(S_db: _Scalar, *, ref: _Scalar = ...) -> np.floating[Any]: ...
@overload
def db_to_power(S_db: _ArrayIn, *, ref: npt.ArrayLike = ...) -> npt.NDArray[np.floating[Any]]: ...
@overload
def db_to_power(S_db: npt.ArrayLike, *, ref: npt.ArrayLike = ...) -> Any: ...
def db_to_power(S_db: npt.ArrayLike, *, ref: npt.ArrayLike = 1.0) -> Any:
    """Convert a decibel (power) array back to power: ``ref * 10 ** (S_db / 10)``.

    Parameters
    ----------
    S_db : float or array_like, shape (...)
        Values in dB. Non-finite values propagate (``-inf`` -> 0, ``nan`` -> nan).
    ref : float or array_like
        Reference power (broadcast against ``S_db``).

    Returns
    -------
    S : numpy scalar or np.ndarray, shape (...)
        Power. Dtype follows numpy promotion as in librosa: float16/32/64 input
        keeps its dtype with a Python-float ``ref``; integer input gives float64.
    """
    S_db = np.asanyarray(S_db)
    return ref * np.power(10.0, 0.1 * S_db)


@overload
def db_to_amplitude(S_db: _Scalar, *, ref: _Scalar = ...) -> np.floating[Any]: ...
@overload
def db_to_amplitude(S_db: _ArrayIn, *, ref: npt.ArrayLike = ...) -> npt.NDArray[np.floating[Any]]: ...
@overload
def db_to_amplitude(S_db: npt.ArrayLike, *, ref: npt.ArrayLike = ...) -> Any: ...
def db_to_amplitude(S_db: npt.ArrayLike, *, ref: Any = 1.0) -> Any:
    """Convert a decibel array back to amplitude: ``ref * 10 ** (S_db / 20)``.

    Evaluated as ``db_to_power(S_db, ref=ref**2) ** 0.5`` so that rounding agrees
    with librosa bit for bit.

    Parameters
    ----------
    S_db : float or array_like, shape (...)
        Values in dB (relative to amplitude ``ref``).
    ref : float or array_like
        Reference amplitude.

    Returns
    -------
    S : numpy scalar or np.ndarray, shape (...)
        Amplitude, dtype as in :func:`db_to_power`.
    """
    return db_to_power(S_db, ref=ref**2) ** 0.5
