"""Kaldi-compatible filterbank and MFCC features (``torchaudio.compliance.kaldi`` equivalents).

``fbank`` and ``mfcc`` take the parameters, defaults and output layout of
``torchaudio.compliance.kaldi.fbank`` / ``mfcc`` and compute Kaldi's algorithm
(``compute-fbank-feats`` / ``compute-mfcc-feats``, kaldi-native-fbank) exactly: window sizes
by truncation, ``snip_edges`` framing or symmetric reflection, DC removal, raw log energy
before preemphasis, preemphasis inside the frame, symmetric windows, zero padding to the FFT
size, mel banks computed in the mel domain without the Nyquist bin, log floored at
``FLT_EPSILON``, DCT-II (orthonormal) with Kaldi's lifter.

The output is **time-major**, ``(..., frames, bins)``, like torchaudio and Kaldi (cepstra's
librosa-style functions are ``(..., bins, frames)``).

Defaults are torchaudio's. Kaldi's command-line tools differ in three places: ``dither``
(Kaldi 1.0, here 0.0), ``energy_floor`` (Kaldi 0.0, here 1.0) and, for ``mfcc``,
``use_energy`` (Kaldi true, here False). kaldi-native-fbank's defaults are ``dither=3e-5``,
``energy_floor=0.0`` and, for MFCC, ``use_energy=True``.
"""

from __future__ import annotations

import functools
import math
import secrets
import warnings
from typing import Any, cast, overload

import numpy as np
import numpy.typing as npt

from . import _core
from . import _validation as V
from ._engine.grid import KaldiGrid
from .exceptions import ParameterError

__all__ = ["fbank", "mfcc", "Fbank", "Mfcc"]

WINDOW_TYPES = ("povey", "hanning", "hamming", "rectangular", "blackman")

_Array = npt.NDArray[Any]
# A batch of independent waveforms (any lengths): the result is then a list.
SignalList = list[npt.NDArray[Any]] | tuple[npt.NDArray[Any], ...]
# Validated options, sorted by name: the plan cache key.
_Options = tuple[tuple[str, Any], ...]


def _waveform(waveform: npt.ArrayLike, name: str = "waveform") -> _Array:
    """(..., n) float32/float64 (int16 converted to float32 without scaling), finite."""
    if isinstance(waveform, (str, bytes)):
        raise TypeError(f"{name} must be a numpy array, not {type(waveform).__name__}")
    arr = np.asarray(waveform)
    if arr.dtype == np.int16:
        arr = arr.astype(np.float32)  # int16 scale kept: Kaldi reads samples unnormalised
    else:
        arr = V.float_array(name, arr)
        if arr.dtype.kind != "f":
            raise TypeError(f"{name} must be real, got dtype={arr.dtype}")
    if arr.ndim < 1:
        raise ParameterError(f"{name} must have at least 1 dimension, got shape={arr.shape}")
    V.finite(name, arr)
    return arr


def _real(name: str, value: Any, **kw: Any) -> float:
    return V.real_number(name, value, **kw)


