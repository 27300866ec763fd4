"""Option sets: one function per set (framing, mel, DCT, Kaldi, Whisper); the configs in
cepstra._engine.configs call them, and the C++ plans assert the same rules as invariants
(tests/test_validation_parity.py holds them equal).
"""

from __future__ import annotations

from typing import Any

from ..exceptions import ParameterError
from .scalars import MAX_HOP, MAX_N_FFT, PAD_MODES, boolean, choice, is_int, positive_int, real_number

UNSUPPORTED_STFT_PADS = ("wrap", "maximum", "mean", "median", "minimum")


def framing(
    n_fft: Any, hop_length: Any, win_length: Any, center: Any, pad_mode: Any
) -> tuple[int, int, int, bool, str]:
    """librosa's STFT framing -> (n_fft, hop, win_length, center, pad_mode); the hop defaults
    to win_length // 4 and pad_mode is "constant" when not centred (it is unused then)."""
    n_fft = positive_int("n_fft", n_fft, maximum=MAX_N_FFT)
    win_length = positive_int("win_length", n_fft if win_length is None else win_length, maximum=MAX_N_FFT)
    if win_length > n_fft:
        raise ParameterError(f"win_length={win_length} must be <= n_fft={n_fft}")
    hop = positive_int("hop_length", max(1, win_length // 4) if hop_length is None else hop_length, maximum=MAX_HOP)
    center = boolean("center", center)
    if center:
        if pad_mode in UNSUPPORTED_STFT_PADS:
            raise ParameterError(f"pad_mode={pad_mode!r} is not supported by stft")
        choice("pad_mode", pad_mode, PAD_MODES)
    elif not isinstance(pad_mode, str):
        raise ParameterError(f"pad_mode={pad_mode!r} must be a string")
    return n_fft, hop, win_length, center, pad_mode if center else "constant"


# Filterbank size cap (1 GiB as float64): a bigger one is a mistake, not a mel spectrogram.
MAX_MEL_ELEMENTS = 1 << 27


def mel_norm(norm: Any, name: str = "norm") -> tuple[str, float]:
    """A mel filter norm: 'slaney', None, or a positive number (np.inf allowed) -> (kind, p)."""
    if norm is None:
        return ("none", 0.0)
    if isinstance(norm, str):
        if norm == "slaney":
            return ("slaney", 0.0)
        raise ParameterError(f"{name}={norm!r} is not supported; use 'slaney', None or a positive number")
    return ("lp", real_number(name, norm, minimum=0.0, strict=True, allow_inf=True))


def mel(
    sr: Any, n_fft: Any, n_mels: Any, fmin: Any, fmax: Any, htk: Any, norm: Any, norm_name: str = "norm"
) -> tuple[float, int, int, float, float, bool, str, float]:
    """librosa's mel filterbank -> (sr, n_fft, n_mels, fmin, fmax, htk, norm_kind, p)."""
    sr = real_number("sr", sr, minimum=0.0, strict=True)
    n_fft = positive_int("n_fft", n_fft, maximum=MAX_N_FFT)
    n_mels = positive_int("n_mels", n_mels, maximum=1 << 16)
    fmin = real_number("fmin", fmin, minimum=0.0)
    fmax = sr / 2.0 if fmax is None else real_number("fmax", fmax, minimum=0.0, strict=True)
    if fmin >= fmax:
        raise ParameterError(f"fmin={fmin} must be less than fmax={fmax}")
    if n_mels * (n_fft // 2 + 1) > MAX_MEL_ELEMENTS:
        raise ParameterError(
            f"n_mels={n_mels} with n_fft={n_fft} gives a filterbank of "
            f"{n_mels * (n_fft // 2 + 1)} values (at most {MAX_MEL_ELEMENTS})"
        )
    htk = boolean("htk", htk)
    kind, p = mel_norm(norm, norm_name)
    return sr, n_fft, n_mels, fmin, fmax, htk, kind, p


def dct(n_mfcc: Any, dct_type: Any, norm: Any, lifter: Any, n_mels: int) -> tuple[int, int, str | None, float]:
    """scipy's DCT as librosa's mfcc uses it -> (n_mfcc, dct_type, norm, lifter)."""
    n_mfcc = positive_int("n_mfcc", n_mfcc)
    if n_mfcc > n_mels:
        raise ParameterError(f"n_mfcc={n_mfcc} must be <= n_mels={n_mels}")
    if not is_int(dct_type) or dct_type not in (1, 2, 3):
        raise ParameterError(f"dct_type={dct_type!r} must be 1, 2 or 3")
    if norm not in (None, "ortho"):
        raise ParameterError(f"norm={norm!r} must be 'ortho' or None")
    if dct_type == 1 and n_mels < 2:
        raise ParameterError(f"dct_type=1 needs n_mels >= 2, got n_mels={n_mels}")
    return n_mfcc, int(dct_type), norm, real_number("lifter", lifter, minimum=0.0)


KALDI_WINDOW_TYPES = ("povey", "hanning", "hamming", "rectangular", "blackman")
KALDI_MAX_MEL_BINS = 1 << 20
KALDI_MIN_MEL_BINS = 3  # Kaldi's MelBanks refuses fewer


def kaldi_options(o: dict[str, Any], *, mfcc: bool) -> dict[str, Any]:
    """Kaldi's fbank/MFCC options (a dict of every field) -> the normalised values, with the rules
    make_kaldi_plan (cpp/src/kaldi.cc) asserts; what only the sizes in samples can tell (the
    window length, the mel range against the Nyquist frequency) is checked by the C++ plan."""
    r: dict[str, Any] = {}
    for name in (
        "remove_dc_offset",
        "round_to_power_of_two",
        "snip_edges",
        "use_energy",
        "raw_energy",
        "htk_compat",
        "subtract_mean",
        "use_log_fbank",
        "use_power",
    ):
        if name in o:
            r[name] = boolean(name, o[name])
    for name in ("sample_frequency", "frame_length", "frame_shift"):
        r[name] = real_number(name, o[name], minimum=0.0, strict=True)
    for name in ("dither", "low_freq", "energy_floor"):
        r[name] = real_number(name, o[name], minimum=0.0)
    for name in ("blackman_coeff", "high_freq", "vtln_low", "vtln_high", "vtln_warp"):
        r[name] = real_number(name, o[name])
    c = r["preemphasis_coefficient"] = real_number("preemphasis_coefficient", o["preemphasis_coefficient"])
    if not 0.0 <= c <= 1.0:
        raise ParameterError(f"preemphasis_coefficient={o['preemphasis_coefficient']!r} must be in [0, 1]")
    if r["vtln_warp"] != 1.0:
        raise ParameterError(f"vtln_warp={o['vtln_warp']!r} is not supported (only 1.0, no warping)")
    r["window_type"] = choice("window_type", o["window_type"], KALDI_WINDOW_TYPES)
    bins = r["num_mel_bins"] = positive_int("num_mel_bins", o["num_mel_bins"], maximum=KALDI_MAX_MEL_BINS)
    if bins < KALDI_MIN_MEL_BINS:
        raise ParameterError(f"num_mel_bins={bins} must be >= {KALDI_MIN_MEL_BINS} (Kaldi's minimum)")
    seed = o["seed"]
    if seed is not None and (not is_int(seed) or seed < 0):
        raise ParameterError(f"seed={seed!r} must be None or a non-negative integer")
    r["seed"] = None if seed is None else int(seed) & ((1 << 64) - 1)
    if mfcc:
        r["num_ceps"] = positive_int("num_ceps", o["num_ceps"])
        if r["num_ceps"] > bins:
            raise ParameterError(f"num_ceps={o['num_ceps']!r} must be <= num_mel_bins={o['num_mel_bins']!r}")
        r["cepstral_lifter"] = real_number("cepstral_lifter", o["cepstral_lifter"])
    return r


def whisper_n_mels(n_mels: Any) -> int:
    if not is_int(n_mels) or n_mels not in (80, 128):
        raise ParameterError(f"n_mels={n_mels!r} must be 80 or 128 (whisper's mel filters)")
    return int(n_mels)
