"""Phase reconstruction (``librosa.griffinlim`` equivalent): fast Griffin-Lim with momentum."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine.windows import WindowSpec
from ._inverse import istft_runner
from .exceptions import ParameterError
from .spectrum import istft, stft

_Array = npt.NDArray[Any]

__all__ = ["griffinlim"]


def _rng(random_state: Any) -> Any:
    # librosa's semantics: None -> a fresh default_rng(); an int seeds the *legacy*
    # RandomState (not default_rng); a RandomState or Generator is used as given.
    if random_state is None:
        return np.random.default_rng()
    if V.is_int(random_state):
        return np.random.RandomState(seed=random_state)
    if isinstance(random_state, (np.random.RandomState, np.random.Generator)):
        return random_state
    raise ParameterError(f"random_state={random_state!r} is not supported (None, an int, a RandomState or a Generator)")


def griffinlim(
    S: npt.ArrayLike,
    *,
    n_iter: int = 32,
    hop_length: int | None = None,
    win_length: int | None = None,
    n_fft: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    dtype: npt.DTypeLike | None = None,
    length: int | None = None,
    pad_mode: str = "constant",
    momentum: float = 0.99,
    init: str | None = "random",
    random_state: Any = None,
) -> _Array:
    """Signal with the given STFT magnitude, by fast Griffin-Lim, as ``librosa.griffinlim``.

    Each iteration is ``istft`` then ``stft``; the new phase estimate subtracts
    ``momentum / (1 + momentum)`` times the previous rebuilt spectrogram (Perraudin et al., 2013)
    before projecting onto the target magnitude.

    Parameters
    ----------
    S : np.ndarray, shape (..., 1 + n_fft // 2, t), float32 or float64, non-negative
        The target magnitude.
    n_iter : int >= 0
    hop_length, win_length, window, center, pad_mode
        STFT parameters, as :func:`cepstra.stft`.
    n_fft : int or None
        Default ``2 * (S.shape[-2] - 1)``.
    dtype : real dtype or None
        Output dtype; default float32 for float32 ``S``, float64 for float64.
    length : int or None
        Output length in samples.
    momentum : float >= 0
        Values above 1 warn (can be unstable), as librosa.
    init : "random" or None
        Initial phase: uniform random, or zero.
    random_state : None, int, np.random.RandomState or np.random.Generator
        As librosa: an int seeds ``np.random.RandomState``; the same seed gives the same
        initial phases as librosa.

    Returns
    -------
    y : np.ndarray, shape (..., n)
    """
    rng = _rng(random_state)
    momentum = V.real_number("momentum", momentum, allow_inf=False)
    if momentum > 1:
        warnings.warn(f"Griffin-Lim with momentum={momentum} > 1 can be unstable. Proceed with caution!", stacklevel=2)
    elif momentum < 0:
        raise ParameterError(f"momentum={momentum} must be >= 0")
    if not V.is_int(n_iter) or n_iter < 0:
        raise ParameterError(f"n_iter={n_iter!r} must be a non-negative integer")
    if init not in ("random", None):
        raise ParameterError(f"init={init!r} must be 'random' or None")
    Sa = V.float_array("S", S, min_ndim=2)
    V.finite("S", Sa)
    if Sa.shape[-2] < 2 and n_fft is None:
        raise ParameterError(f"S has {Sa.shape[-2]} frequency bin(s); give n_fft explicitly")
    if n_fft is None:
        n_fft = 2 * (Sa.shape[-2] - 1)
    cdtype = np.complex64 if Sa.dtype == np.float32 else np.complex128
    angles = np.empty(Sa.shape, dtype=cdtype)
    eps = np.finfo(angles.dtype).tiny
    if init == "random":
        phase = 2 * np.pi * rng.random(size=Sa.shape)
        angles.real = np.cos(phase)
        angles.imag = np.sin(phase)
    else:
        angles[:] = 1.0
    angles *= Sa
    c = momentum / (1 + momentum)
    tprev: _Array | None = None
    rebuilt: _Array | None = None
    stft_kw: dict[str, Any] = {
        "n_fft": n_fft,
        "hop_length": hop_length,
        "win_length": win_length,
        "window": window,
        "center": center,
    }
    from ._engine import core

    S_c = np.ascontiguousarray(Sa)
    fast_istft = None
    for _ in range(n_iter):
        if fast_istft is None:  # the public call validates the parameters once
            inverse = istft(angles, dtype=dtype, length=length, **stft_kw)
            fast_istft = istft_runner(angles.shape, dtype=dtype, length=length, **stft_kw)
        else:  # angles: C-contiguous, finite (built from finite S below)
            inverse = fast_istft(angles)
        rebuilt = stft(inverse, pad_mode=pad_mode, out=rebuilt, **stft_kw)
        if rebuilt.shape != angles.shape:
            raise ParameterError(
                f"the STFT of the reconstruction has shape {rebuilt.shape}, not S.shape="
                f"{Sa.shape} (check length, n_fft and hop_length)"
            )
        if rebuilt.dtype == angles.dtype and rebuilt.flags.c_contiguous:
            # the update fused in C++: angles = S * a / (|a| + eps), a = rebuilt - c * tprev
            core.griffinlim_update(rebuilt, tprev, S_c, c, angles)
        else:
            angles[:] = rebuilt
            if tprev is not None:
                angles -= c * tprev
            angles /= np.abs(angles) + eps
            angles *= Sa
        rebuilt, tprev = tprev, rebuilt
    return istft(angles, dtype=dtype, length=length, **stft_kw)
