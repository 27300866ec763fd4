"""Spectrogram decomposition (``librosa.decompose`` equivalent): harmonic-percussive separation.

The median filters run in C++ (a sorted sliding window, not a sort per pixel) and equal
``scipy.ndimage.median_filter(..., mode="reflect")`` exactly; the soft masks follow
``librosa.util.softmask`` operation by operation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from .exceptions import ParameterError

_Array = npt.NDArray[Any]

__all__ = ["hpss"]


def _pair(name: str, value: Any) -> tuple[Any, Any]:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ParameterError(f"{name}={value!r} must be a number or a pair")
        return value[0], value[1]
    return value, value


def median_filter(S: _Array, size: int, axis: int) -> _Array:
    """scipy.ndimage.median_filter(S, size=(1,..,size,..,1), mode="reflect") along ``axis``
    (-1 or -2) of a real float32/float64 array with at least 2 dimensions."""
    from ._engine import core

    shape = S.shape
    S3 = np.ascontiguousarray(S.reshape((-1,) + shape[-2:]))
    out: _Array = core.median_filter(S3, int(size), 2 if axis == -1 else 1)
    return out.reshape(shape)


def softmask(X: _Array, X_ref: _Array, *, power: float = 1, split_zeros: bool = False) -> _Array:
    """librosa.util.softmask for non-negative float arrays of one shape."""
    dtype = X.dtype
    Z = np.maximum(X, X_ref).astype(dtype)
    bad = Z < np.finfo(dtype).tiny
    Z[bad] = 1
    mask: _Array
    if np.isfinite(power):
        mask = (X / Z) ** power
        ref_mask = (X_ref / Z) ** power
        good = ~bad
        mask[good] /= mask[good] + ref_mask[good]
        mask[bad] = 0.5 if split_zeros else 0.0
    else:
        mask = X > X_ref
    return mask


def hpss(
    S: npt.ArrayLike,
    *,
    kernel_size: int | tuple[int, int] | list[int] = 31,
    power: float = 2.0,
    mask: bool = False,
    margin: float | tuple[float, float] | list[float] = 1.0,
) -> tuple[_Array, _Array]:
    """Median-filtering harmonic/percussive separation, as ``librosa.decompose.hpss``.

    Parameters
    ----------
    S : np.ndarray, shape (..., d, t), real (magnitude) or complex
        A spectrogram. Complex input is split into magnitude and phase and the phase is put
        back on the outputs.
    kernel_size : int or (int, int)
        Median filter sizes (harmonic: along time; percussive: along frequency).
    power : float > 0 (may be ``np.inf``)
        Soft-mask exponent; ``np.inf`` gives binary masks.
    mask : bool
        Return the masks instead of the separated spectrograms.
    margin : float >= 1 or (float, float)
        Separation margins (harmonic, percussive).

    Returns
    -------
    harmonic, percussive : np.ndarray, shape of S
        The components (dtype of S), or the masks (float; bool with ``power=np.inf``).
    """
    Sa = V.float_array("S", S, min_ndim=2, allow_complex=True)
    if Sa.size == 0:
        raise ParameterError(f"S is empty (shape={Sa.shape})")
    V.finite("S", Sa.real)
    if np.iscomplexobj(Sa):
        V.finite("S", Sa.imag)
    return hpss_checked(Sa, *hpss_params(kernel_size, power, mask, margin))


def hpss_params(kernel_size: Any, power: Any, mask: Any, margin: Any) -> tuple[int, int, float, float, float, bool]:
    """hpss's parameters, validated: (win_harm, win_perc, margin_harm, margin_perc, power, mask)."""
    win_harm, win_perc = _pair("kernel_size", kernel_size)
    win_harm = V.positive_int("kernel_size", win_harm, maximum=1 << 30)
    win_perc = V.positive_int("kernel_size", win_perc, maximum=1 << 30)
    margin_harm, margin_perc = _pair("margin", margin)
    margin_harm = V.real_number("margin", margin_harm, allow_inf=True)
    margin_perc = V.real_number("margin", margin_perc, allow_inf=True)
    if margin_harm < 1 or margin_perc < 1:
        raise ParameterError(f"margin={margin!r} must be >= 1.0 (a typical range is 1 to 10)")
    power = V.real_number("power", power, allow_inf=True)
    if power <= 0:
        raise ParameterError(f"power={power!r} must be strictly positive")
    return win_harm, win_perc, margin_harm, margin_perc, power, V.boolean("mask", mask)


def hpss_checked(
    Sa: _Array, win_harm: int, win_perc: int, margin_harm: float, margin_perc: float, power: float, mask: bool
) -> tuple[_Array, _Array]:
    """hpss on a validated, non-empty, finite float or complex array (see :func:`hpss_params`)."""
    if np.iscomplexobj(Sa) and power in (1.0, 2.0) and not mask:
        return _hpss_complex(Sa, win_harm, win_perc, margin_harm, margin_perc, int(power))
    phase: Any
    if np.iscomplexobj(Sa):
        # librosa.magphase: mag = |D|; phase = D / |D| (1 where |D| == 0)
        mag = np.abs(Sa)
        zeros = mag == 0
        nz = mag + zeros
        phase = np.empty_like(Sa)
        phase.real = Sa.real / nz + zeros
        phase.imag = Sa.imag / nz
        Sa = mag
    else:
        phase = 1
    harm = median_filter(Sa, win_harm, axis=-1)
    perc = median_filter(Sa, win_perc, axis=-2)
    # as librosa, which only checks the filtered spectrograms (inside softmask)
    if np.any(harm < 0) or np.any(perc < 0):
        raise ParameterError("S must be non-negative (a magnitude spectrogram) or complex")
    split_zeros = margin_harm == 1 and margin_perc == 1
    mask_harm = softmask(harm, perc * margin_harm, power=power, split_zeros=split_zeros)
    mask_perc = softmask(perc, harm * margin_perc, power=power, split_zeros=split_zeros)
    if mask:
        return mask_harm, mask_perc
    return (Sa * mask_harm) * phase, (Sa * mask_perc) * phase


def _hpss_complex(
    D: _Array, win_harm: int, win_perc: int, margin_harm: float, margin_perc: float, power: int
) -> tuple[_Array, _Array]:
    """The common case (complex STFT, power 1 or 2) with masks and products fused in C++."""
    from ._engine import core

    D = np.ascontiguousarray(D)
    mag = np.abs(D)
    harm = median_filter(mag, win_harm, axis=-1)
    perc = median_filter(mag, win_perc, axis=-2)
    split_zeros = margin_harm == 1 and margin_perc == 1
    H, P = core.hpss_apply(D, mag, harm, perc, float(margin_harm), float(margin_perc), power, split_zeros)
    return H, P
