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

import functools
import math
import secrets
import warnings

import numpy as np

from . import _core
from . import _validation as V
from .exceptions import ParameterError

__all__ = ["fbank", "mfcc"]

WINDOW_TYPES = ("povey", "hanning", "hamming", "rectangular", "blackman")


def _waveform(waveform):
    """(..., n) float32/float64 (int16 converted to float32 without scaling), finite."""
    if isinstance(waveform, (str, bytes)):
        raise TypeError(f"waveform must be a numpy array, not {type(waveform).__name__}")
    arr = np.asarray(waveform)
    if arr.dtype == np.int16:
        arr = arr.astype(np.float32)  # int16 scale kept: Kaldi reads samples unnormalised
    else:
        arr = V.float_array("waveform", arr)
        if arr.dtype.kind != "f":
            raise TypeError(f"waveform must be real, got dtype={arr.dtype}")
    if arr.ndim < 1:
        raise ParameterError(f"waveform must have at least 1 dimension, got shape={arr.shape}")
    V.finite("waveform", arr)
    return arr


def _real(name, value, **kw):
    return V.real_number(name, value, **kw)


def _options(mfcc, *, sample_frequency, frame_length, frame_shift, dither, preemphasis_coefficient,
             remove_dc_offset, window_type, blackman_coeff, round_to_power_of_two, snip_edges, num_mel_bins,
             low_freq, high_freq, vtln_low, vtln_high, vtln_warp, use_energy, raw_energy, energy_floor,
             use_log_fbank, use_power, htk_compat, subtract_mean, num_ceps=13, cepstral_lifter=22.0):
    """Validated options as a hashable tuple (the plan cache key); C++ re-checks the ranges."""
    vals = dict(
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
def _plan(dtype, options):
    o = _core.KaldiOptions()
    for k, v in options:
        setattr(o, k, v)
    p = _core.make_kaldi_plan(dtype, o)
    if p.empty_bins:
        warnings.warn(f"num_mel_bins={dict(options)['num_mel_bins']} leaves {p.empty_bins} mel bin(s) without any "
                      "FFT bin (their log energy is log(FLT_EPSILON)); Kaldi refuses this configuration",
                      UserWarning, stacklevel=4)
    return p


def _seed(seed, dither):
    if seed is None:
        return secrets.randbits(64) if dither else 0
    if not V.is_int(seed) or seed < 0:
        raise ParameterError(f"seed={seed!r} must be None or a non-negative integer")
    return int(seed) & ((1 << 64) - 1)


def _run(waveform, options, seed, subtract_mean):
    x = _waveform(waveform)
    p = _plan(x.dtype.name, options)
    lead, n = x.shape[:-1], x.shape[-1]
    rows = int(np.prod(lead)) if lead else 1
    n_frames = p.frame_count(n)
    V.output_size("frame_shift", dict(options)["frame_shift"], rows, n_frames, p.n_out, itemsize=x.itemsize)
    out = p(x.reshape(rows, n), _seed(seed, dict(options)["dither"]))
    out = out.reshape(lead + out.shape[1:])
    if subtract_mean and n_frames > 0:
        out -= out.mean(axis=-2, keepdims=True)
    return out


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


def fbank(waveform, *, sample_frequency=16000.0, frame_length=25.0, frame_shift=10.0, dither=0.0, seed=None,
          preemphasis_coefficient=0.97, remove_dc_offset=True, window_type="povey", blackman_coeff=0.42,
          round_to_power_of_two=True, snip_edges=True, num_mel_bins=23, low_freq=20.0, high_freq=0.0,
          vtln_low=100.0, vtln_high=-500.0, vtln_warp=1.0, use_energy=False, raw_energy=True, energy_floor=1.0,
          use_log_fbank=True, use_power=True, htk_compat=False, subtract_mean=False):
    opts = _options(False, sample_frequency=sample_frequency, frame_length=frame_length, frame_shift=frame_shift,
                    dither=dither, preemphasis_coefficient=preemphasis_coefficient,
                    remove_dc_offset=remove_dc_offset, window_type=window_type, blackman_coeff=blackman_coeff,
                    round_to_power_of_two=round_to_power_of_two, snip_edges=snip_edges,
                    num_mel_bins=num_mel_bins, low_freq=low_freq, high_freq=high_freq, vtln_low=vtln_low,
                    vtln_high=vtln_high, vtln_warp=vtln_warp, use_energy=use_energy, raw_energy=raw_energy,
                    energy_floor=energy_floor, use_log_fbank=use_log_fbank, use_power=use_power,
                    htk_compat=htk_compat, subtract_mean=subtract_mean)
    return _run(waveform, opts, seed, subtract_mean)


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


def mfcc(waveform, *, sample_frequency=16000.0, frame_length=25.0, frame_shift=10.0, dither=0.0, seed=None,
         preemphasis_coefficient=0.97, remove_dc_offset=True, window_type="povey", blackman_coeff=0.42,
         round_to_power_of_two=True, snip_edges=True, num_mel_bins=23, low_freq=20.0, high_freq=0.0,
         vtln_low=100.0, vtln_high=-500.0, vtln_warp=1.0, use_energy=False, raw_energy=True, energy_floor=1.0,
         num_ceps=13, cepstral_lifter=22.0, htk_compat=False, subtract_mean=False):
    opts = _options(True, sample_frequency=sample_frequency, frame_length=frame_length, frame_shift=frame_shift,
                    dither=dither, preemphasis_coefficient=preemphasis_coefficient,
                    remove_dc_offset=remove_dc_offset, window_type=window_type, blackman_coeff=blackman_coeff,
                    round_to_power_of_two=round_to_power_of_two, snip_edges=snip_edges,
                    num_mel_bins=num_mel_bins, low_freq=low_freq, high_freq=high_freq, vtln_low=vtln_low,
                    vtln_high=vtln_high, vtln_warp=vtln_warp, use_energy=use_energy, raw_energy=raw_energy,
                    energy_floor=energy_floor, use_log_fbank=True, use_power=True, htk_compat=htk_compat,
                    subtract_mean=subtract_mean, num_ceps=num_ceps, cepstral_lifter=cepstral_lifter)
    return _run(waveform, opts, seed, subtract_mean)


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
