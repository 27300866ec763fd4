"""Chromagram from a power spectrogram (``librosa.feature.chroma_stft``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _validation as V
from .._engine import core
from .._engine.windows import WindowSpec
from ..filters import chroma as chroma_filter
from . import _common as C
from . import _fast

_Array = npt.NDArray[Any]

__all__ = ["chroma_stft"]


def chroma_stft(
    *,
    y: Any = None,
    sr: float = 22050,
    S: npt.ArrayLike | None = None,
    norm: float | None = np.inf,
    n_fft: int = 2048,
    hop_length: int = 512,
    win_length: int | None = None,
    window: WindowSpec = "hann",
    center: bool = True,
    pad_mode: str = "constant",
    tuning: float | None = None,
    n_chroma: int = 12,
    **kwargs: Any,
) -> Any:
    """Chromagram from a power spectrogram, as ``librosa.feature.chroma_stft``.

    ``normalize(chroma_filter @ |stft(y)|**2, norm)`` per frame. With ``tuning=None`` the
    tuning is estimated first, as librosa does: ``estimate_tuning(S=|X|**2, sr=sr,
    bins_per_octave=n_chroma)`` (so on the *power* spectrogram, with piptrack's defaults).

    Parameters
    ----------
    y : np.ndarray, shape (..., n), a list of such arrays, or None
    sr : float > 0
    S : np.ndarray, shape (..., d, t), or None
        A power spectrogram used instead of ``y``.
    norm : float or None
        Per-frame normalisation (``np.inf``: the maximum is 1).
    n_fft, hop_length, win_length, window, center, pad_mode
        STFT parameters.
    tuning : float or None
        Deviation from A440 in fractions of a chroma bin; None estimates it.
    n_chroma : int > 0
    **kwargs
        :func:`cepstra.filters.chroma` parameters (``ctroct``, ``octwidth``, ``norm``,
        ``base_c``, ``dtype``).

    Returns
    -------
    chromagram : np.ndarray, shape (..., n_chroma, t)
        dtype of the spectrogram (float32 filters times float64 S give float64).
    """
    if C.is_list(y):
        return C.map_list(
            chroma_stft,
            y,
            sr=sr,
            S=None,
            norm=norm,
            n_fft=n_fft,
            hop_length=hop_length,
            win_length=win_length,
            window=window,
            center=center,
            pad_mode=pad_mode,
            tuning=tuning,
            n_chroma=n_chroma,
            **kwargs,
        )
    C.check_norm(norm)
    n_chroma = V.positive_int("n_chroma", n_chroma, maximum=1 << 12)
    if tuning is not None:
        tuning = V.real_number("tuning", tuning)
    fast = None
    if S is None and y is not None:
        y = V.signal("y", y)
        sr = V.real_number("sr", sr, minimum=0.0, strict=True)
        fast = _fast.power_and_tuning(
            y,
            sr=sr,
            n_fft=n_fft,
            hop_length=hop_length,
            win_length=win_length,
            window=window,
            center=center,
            pad_mode=pad_mode,
            estimate=tuning is None,
            bins_per_octave=n_chroma,
        )
    if fast is not None:
        S_, n_fft_ = fast[0], int(n_fft)
        if tuning is None:
            tuning = fast[1]
    else:
        S_, n_fft_ = C.spectrogram(
            y=y,
            S=S,
            n_fft=n_fft,
            hop_length=hop_length,
            win_length=win_length,
            window=window,
            center=center,
            pad_mode=pad_mode,
            power=2.0,
        )
    if tuning is None:
        from ..pitch import estimate_tuning

        tuning = estimate_tuning(S=S_, sr=sr, bins_per_octave=n_chroma)
    fb = chroma_filter(sr=sr, n_fft=n_fft_, tuning=tuning, n_chroma=n_chroma, **kwargs)
    raw = _project(fb, S_)
    return C.normalize(raw, norm, axis=-2)


def _project(fb: _Array, S: _Array) -> _Array:
    """``einsum("cf,...ft->...ct", fb, S)`` in librosa's result dtype: in C++ (double sums in
    bin order, one rounding), else numpy. BLAS would sum in another order and, with its own
    thread pool, waits for its threads on a busy machine."""
    dt = np.result_type(fb.dtype, S.dtype)
    if not hasattr(core, "chroma_project") or dt not in (np.float32, np.float64) or S.ndim < 2:
        return np.matmul(fb, S)  # type: ignore[no-any-return]
    lead = S.shape[:-2]
    P = np.ascontiguousarray(S.astype(dt, copy=False).reshape((-1,) + S.shape[-2:]))
    out: _Array = core.chroma_project(np.ascontiguousarray(fb, dtype=np.float64), P)
    return out.reshape(lead + out.shape[1:])
