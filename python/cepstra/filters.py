"""Filter banks and windows: ``librosa.filters`` equivalents."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine import configs, plans, windows
from ._engine.windows import WindowSpec
from .exceptions import ParameterError

__all__ = ["mel", "get_window", "chroma"]

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


def mel(
    *,
    sr: float,
    n_fft: int,
    n_mels: int = 128,
    fmin: float = 0.0,
    fmax: float | None = None,
    htk: bool = False,
    norm: str | float | None = "slaney",
    dtype: npt.DTypeLike = np.float32,
) -> npt.NDArray[np.floating[Any]]:
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


def chroma(
    *,
    sr: float,
    n_fft: int,
    n_chroma: int = 12,
    tuning: float = 0.0,
    ctroct: float = 5.0,
    octwidth: float | None = 2,
    norm: float | None = 2,
    base_c: bool = True,
    dtype: npt.DTypeLike = np.float32,
) -> npt.NDArray[np.floating[Any]]:
    """Chroma filterbank (STFT bins to pitch classes), as ``librosa.filters.chroma``.

    Ellis's construction: each FFT bin contributes a Gaussian bump (in chroma bins, width at
    least one bin) to every pitch class; the bins' columns are normalised to unit ``norm``,
    then weighted by a Gaussian over octaves centred at ``ctroct`` (``octwidth`` octaves wide).
    Like librosa, the 0 Hz bin is given a made-up position 1.5 octaves below bin 1.

    Parameters
    ----------
    sr : float > 0
    n_fft : int > 1
    n_chroma : int > 0
    tuning : float
        Tuning deviation from A440 in fractions of a chroma bin.
    ctroct, octwidth : float; octwidth > 0 or None (no octave weighting)
    norm : float or None
        Column norm (see ``librosa.util.normalize``).
    base_c : bool
        True: the first row is C; False: A.
    dtype : floating dtype

    Returns
    -------
    wts : np.ndarray, shape (n_chroma, 1 + n_fft // 2), dtype ``dtype``
    """
    from .feature._common import normalize

    sr = V.real_number("sr", sr, minimum=0.0, strict=True)
    n_fft = V.positive_int("n_fft", n_fft, maximum=V.MAX_N_FFT)
    if n_fft < 2:
        raise ParameterError(f"n_fft={n_fft} must be at least 2")
    n_chroma = V.positive_int("n_chroma", n_chroma, maximum=1 << 12)
    tuning = V.real_number("tuning", tuning)
    ctroct = V.real_number("ctroct", ctroct)
    if octwidth is not None:
        octwidth = V.real_number("octwidth", octwidth, minimum=0.0, strict=True)
    base_c = V.boolean("base_c", base_c)
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise ParameterError(f"dtype={dtype!r} must be a floating-point dtype")
    frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    a440 = 440.0 * 2.0 ** (tuning / n_chroma)
    frqbins = n_chroma * np.log2(frequencies / (float(a440) / 16))
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidthbins = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    D = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype="d")).T
    n_chroma2 = np.round(float(n_chroma) / 2)
    D = np.remainder(D + n_chroma2 + 10 * n_chroma, n_chroma) - n_chroma2
    wts = np.exp(-0.5 * (2 * D / np.tile(binwidthbins, (n_chroma, 1))) ** 2)
    wts = normalize(wts, norm, axis=0)
    if octwidth is not None:
        wts *= np.tile(np.exp(-0.5 * (((frqbins / n_chroma - ctroct) / octwidth) ** 2)), (n_chroma, 1))
    if base_c:
        wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    return np.ascontiguousarray(wts[:, : int(1 + n_fft / 2)], dtype=dt)