def _options(mfcc: bool, *, sample_frequency: float, frame_length: float, frame_shift: float, dither: float,
             preemphasis_coefficient: float, remove_dc_offset: bool, window_type: str, blackman_coeff: float,
             round_to_power_of_two: bool, snip_edges: bool, num_mel_bins: int, low_freq: float, high_freq: float,
             vtln_low: float, vtln_high: float, vtln_warp: float, use_energy: bool, raw_energy: bool,
             energy_floor: float, use_log_fbank: bool, use_power: bool, htk_compat: bool, subtract_mean: bool,
             num_ceps: int = 13, cepstral_lifter: float = 22.0) -> _Options:
    """Validated options as a hashable tuple (the plan cache key); C++ re-checks the ranges."""
    vals: dict[str, Any] = dict(
        sample_frequency=_real("sample_frequency", sample_frequency, minimum=0.0, strict=True),
        frame_length=_real("frame_length", frame_length, minimum=0.0, strict=True),
        frame_shift=_real("frame_shift", frame_shift, minimum=0.0, strict=True),
        dither=_real("dither", dither, minimum=0.0),
        preemphasis_coefficient=_real("preemphasis_coefficient", preemphasis_coefficient, minimum=0.0),
        remove_dc_offset=V.boolean("remove_dc_offset", remove_dc_offset),
        window_type=V.choice("window_type", window_type, WINDOW_TYPES),
        blackman_coeff=_real("blackman_coeff", blackman_coeff),
        round_to_power_of_two=V.boolean("round_to_power_of_two", round_to_power_of_two),
        snip_edges=V.boolean("snip_edges", snip_edges),
        num_mel_bins=V.positive_int("num_mel_bins", num_mel_bins, maximum=1 << 20),
        low_freq=_real("low_freq", low_freq, minimum=0.0),
        high_freq=_real("high_freq", high_freq),
        use_energy=V.boolean("use_energy", use_energy),
        raw_energy=V.boolean("raw_energy", raw_energy),
        energy_floor=_real("energy_floor", energy_floor, minimum=0.0),
        use_log_fbank=V.boolean("use_log_fbank", use_log_fbank),
        use_power=V.boolean("use_power", use_power),
        htk_compat=V.boolean("htk_compat", htk_compat),
        mfcc=mfcc,
        num_ceps=V.positive_int("num_ceps", num_ceps),
        cepstral_lifter=_real("cepstral_lifter", cepstral_lifter),
    )
    _real("vtln_low", vtln_low)
    _real("vtln_high", vtln_high)
    if _real("vtln_warp", vtln_warp) != 1.0:
        raise ParameterError(f"vtln_warp={vtln_warp!r} is not supported (only 1.0, no warping)")
    V.boolean("subtract_mean", subtract_mean)
    if mfcc and vals["num_ceps"] > vals["num_mel_bins"]:
        raise ParameterError(f"num_ceps={num_ceps!r} must be <= num_mel_bins={num_mel_bins!r}")
    return tuple(sorted(vals.items()))


@functools.lru_cache(maxsize=64)
def _plan(dtype: str, options: _Options) -> _core.KaldiPlan:
    """The C++ plan for validated options (shared by every extractor with these options)."""
    o = _core.KaldiOptions()
    for k, v in options:
        setattr(o, k, v)
    return _core.make_kaldi_plan(dtype, o)


def _check_seed(seed: int | None) -> int | None:
    if seed is None:
        return None
    if not V.is_int(seed) or seed < 0:
        raise ParameterError(f"seed={seed!r} must be None or a non-negative integer")
    return int(seed) & ((1 << 64) - 1)


