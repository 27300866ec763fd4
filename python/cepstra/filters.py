"""Filter banks and windows: ``librosa.filters`` equivalents."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine import configs, plans, windows
from ._engine.windows import WindowSpec

__all__ = ["mel", "get_window"]

_F64 = npt.NDArray[np.float64]


def get_window(window: WindowSpec, Nx: int, *, fftbins: bool = True) -> _F64:
    """Compute a window function, as ``librosa.filters.get_window``.

    Parameters
    ----------
    window : str, tuple, number, callable or array_like
        - ``"hann"``, ``"hamming"``, ``"blackman"``, ``"boxcar"``/``"rectangular"`` are
          computed by cepstra;
        - other scipy window specifications (``("kaiser", 4.0)``, ``"tukey"``, …) are handed
          to ``scipy.signal.get_window`` when scipy is installed;
        - a callable is called as ``window(Nx)``;
        - an array of length ``Nx`` is returned as is (as float64).
    Nx : int > 0
        Length of the window.
    fftbins : bool
        True (default): periodic window, for spectral analysis. False: symmetric window.

    Returns
    -------
    window : np.ndarray, shape (Nx,), dtype float64
    """
    Nx = V.positive_int("Nx", Nx, maximum=V.MAX_N_FFT)
    fftbins = V.boolean("fftbins", fftbins)
    w = windows.get_window(window, Nx, fftbins)
    return w.copy() if isinstance(window, str) and window in windows.NAMED else w


def mel(*, sr: float, n_fft: int, n_mels: int = 128, fmin: float = 0.0, fmax: float | None = None, htk: bool = False,
        norm: str | float | None = "slaney", dtype: npt.DTypeLike = np.float32) -> npt.NDArray[np.floating[Any]]:
    """Create a mel filterbank matrix, as ``librosa.filters.mel``.

    Triangles are linear in Hz between consecutive mel-spaced edges (Slaney's mel scale, or
    HTK's ``2595 log10(1 + f/700)`` when ``htk=True``).

    Parameters
    ----------
    sr : float > 0
        Sampling rate.
    n_fft : int > 0
        FFT size.
    n_mels : int > 0
        Number of mel bands.
    fmin, fmax : float
        Lowest and highest frequency (Hz); ``fmax=None`` means ``sr / 2``. ``0 <= fmin < fmax``.
    htk : bool
        Use the HTK mel scale instead of Slaney's.
    norm : {"slaney", None} or number > 0
        "slaney": divide each triangle by its width in Hz (constant energy per channel);
        a number p: unit Lp norm per filter (``np.inf`` for max); None: peak 1.
    dtype : np.dtype
        Output dtype. With float32 (the default) every rounding of librosa's float32 path is
        reproduced, so the matrix equals librosa's bit for bit in the usual cases.

    Returns
    -------
    M : np.ndarray, shape (n_mels, 1 + n_fft // 2), dtype ``dtype``
    """
    cfg = configs.mel_config(sr, n_fft, n_mels, fmin, fmax, htk, norm)
    dt = V.float_dtype("dtype", dtype)
    float32 = dt == np.float32
    if plans.mel_has_empty_band(cfg, float32):
        V.warn_empty_mel(stacklevel=2)
    return plans.mel_basis(cfg, float32).astype(dt)
