"""Time-domain effects (``librosa.effects`` equivalents): harmonic/percussive separation of audio.

Each function is STFT -> :func:`cepstra.decompose.hpss` -> inverse STFT, as librosa 0.11 does.
As in librosa 0.11, ``window`` is accepted but not used: both transforms use a Hann window.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine.batching import SignalList, is_signal_list
from ._engine.windows import WindowSpec
from ._inverse import istft_runner
from .decompose import hpss_checked, hpss_params
from .spectrum import stft

_Array = npt.NDArray[Any]

__all__ = ["harmonic", "hpss", "percussive"]


def _split(
    y: npt.ArrayLike,
    which: tuple[bool, bool],
    kernel_size: Any,
    power: float,
    mask: bool,
    margin: Any,
    n_fft: int,
    hop_length: int | None,
    win_length: int | None,
    center: bool,
    pad_mode: str,
) -> list[_Array]:
    ya = V.signal("y", y)
    D = stft(ya, n_fft=n_fft, hop_length=hop_length, win_length=win_length, center=center, pad_mode=pad_mode)
    # D is the STFT of a validated y: finite, so only the parameters need checking.
    parts = hpss_checked(D, *hpss_params(kernel_size, power, mask, margin))
    # H and P come from the finite D of a validated y: the kernel's istft without re-checking.
    inverse = istft_runner(
        D.shape,
        n_fft=n_fft,
        hop_length=hop_length,
        win_length=win_length,
        window="hann",
        center=center,
        dtype=ya.dtype,
        length=ya.shape[-1],
    )
    out = []
    for keep, part in zip(which, parts):
        if keep:
            part_c = part if np.iscomplexobj(part) else part.astype(D.dtype)
            out.append(inverse(np.ascontiguousarray(part_c)))
    return out


def _split_each(y: Any, which: tuple[bool, bool], *args: Any) -> list[list[_Array]]:
    """_split of one signal, or of each signal of a list (one call each: every call runs its C++
    work on the whole pool), as a list with one entry per signal."""
    if is_signal_list(y):
        return [_split(e, which, *args) for e in y]
    return [_split(y, which, *args)]


@overload
def hpss(
    y: SignalList,
    *,
    kernel_size: int | tuple[int, int] | list[int] = ...,
    power: float = ...,
    mask: bool = ...,
    margin: float | tuple[float, float] | list[float] = ...,
    n_fft: int = ...,
    hop_length: int | None = ...,
    win_length: int | None = ...,
    window: WindowSpec = ...,
    center: bool = ...,
    pad_mode: str = ...,
) -> list[tuple[_Array, _Array]]: ...
@overload
def hpss(
    y: npt.ArrayLike,
    *,
    kernel_size: int | tuple[int, int] | list[int] = ...,
    power: float = ...,
    mask: bool = ...,
    margin: float | tuple[float, float] | list[float] = ...,
    n_fft: int = ...,
    hop_length: int | None = ...,
    win_length: int | None = ...,
    window: WindowSpec = ...,
    center: bool = ...,
    pad_mode: str = ...,
) -> tuple[_Array, _Array]: ...
def hpss(
    y: npt.ArrayLike | SignalList,
    *,
    kernel_size: int | tuple[int, int] | list[int] = 31,
    power: float = 2.0,
    mask: bool = False,
    margin: float | tuple[float, float] | list[float] = 1.0,
    n_fft: int = 2048,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
) -> tuple[_Array, _Array] | list[tuple[_Array, _Array]]:
    """Harmonic and percussive parts of a signal, as ``librosa.effects.hpss``.

    Parameters
    ----------
    y : np.ndarray, shape (..., n), float32 or float64, or a list of such arrays
        A list gives a list of results, equal to one call per signal.
    kernel_size, power, mask, margin
        As :func:`cepstra.decompose.hpss`.
    n_fft, hop_length, win_length, center, pad_mode
        STFT parameters, as :func:`cepstra.stft`.
    window
        Accepted for librosa compatibility and ignored, as in librosa 0.11 (Hann is used).

    Returns
    -------
    y_harmonic, y_percussive : np.ndarray, shape (..., n), dtype of y
    """
    pairs = [
        (h, p)
        for h, p in _split_each(
            y, (True, True), kernel_size, power, mask, margin, n_fft, hop_length, win_length, center, pad_mode
        )
    ]
    return pairs if is_signal_list(y) else pairs[0]


@overload
def harmonic(
    y: SignalList,
    *,
    kernel_size: int | tuple[int, int] | list[int] = ...,
    power: float = ...,
    mask: bool = ...,
    margin: float | tuple[float, float] | list[float] = ...,
    n_fft: int = ...,
    hop_length: int | None = ...,
    win_length: int | None = ...,
    window: WindowSpec = ...,
    center: bool = ...,
    pad_mode: str = ...,
) -> list[_Array]: ...
@overload
def harmonic(
    y: npt.ArrayLike,
    *,
    kernel_size: int | tuple[int, int] | list[int] = ...,
    power: float = ...,
    mask: bool = ...,
    margin: float | tuple[float, float] | list[float] = ...,
    n_fft: int = ...,
    hop_length: int | None = ...,
    win_length: int | None = ...,
    window: WindowSpec = ...,
    center: bool = ...,
    pad_mode: str = ...,
) -> _Array: ...
def harmonic(
    y: npt.ArrayLike | SignalList,
    *,
    kernel_size: int | tuple[int, int] | list[int] = 31,
    power: float = 2.0,
    mask: bool = False,
    margin: float | tuple[float, float] | list[float] = 1.0,
    n_fft: int = 2048,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
) -> _Array | list[_Array]:
    """The harmonic part of a signal, as ``librosa.effects.harmonic`` (see :func:`hpss`).

    Returns
    -------
    y_harmonic : np.ndarray, shape (..., n), dtype of y
    """
    parts = [
        h
        for (h,) in _split_each(
            y, (True, False), kernel_size, power, mask, margin, n_fft, hop_length, win_length, center, pad_mode
        )
    ]
    return parts if is_signal_list(y) else parts[0]


@overload
def percussive(
    y: SignalList,
    *,
    kernel_size: int | tuple[int, int] | list[int] = ...,
    power: float = ...,
    mask: bool = ...,
    margin: float | tuple[float, float] | list[float] = ...,
    n_fft: int = ...,
    hop_length: int | None = ...,
    win_length: int | None = ...,
    window: WindowSpec = ...,
    center: bool = ...,
    pad_mode: str = ...,
) -> list[_Array]: ...
@overload
def percussive(
    y: npt.ArrayLike,
    *,
    kernel_size: int | tuple[int, int] | list[int] = ...,
    power: float = ...,
    mask: bool = ...,
    margin: float | tuple[float, float] | list[float] = ...,
    n_fft: int = ...,
    hop_length: int | None = ...,
    win_length: int | None = ...,
    window: WindowSpec = ...,
    center: bool = ...,
    pad_mode: str = ...,
) -> _Array: ...
def percussive(
    y: npt.ArrayLike | SignalList,
    *,
    kernel_size: int | tuple[int, int] | list[int] = 31,
    power: float = 2.0,
    mask: bool = False,
    margin: float | tuple[float, float] | list[float] = 1.0,
    n_fft: int = 2048,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
) -> _Array | list[_Array]:
    """The percussive part of a signal, as ``librosa.effects.percussive`` (see :func:`hpss`).

    Returns
    -------
    y_percussive : np.ndarray, shape (..., n), dtype of y
    """
    parts = [
        p
        for (p,) in _split_each(
            y, (False, True), kernel_size, power, mask, margin, n_fft, hop_length, win_length, center, pad_mode
        )
    ]
    return parts if is_signal_list(y) else parts[0]