class _KaldiExtractor:
    """Options validated and plans built once; called on waveforms (see Fbank / Mfcc)."""

    _is_mfcc = False

    def _setup(self, kw: dict[str, Any]) -> None:
        # Called directly by __init__ and by fbank()/mfcc(), so the warning's stacklevel points at
        # the caller's line in both cases.
        kw = dict(kw)
        seed = kw.pop("seed")
        if self._is_mfcc:
            kw.update(use_log_fbank=True, use_power=True)
        self._subtract_mean = V.boolean("subtract_mean", kw["subtract_mean"])
        self._options = _options(self._is_mfcc, **kw)
        self._opts = dict(self._options)
        self._seed = _check_seed(seed)
        self._plans: dict[str, _core.KaldiPlan] = {}
        p = self._plan("float32")  # builds (and so checks) everything the C++ side validates
        self._grid = KaldiGrid(self._opts["sample_frequency"], p.win, p.shift, self._opts["snip_edges"])
        if p.empty_bins:
            warnings.warn(f"num_mel_bins={self._opts['num_mel_bins']} leaves {p.empty_bins} mel bin(s) without any "
                          "FFT bin (their log energy is log(FLT_EPSILON)); Kaldi refuses this configuration",
                          UserWarning, stacklevel=3)

    def _plan(self, dtype: str) -> _core.KaldiPlan:
        p = self._plans.get(dtype)
        if p is None:
            p = self._plans[dtype] = _plan(dtype, self._options)
        return p

    def _call_seed(self) -> int:
        """The seed of one call (one signal of a list): fixed, or fresh when seed=None."""
        if self._seed is not None:
            return self._seed
        return secrets.randbits(64) if self._opts["dither"] else 0

    def _rows(self, p: _core.KaldiPlan, x: _Array) -> tuple[_Array, tuple[int, ...]]:
        lead, n = x.shape[:-1], x.shape[-1]
        rows = int(np.prod(lead)) if lead else 1
        V.output_size("frame_shift", self._opts["frame_shift"], rows, p.frame_count(n), p.n_out,
                      itemsize=x.itemsize)
        return x.reshape(rows, n), lead

    def _finish(self, out: _Array, lead: tuple[int, ...]) -> _Array:
        # cast: numpy's stubs pick reshape's empty-shape overload for a tuple[int, ...] here
        out = cast(_Array, out.reshape(lead + out.shape[1:]))
        if self._subtract_mean and out.shape[-2] > 0:
            out -= out.mean(axis=-2, keepdims=True)
        return out

    @overload
    def __call__(self, waveform: SignalList) -> list[_Array]: ...
    @overload
    def __call__(self, waveform: npt.NDArray[Any]) -> _Array: ...
    @overload
    def __call__(self, waveform: npt.ArrayLike) -> _Array | list[_Array]: ...
    def __call__(self, waveform: npt.ArrayLike) -> _Array | list[_Array]:
        """Compute the features of one waveform ``(..., n)``, or of a list of waveforms.

        Parameters
        ----------
        waveform : np.ndarray, shape (..., n), float32, float64 or int16; or a list of such arrays
            A list is a batch of independent signals of any lengths (and shapes), computed in one
            parallel pass; item ``i`` of the result equals the call on item ``i`` alone (with a
            fixed ``seed``, the same dither noise; with ``seed=None`` a fresh seed per item).

        Returns
        -------
        np.ndarray, shape (..., frames, bins); a list of such arrays for a list input
        """
        return self._compute(waveform)

    def _compute(self, waveform: npt.ArrayLike) -> _Array | list[_Array]:
        if not (isinstance(waveform, (list, tuple)) and len(waveform) > 0
                and all(isinstance(e, np.ndarray) for e in waveform)):
            return self._compute_one(waveform)
        xs = [_waveform(w, f"waveform[{i}]") for i, w in enumerate(waveform)]
        results: list[Any] = [None] * len(xs)  # every slot is filled below
        groups: dict[str, list[int]] = {}
        for i, x in enumerate(xs):
            groups.setdefault(x.dtype.name, []).append(i)
        for dtype, idx in groups.items():
            p = self._plan(dtype)
            rows = [self._rows(p, xs[i]) for i in idx]
            outs = p.run_list([r[0] for r in rows], [self._call_seed() for _ in idx])
            for i, out, (_, lead) in zip(idx, outs, rows):
                results[i] = self._finish(out, lead)
        return results

    def _compute_one(self, waveform: npt.ArrayLike) -> _Array:
        """One waveform (..., n): anything np.asarray accepts (what fbank()/mfcc() take)."""
        x = _waveform(waveform)
        p = self._plan(x.dtype.name)
        x2, lead = self._rows(p, x)
        return self._finish(p(x2, self._call_seed()), lead)

    @property
    def num_bins(self) -> int:
        """Output columns (``bins``)."""
        return self._plan("float32").n_out

    @property
    def window_size(self) -> int:
        """Window length in samples (``int(sample_frequency * 0.001 * frame_length)``)."""
        return self._plan("float32").win

    @property
    def window_shift(self) -> int:
        """Frame shift in samples."""
        return self._plan("float32").shift

    @property
    def sr(self) -> float:
        """Sampling rate in Hz (``sample_frequency``)."""
        return float(self._opts["sample_frequency"])

    @property
    def hop_length(self) -> int:
        """Frame shift in samples (:attr:`window_shift`)."""
        return self._grid.shift

    def n_frames(self, n_samples: int) -> int:
        """Number of frames (the length of the time axis) for a waveform of ``n_samples`` samples
        (0 allowed): ``1 + (n - win) // shift`` (0 when ``n < win``) with ``snip_edges=True``,
        ``(n + shift // 2) // shift`` without."""
        return self._grid.n_frames(n_samples)

    def frame_times(self, n_frames: int) -> npt.NDArray[np.float64]:
        """Time (s, float64, shape ``(n_frames,)``) of the centre of each frame's window:
        ``(f * shift + win / 2) / sr`` with ``snip_edges=True``, ``(f * shift + shift // 2 -
        win // 2 + win / 2) / sr`` without (Kaldi's frame start plus half a window)."""
        return self._grid.frame_times(n_frames)

    def _stream_spec(self) -> _KaldiStreamSpec:
        return _KaldiStreamSpec(self)


