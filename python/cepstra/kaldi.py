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

import dataclasses
import inspect
import math
import secrets
from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine import batching, configs, core, plans
from ._engine.batching import SignalList
from ._engine.configs import FbankOptions, MfccOptions
from ._engine.grid import KaldiGrid

__all__ = ["fbank", "mfcc", "Fbank", "Mfcc"]

WINDOW_TYPES = V.KALDI_WINDOW_TYPES

_Array = npt.NDArray[Any]
P = ParamSpec("P")
OptsT = TypeVar("OptsT", bound=configs.KaldiOptions)
E = TypeVar("E", bound="_KaldiExtractor[Any]")


def _signature(options: type[configs.KaldiOptions], first: str) -> inspect.Signature:
    """The keyword-only signature of an options dataclass, after one positional parameter."""
    params = [inspect.Parameter(first, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    params += [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in inspect.signature(options).parameters.values()]
    return inspect.Signature(params)


def _options_init(
    options: Callable[P, OptsT],
) -> Callable[[Callable[[Any, OptsT], None]], Callable[Concatenate[Any, P], None]]:
    """Gives an extractor's ``__init__(self, options)`` the keyword arguments of its options
    dataclass (for callers, type checkers and ``help()``): the dataclass is the one list."""

    def wrap(init: Callable[[Any, OptsT], None]) -> Callable[Concatenate[Any, P], None]:
        def __init__(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> None:
            init(self, options(*args, **kwargs))

        __init__.__doc__ = init.__doc__
        __init__.__signature__ = _signature(cast(type[configs.KaldiOptions], options), "self")  # type: ignore[attr-defined]
        return __init__

    return wrap


def _waveform(waveform: npt.ArrayLike, name: str = "waveform") -> _Array:
    """(..., n) float32/float64 (int16 converted to float32 without scaling), finite, non-empty
    (as the librosa-style API: an empty signal is an error, not zero frames)."""
    x = V.kaldi_waveform(name, waveform)
    V.non_empty(name, x)
    return x


class _KaldiExtractor(Generic[OptsT]):
    """Options validated and plans built once; called on waveforms (see Fbank / Mfcc)."""

    def _setup(self, options: OptsT, caller_depth: int) -> None:
        # Called by __init__ (through the wrapper of _options_init) and by fbank()/mfcc():
        # caller_depth is how many frames above this one the user's call is, so the warning
        # points at the user's line in both cases.
        self._options = options
        p = plans.kaldi(options, "float32")  # builds (and so checks) everything the C++ side validates
        self._grid = KaldiGrid(options.sample_frequency, p.win, p.shift, options.snip_edges)
        if p.empty_bins:
            V.warn_kaldi_empty_bins(options.num_mel_bins, p.empty_bins, stacklevel=caller_depth + 1)

    @property
    def _opts(self) -> dict[str, Any]:
        """The validated options by name (what tests and older callers read)."""
        return dataclasses.asdict(self._options)

    def _plan(self, dtype: str) -> core.KaldiPlan:
        return plans.kaldi(self._options, dtype)

    def _call_seed(self) -> int:
        """The seed of one call (one signal of a list): fixed, or fresh when seed=None."""
        if self._options.seed is not None:
            return self._options.seed
        return secrets.randbits(64) if self._options.dither else 0

    def _checked(self, p: core.KaldiPlan, x: _Array) -> _Array:
        rows = math.prod(x.shape[:-1])
        V.output_size(
            "frame_shift", self._options.frame_shift, rows, p.frame_count(x.shape[-1]), p.n_out, itemsize=x.itemsize
        )
        return x

    def _finish(self, out: _Array, lead: tuple[int, ...]) -> _Array:
        out = batching.unrows(out, lead)
        if self._options.subtract_mean and out.shape[-2] > 0:
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
        if not batching.is_signal_list(waveform):
            return self._compute_one(waveform)
        assert isinstance(waveform, (list, tuple))
        xs = [_waveform(w, f"waveform[{i}]") for i, w in enumerate(waveform)]

        def run(p: core.KaldiPlan, rows: list[_Array], idx: list[int]) -> list[_Array]:
            outs: list[_Array] = p.run_list([self._checked(p, r) for r in rows], [self._call_seed() for _ in idx])
            return outs

        return batching.run_list(xs, self._plan, run, self._finish)

    def _compute_one(self, waveform: npt.ArrayLike) -> _Array:
        """One waveform (..., n): anything np.asarray accepts (what fbank()/mfcc() take)."""
        x = _waveform(waveform)
        p = self._plan(batching.dtype_name(x))
        x2, lead = batching.as_rows(self._checked(p, x))
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
        return self._options.sample_frequency

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

    def __init__(self, ext: _KaldiExtractor[Any]) -> None:
        V.streamable_subtract_mean(ext._options.subtract_mean)
        self._ext = ext
        grid = ext._grid
        self.frames_ready, self.keep_from, self.n_frames = grid.frames_ready, grid.keep_from, grid.n_frames
        self._seed = ext._call_seed()  # one signal: one seed for the whole stream

    def compute(self, segment: _Array, seg_start: int, total: int, f0: int, f1: int) -> _Array:
        return self._ext._plan(segment.dtype.name).frames(segment, seg_start, total, f0, f1, self._seed)

    def empty(self, dtype: npt.DTypeLike) -> _Array:
        return np.zeros((0, self._ext.num_bins), dtype=dtype)

    def chunk(self, chunk: npt.ArrayLike) -> _Array:
        """A pushed chunk as the offline call reads a waveform (int16 -> float32, unscaled)."""
        return V.kaldi_waveform("chunk", chunk)


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
        A power that overflows (a huge dither, samples near the dtype's maximum) gives inf/NaN
        log energies, as Kaldi's std::log would: never the silence floor. An empty waveform
        raises ParameterError.
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


def _functional(
    options: Callable[P, OptsT], extractor: type[_KaldiExtractor[OptsT]], name: str, doc: str
) -> Callable[Concatenate[npt.ArrayLike, P], _Array]:
    """The function form of an extractor, ``name(waveform, **options)``, with the signature of
    the options dataclass. A list is one array here (as before the extractors existed)."""

    validated = configs.memoized(options)  # the same keywords again skip validating ~25 options

    def f(waveform: npt.ArrayLike, /, *args: P.args, **kwargs: P.kwargs) -> _Array:
        ext = extractor.__new__(extractor)
        ext._setup(validated(*args, **kwargs), caller_depth=2)
        return ext._compute_one(waveform)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    f.__signature__ = _signature(cast(type[configs.KaldiOptions], options), "waveform")  # type: ignore[attr-defined]
    return f


_FBANK_DOC = (
    """Log mel filterbank energies, as ``torchaudio.compliance.kaldi.fbank`` / Kaldi's
    ``compute-fbank-feats``.
"""
    + _COMMON_DOC
    + """
    use_log_fbank : bool
        Natural log of the mel energies, floored at ``FLT_EPSILON`` (else the energies).
    use_power : bool
        Mel banks over the power spectrum ``|X|^2`` (else the magnitude ``|X|``)."""
    + _RETURNS_DOC.format(cols="num_mel_bins + use_energy")
    + """
    Examples
    --------
    >>> feats = cepstra.kaldi.fbank(pcm_int16, num_mel_bins=80)      # (frames, 80) float32
    """
)


_MFCC_DOC = (
    """Mel-frequency cepstral coefficients, as ``torchaudio.compliance.kaldi.mfcc`` / Kaldi's
    ``compute-mfcc-feats``.

    The log mel energies (power spectrum, ``FLT_EPSILON`` floor) go through the orthonormal
    DCT-II; coefficient ``i`` is multiplied by ``1 + 0.5 * cepstral_lifter * sin(pi * i /
    cepstral_lifter)`` (c0 unchanged). With ``use_energy`` c0 is replaced by the log energy.
    ``use_energy`` defaults to False as in torchaudio; Kaldi's default is true.
"""
    + _COMMON_DOC
    + """ With ``htk_compat`` and without ``use_energy``, c0 is also
        multiplied by ``sqrt(2)``.
    num_ceps : int, 1 <= num_ceps <= num_mel_bins
        Number of cepstral coefficients kept.
    cepstral_lifter : float
        Lifter constant; 0 disables liftering."""
    + _RETURNS_DOC.format(cols="num_ceps")
    + """
    Examples
    --------
    >>> feats = cepstra.kaldi.mfcc(pcm_int16)                        # (frames, 13) float32
    """
)


class Fbank(_KaldiExtractor[FbankOptions]):
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

    @_options_init(FbankOptions)
    def __init__(self, options: FbankOptions) -> None:
        self._setup(options, caller_depth=3)


class Mfcc(_KaldiExtractor[MfccOptions]):
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

    @_options_init(MfccOptions)
    def __init__(self, options: MfccOptions) -> None:
        self._setup(options, caller_depth=3)


fbank = _functional(FbankOptions, Fbank, "fbank", _FBANK_DOC)
mfcc = _functional(MfccOptions, Mfcc, "mfcc", _MFCC_DOC)