class _KaldiStreamSpec:
    """How cepstra.Stream frames a Kaldi extractor: its frame grid (see
    :class:`cepstra._engine.grid.KaldiGrid` for why the frames it emits are final) plus its plan;
    time axis 0."""

    time_axis = 0

    def __init__(self, ext: _KaldiExtractor) -> None:
        if ext._subtract_mean:
            raise ParameterError(
                "subtract_mean=True cannot stream: the mean over all frames is unknown until the stream ends "
                "(stream with subtract_mean=False and subtract the mean yourself, or use a running mean)")
        self._ext = ext
        grid = ext._grid
        self.frames_ready, self.keep_from, self.n_frames = grid.frames_ready, grid.keep_from, grid.n_frames
        self._seed = ext._call_seed()  # one signal: one seed for the whole stream

    def compute(self, segment: _Array, seg_start: int, total: int, f0: int, f1: int) -> _Array:
        return self._ext._plan(segment.dtype.name).frames(segment, seg_start, total, f0, f1, self._seed)

    def empty(self, dtype: npt.DTypeLike) -> _Array:
        return np.zeros((0, self._ext.num_bins), dtype=dtype)


_COMMON_DOC = """
    Parameters
    ----------
    waveform : np.ndarray, shape (..., n), float32, float64 or int16
        Mono audio; leading axes are independent signals (a batch). Kaldi works on int16-scale
        samples (it reads wav files unnormalised): int16 arrays are converted to float32
        **without** scaling; a float signal in [-1, 1] should be multiplied by 32768 to match
        Kaldi's numbers (energies differ by a constant otherwise). Any strides (no copy).
        torchaudio's ``(1, n)`` input gives ``(1, frames, bins)`` here (a batch of one).
    sample_frequency : float > 0
        Sampling rate in Hz.
    frame_length, frame_shift : float > 0
        Window length and hop in milliseconds; the sizes in samples are truncated
        (``int(sample_frequency * 0.001 * frame_length)``).
    dither : float >= 0
        Gaussian noise ``dither * N(0, 1)`` added to each frame sample (overlapping samples get
        independent noise, as in Kaldi). Kaldi's default is 1.0, torchaudio's (and ours) 0.0.
    seed : int >= 0 or None
        Seeds the dither noise: the same seed gives the same features (for any thread count).
        None draws a fresh seed. Unused when ``dither == 0``.
    preemphasis_coefficient : float in [0, 1]
        ``x[i] -= c * x[i-1]`` inside each frame (``x[0] -= c * x[0]``).
    remove_dc_offset : bool
        Subtract each frame's mean.
    window_type : {"povey", "hanning", "hamming", "rectangular", "blackman"}
        Symmetric windows (denominator ``N - 1``); povey is hanning to the power 0.85.
    blackman_coeff : float
        The constant of the (generalised) Blackman window.
    round_to_power_of_two : bool
        Zero-pad each frame to the next power of two for the FFT.
    snip_edges : bool
        True: ``1 + (n - win) // shift`` frames (0 when ``n < win``) that fit in the signal.
        False: ``(n + shift // 2) // shift`` frames centred on ``f * shift + shift // 2``,
        the signal reflected symmetrically at its ends.
    num_mel_bins : int >= 3
        Number of triangular mel bins (Kaldi's ``mel(f) = 1127 ln(1 + f/700)``, triangles in the
        mel domain, Nyquist bin excluded).
    low_freq : float >= 0
        Lower edge of the mel banks (Hz).
    high_freq : float
        Upper edge (Hz); a value ``<= 0`` is an offset from the Nyquist frequency.
    vtln_low, vtln_high : float
        Accepted for compatibility; unused, as no warping is supported.
    vtln_warp : float
        Only 1.0 (no vocal tract length normalisation) is supported; anything else raises
        ParameterError.
    use_energy : bool
        Add the log energy of each frame.
    raw_energy : bool
        True: the energy is computed after DC removal, before preemphasis and window;
        False: after the window.
    energy_floor : float >= 0
        If > 0, the log energy is floored at ``log(energy_floor)``. torchaudio's default (ours)
        is 1.0; Kaldi's and kaldi-native-fbank's is 0.0 (no floor).
    htk_compat : bool
        HTK ordering: the energy (or, for MFCC, c0) goes last instead of first."""

_RETURNS_DOC = """
    subtract_mean : bool
        Subtract the mean over frames of each feature (per signal).

    Returns
    -------
    feats : np.ndarray, shape (..., frames, {cols}), float32 (float32 or int16 input) or float64
        Time-major, as torchaudio. ``frames`` may be 0 (a signal shorter than one window with
        ``snip_edges=True``).

    Raises
    ------
    ParameterError
        For invalid parameters (naming them) or a waveform with NaN/inf values.
    """


def fbank(
        waveform: npt.ArrayLike, *, sample_frequency: float = 16000.0, frame_length: float = 25.0, frame_shift: float = 10.0,
        dither: float = 0.0, seed: int | None = None, preemphasis_coefficient: float = 0.97, remove_dc_offset: bool = True,
        window_type: str = "povey", blackman_coeff: float = 0.42, round_to_power_of_two: bool = True,
        snip_edges: bool = True, num_mel_bins: int = 23, low_freq: float = 20.0, high_freq: float = 0.0,
        vtln_low: float = 100.0, vtln_high: float = -500.0, vtln_warp: float = 1.0, use_energy: bool = False,
        raw_energy: bool = True, energy_floor: float = 1.0,
        use_log_fbank: bool = True, use_power: bool = True, htk_compat: bool = False, subtract_mean: bool = False,
) -> _Array:
    kw = dict(locals())
    del kw["waveform"]
    ext = Fbank.__new__(Fbank)
    ext._setup(kw)
    return ext._compute_one(waveform)  # a list is an array here, as before


fbank.__doc__ = (
    """Log mel filterbank energies, as ``torchaudio.compliance.kaldi.fbank`` / Kaldi's
    ``compute-fbank-feats``.
""" + _COMMON_DOC + """
    use_log_fbank : bool
        Natural log of the mel energies, floored at ``FLT_EPSILON`` (else the energies).
    use_power : bool
        Mel banks over the power spectrum ``|X|^2`` (else the magnitude ``|X|``).""" + _RETURNS_DOC.format(
        cols="num_mel_bins + use_energy") + """
    Examples
    --------
    >>> feats = cepstra.kaldi.fbank(pcm_int16, num_mel_bins=80)      # (frames, 80) float32
    """)


def mfcc(
        waveform: npt.ArrayLike, *, sample_frequency: float = 16000.0, frame_length: float = 25.0, frame_shift: float = 10.0,
        dither: float = 0.0, seed: int | None = None, preemphasis_coefficient: float = 0.97, remove_dc_offset: bool = True,
        window_type: str = "povey", blackman_coeff: float = 0.42, round_to_power_of_two: bool = True,
        snip_edges: bool = True, num_mel_bins: int = 23, low_freq: float = 20.0, high_freq: float = 0.0,
        vtln_low: float = 100.0, vtln_high: float = -500.0, vtln_warp: float = 1.0, use_energy: bool = False,
        raw_energy: bool = True, energy_floor: float = 1.0,
        num_ceps: int = 13, cepstral_lifter: float = 22.0, htk_compat: bool = False, subtract_mean: bool = False,
) -> _Array:
    kw = dict(locals())
    del kw["waveform"]
    ext = Mfcc.__new__(Mfcc)
    ext._setup(kw)
    return ext._compute_one(waveform)  # a list is an array here, as before


mfcc.__doc__ = (
    """Mel-frequency cepstral coefficients, as ``torchaudio.compliance.kaldi.mfcc`` / Kaldi's
    ``compute-mfcc-feats``.

    The log mel energies (power spectrum, ``FLT_EPSILON`` floor) go through the orthonormal
    DCT-II; coefficient ``i`` is multiplied by ``1 + 0.5 * cepstral_lifter * sin(pi * i /
    cepstral_lifter)`` (c0 unchanged). With ``use_energy`` c0 is replaced by the log energy.
    ``use_energy`` defaults to False as in torchaudio; Kaldi's default is true.
""" + _COMMON_DOC + """ With ``htk_compat`` and without ``use_energy``, c0 is also
        multiplied by ``sqrt(2)``.
    num_ceps : int, 1 <= num_ceps <= num_mel_bins
        Number of cepstral coefficients kept.
    cepstral_lifter : float
        Lifter constant; 0 disables liftering.""" + _RETURNS_DOC.format(cols="num_ceps") + """
    Examples
    --------
    >>> feats = cepstra.kaldi.mfcc(pcm_int16)                        # (frames, 13) float32
    """)


class Fbank(_KaldiExtractor):
    """Reusable :func:`fbank`: the same keyword options (``seed`` and ``subtract_mean`` included),
    validated and planned once; call it on a waveform ``(..., n)`` or a list of waveforms.

    ``Fbank(**kw)(waveform)`` equals ``fbank(waveform, **kw)`` bit for bit (with a fixed ``seed``
    when ``dither > 0``; ``seed=None`` draws a fresh seed per call, or per item of a list).
    :class:`cepstra.Stream` accepts it (not with ``subtract_mean=True``): the streamed frames,
    concatenated on axis 0, equal the offline features.

    Examples
    --------
    >>> fb = cepstra.kaldi.Fbank(num_mel_bins=80)
    >>> feats = fb(pcm_int16)                 # (frames, 80) float32
    >>> feats = fb([y1, y2, y3])              # a list, one array per waveform (any lengths)
    """

    _is_mfcc = False

    def __init__(
        self, *, sample_frequency: float = 16000.0, frame_length: float = 25.0, frame_shift: float = 10.0,
        dither: float = 0.0, seed: int | None = None, preemphasis_coefficient: float = 0.97, remove_dc_offset: bool = True,
        window_type: str = "povey", blackman_coeff: float = 0.42, round_to_power_of_two: bool = True,
        snip_edges: bool = True, num_mel_bins: int = 23, low_freq: float = 20.0, high_freq: float = 0.0,
        vtln_low: float = 100.0, vtln_high: float = -500.0, vtln_warp: float = 1.0, use_energy: bool = False,
        raw_energy: bool = True, energy_floor: float = 1.0,
        use_log_fbank: bool = True, use_power: bool = True, htk_compat: bool = False, subtract_mean: bool = False,
    ) -> None:
        kw = dict(locals())
        del kw["self"]
        self._setup(kw)


class Mfcc(_KaldiExtractor):
    """Reusable :func:`mfcc`: the same keyword options (``seed`` and ``subtract_mean`` included),
    validated and planned once; call it on a waveform ``(..., n)`` or a list of waveforms.

    ``Mfcc(**kw)(waveform)`` equals ``mfcc(waveform, **kw)`` bit for bit (with a fixed ``seed``
    when ``dither > 0``). :class:`cepstra.Stream` accepts it (not with ``subtract_mean=True``).

    Examples
    --------
    >>> mf = cepstra.kaldi.Mfcc(use_energy=True)
    >>> stream = cepstra.Stream(mf)
    >>> parts = [stream.push(c) for c in chunks] + [stream.flush()]
    >>> feats = np.concatenate(parts, axis=0)  # == mf(np.concatenate(chunks))
    """

    _is_mfcc = True

    def __init__(
        self, *, sample_frequency: float = 16000.0, frame_length: float = 25.0, frame_shift: float = 10.0,
        dither: float = 0.0, seed: int | None = None, preemphasis_coefficient: float = 0.97, remove_dc_offset: bool = True,
        window_type: str = "povey", blackman_coeff: float = 0.42, round_to_power_of_two: bool = True,
        snip_edges: bool = True, num_mel_bins: int = 23, low_freq: float = 20.0, high_freq: float = 0.0,
        vtln_low: float = 100.0, vtln_high: float = -500.0, vtln_warp: float = 1.0, use_energy: bool = False,
        raw_energy: bool = True, energy_floor: float = 1.0,
        num_ceps: int = 13, cepstral_lifter: float = 22.0, htk_compat: bool = False, subtract_mean: bool = False,
    ) -> None:
        kw = dict(locals())
        del kw["self"]
        self._setup(kw)
