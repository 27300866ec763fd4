"""Parameter and array checks shared by the public API.

Every check raises :class:`~cepstra.ParameterError` (or :class:`TypeError` for a value of
the wrong type) with a message naming the parameter and its value, *before* any large
allocation or any C++ call.
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .exceptions import ParameterError

# Upper bounds that turn absurd requests into errors instead of giant allocations.
MAX_N_FFT = 1 << 24
MAX_HOP = 1 << 40
MAX_OUTPUT_BYTES = 1 << 40

PAD_MODES = ("constant", "reflect", "edge", "symmetric")


def is_int(value: object) -> bool:
    """True for Python or numpy integers, but not for booleans."""
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


def is_real_number(value: object) -> bool:
    return isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_))


def positive_int(name: str, value: Any, maximum: int | None = None) -> int:
    if not is_int(value) or value < 1:
        raise ParameterError(f"{name}={value!r} must be a positive integer")
    if maximum is not None and value > maximum:
        raise ParameterError(f"{name}={value!r} is too large (at most {maximum})")
    return int(value)


def non_negative_int(name: str, value: Any) -> int:
    if not is_int(value) or value < 0:
        raise ParameterError(f"{name}={value!r} must be a non-negative integer")
    return int(value)


def uncentred_fits(n_fft: int, center: bool, n: int) -> None:
    """An uncentred frame needs the whole window inside the signal (librosa raises too)."""
    if not center and n < n_fft:
        raise ParameterError(f"n_fft={n_fft} is too large for uncentered analysis of a signal of length {n}")


def real_number(
    name: str, value: Any, *, minimum: float | None = None, strict: bool = False, allow_inf: bool = False
) -> float:
    """A finite real number (or +inf when allow_inf), optionally bounded below."""
    if not is_real_number(value):
        raise ParameterError(f"{name}={value!r} must be a real number")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ParameterError(f"{name}={value!r} must be finite")
    if minimum is not None and (v < minimum or (strict and v == minimum)):
        op = ">" if strict else ">="
        raise ParameterError(f"{name}={value!r} must be {op} {minimum}")
    return v


def boolean(name: str, value: object) -> bool:
    """A flag: True/False (Python or numpy), or an integer 0 or 1 of any integer type (librosa's
    golden files store ``htk`` as numpy.uint8). Strings, floats and anything else are refused."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if is_int(value) and value in (0, 1):
        return bool(value)
    raise ParameterError(f"{name}={value!r} must be True or False (or the integer 0 or 1)")


def db_reference(ref: Any, value: Any) -> float | npt.NDArray[Any]:
    """What a ``ref`` callable returned: a real scalar (as a float, sign dropped as librosa's
    ``np.abs``) or a real array (returned as |array|, broadcast by the caller as librosa does)."""
    arr = np.asarray(value) if not isinstance(value, (str, bytes)) else None
    if arr is None or arr.dtype.kind not in "fiub":
        raise ParameterError(
            f"ref={ref!r} returned {type(value).__name__}"
            f"{'' if arr is None else ' of dtype=' + str(arr.dtype)}; it must return a real number "
            "or array"
        )
    if arr.ndim == 0:
        return abs(float(arr))
    mag: npt.NDArray[Any] = np.abs(arr)
    return mag


def db_reference_broadcasts(ref_shape: tuple[int, ...], shape: tuple[int, ...]) -> None:
    try:
        np.broadcast_shapes(ref_shape, shape)
    except ValueError:
        raise ParameterError(
            f"ref returned an array of shape {ref_shape}, which does not broadcast against S of shape {shape}"
        ) from None


def non_empty(name: str, x: npt.NDArray[Any]) -> None:
    if x.shape[-1] == 0:
        raise ParameterError(f"{name} is empty (shape={x.shape})")


def choice(name: str, value: object, options: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in options:
        raise ParameterError(f"{name}={value!r} is not supported; expected one of {', '.join(map(repr, options))}")
    return value


def spectrogram_values(name: str, S: Any, *, allow_complex: bool) -> npt.NDArray[Any]:
    """A spectrogram given as values (librosa's ``S=``): integer and boolean arrays are values,
    converted to float64 as librosa computes them; complex input where a real spectrogram is
    needed is librosa's ParameterError ("only defined with real-valued input"), not a type error."""
    arr = np.asarray(S) if not isinstance(S, (str, bytes)) else S
    if isinstance(arr, np.ndarray):
        if arr.dtype.kind == "c" and not allow_complex:
            raise ParameterError(
                f"{name} must be real-valued: the feature is only defined for real input (got dtype={arr.dtype})"
            )
        if arr.dtype.kind in "iub":
            arr = arr.astype(np.float64)
    return float_array(name, arr, min_ndim=2, allow_complex=allow_complex)


def float_array(name: str, x: Any, *, min_ndim: int = 1, allow_complex: bool = False) -> npt.NDArray[Any]:
    """Returns ``x`` as a float32/float64 (or complex) ndarray that C++ can read in place.

    No copy is made for an ordinary array; only a big-endian or unaligned buffer is copied
    (to native order) and float16 is widened to float32. Integer, bool, complex (unless
    allowed), object and string data raise TypeError; a 0-d or empty array ParameterError.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a numpy array of floats, not {type(x).__name__}")
    if (
        isinstance(x, (list, tuple))
        and any(isinstance(e, np.ndarray) for e in x)
        and not all(isinstance(e, np.ndarray) for e in x)
    ):
        raise TypeError(
            f"{name} mixes numpy arrays and other objects ("
            f"{', '.join(sorted({type(e).__name__ for e in x}))}); a batch of signals must be a list "
            "of numpy arrays"
        )
    try:
        arr: npt.NDArray[Any] = np.asarray(x)
    except ValueError as e:  # ragged nested lists
        raise ParameterError(f"{name} is not a rectangular array ({e})") from None
    kind = arr.dtype.kind
    if kind == "c" and allow_complex:
        pass
    elif kind != "f":
        raise TypeError(f"{name} must be a floating-point array, got dtype={arr.dtype}")
    if arr.dtype.itemsize > 16 or (kind == "f" and arr.dtype.itemsize not in (4, 8)):
        raise TypeError(f"{name} has unsupported dtype={arr.dtype} (use float32 or float64)")
    if arr.ndim < min_ndim:
        raise ParameterError(f"{name} must have at least {min_ndim} dimension(s), got shape={arr.shape}")
    if not arr.dtype.isnative or not arr.flags.aligned:
        arr = np.array(arr, dtype=np.dtype(arr.dtype.name), order="C")  # a copy: native order, aligned
    return arr


def finite(name: str, arr: npt.NDArray[Any]) -> None:
    """Rejects NaN and infinities without allocating a mask the size of the signal.

    Axes with stride 0 (``np.broadcast_to``) repeat one value: only their first element is
    read, so a huge broadcast signal costs nothing here (its size is refused later)."""
    if arr.size:
        view = arr[tuple(slice(0, 1) if s == 0 else slice(None) for s in arr.strides)]
        if view.ndim <= 2 and view.dtype in (np.float32, np.float64):
            from ._engine import core  # one SIMD pass in C++ (numpy min + max read the data twice)

            ok = bool(core.all_finite(view.reshape(1, -1) if view.ndim == 1 else view))
        else:
            ok = bool(np.isfinite(view.min()) and np.isfinite(view.max()))
        if not ok:
            raise ParameterError(f"{name} contains NaN or infinite values")


_NATIVE_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


@functools.cache
def _engine_core() -> Any:
    """The extension, imported on first use (the engine imports this module)."""
    from ._engine import core

    return core


def _plain_signal(name: str, y: Any, min_length: int) -> bool:
    """True for the common case, a C-contiguous native float32/float64 (n,) or (rows, n) array of
    at least ``min_length`` samples, once it is known finite (else ParameterError); False for
    anything else, which the full checks handle. A few microseconds, where the full checks took
    a tenth of a short clip's call."""
    if not (
        type(y) is np.ndarray
        and y.dtype in _NATIVE_FLOATS
        and y.ndim in (1, 2)
        and y.shape[-1] >= min_length
        and y.size
        and y.flags.c_contiguous
        and y.flags.aligned
    ):
        return False
    if not _engine_core().all_finite(y if y.ndim == 2 else y.reshape(1, -1)):
        raise ParameterError(f"{name} contains NaN or infinite values")
    return True


def signal(name: str, y: Any, *, min_length: int = 1) -> npt.NDArray[Any]:
    """An audio buffer (..., n): real floating point, non-empty, finite."""
    if _plain_signal(name, y, min_length):
        return y  # type: ignore[no-any-return]
    arr = float_array(name, y)
    n = arr.shape[-1]
    if n < min_length or arr.size == 0:
        raise ParameterError(f"{name} is empty (shape={arr.shape})")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got dtype={arr.dtype}")
    finite(name, arr)
    return arr


def output_size(name: str, value: object, *dims: int, itemsize: int) -> None:
    """Refuses an output larger than MAX_OUTPUT_BYTES, blaming parameter `name`."""
    total = itemsize
    for d in dims:
        total *= int(d)
    if total > MAX_OUTPUT_BYTES:
        raise ParameterError(f"{name}={value!r} would need an output of {total} bytes")


# ----------------------------------------------------------------------------- option sets
# One function per option set; the configs in cepstra._engine.configs call them, and the C++
# plans assert the same rules as invariants (tests/test_validation_parity.py holds them equal).

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


# ----------------------------------------------------------------------------- windows


def scipy_window(window: str | tuple[Any, ...], n: int, periodic: bool) -> npt.NDArray[np.float64]:
    """A window scipy knows by name (or (name, params...)); refused clearly without scipy."""
    try:
        import scipy.signal
    except ImportError:  # pragma: no cover - depends on the environment
        raise ParameterError(
            f"window={window!r} needs scipy (pip install scipy); cepstra itself knows "
            "'hann', 'hamming', 'blackman' and 'boxcar'"
        ) from None
    try:
        return np.asarray(scipy.signal.get_window(window, n, fftbins=periodic), dtype=np.float64)
    except (ValueError, TypeError, IndexError, KeyError) as e:  # window=() is an IndexError in scipy
        raise ParameterError(f"window={window!r} is not a valid window specification: {e}") from None


def window_from_callable(window: Callable[[int], Any], n: int) -> npt.NDArray[np.float64]:
    """What a window callable returns for n, as float64 values (a clear error for anything else)."""
    w = window(n)
    arr = np.asarray(w) if not isinstance(w, (str, bytes)) else None
    if arr is None or arr.dtype.kind not in "fiub":
        raise ParameterError(
            f"window={window!r} returned {type(w).__name__}"
            f"{'' if arr is None else ' of dtype=' + str(arr.dtype)}; it must return {n} real values"
        )
    return arr.astype(np.float64)


def window_array(window: Any, n: int) -> npt.NDArray[np.float64]:
    """A window given as its values (a 1-D real array or list of length n)."""
    if not isinstance(window, (np.ndarray, list)):
        raise ParameterError(f"window={window!r} is not a valid window specification")
    w = np.asarray(window)
    if w.ndim != 1 or len(w) != n:
        raise ParameterError(f"window has length {w.shape[0] if w.ndim else 0}, but it must have length {n}")
    if w.dtype.kind not in "fiu":
        raise TypeError(f"window must be real-valued, got dtype={w.dtype}")
    return w.astype(np.float64)


def window_values(window: Any, w: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    """What a window spec produced: shape (n,) and finite."""
    if w.shape != (n,):
        raise ParameterError(f"window={window!r} produced shape {w.shape}, expected ({n},)")
    if not np.all(np.isfinite(w)):
        raise ParameterError("window contains NaN or infinite values")
    return w


def same_layout(what: str, arrays: Sequence[npt.NDArray[Any]], time_axis: int = -1) -> None:
    """Arrays that differ only in their time-axis length (what padding into one batch needs)."""
    first = arrays[0]
    for o in arrays:
        if (
            o.ndim != first.ndim
            or o.dtype != first.dtype
            or np.delete(o.shape, time_axis).tolist() != np.delete(first.shape, time_axis).tolist()
        ):
            raise ParameterError(f"{what} needs items of the same leading shape and dtype")


def isa(name: object, accepted: bool, available: Callable[[], list[str]]) -> None:
    if not accepted:
        raise ParameterError(f"isa={name!r} is not available on this CPU; available: {available()}")


# ----------------------------------------------------------------------------- usage


def warn_empty_mel(stacklevel: int) -> None:
    """librosa's warning for a mel band without any FFT bin (its text, its category)."""
    warnings.warn(
        "Empty filters detected in mel frequency basis. Some channels will produce empty "
        "responses. Try increasing your sampling rate (and fmax) or reducing n_mels.",
        UserWarning,
        stacklevel=stacklevel + 1,
    )


def pad_needs_list(out: object) -> None:
    if not isinstance(out, list):
        raise ParameterError("pad=True applies to a list of signals")


def streamable_top_db(top_db: float | None) -> None:
    if top_db is not None:
        raise ParameterError(
            "streaming MFCC needs MFCC(..., top_db=None): librosa floors the dB mel at the maximum "
            "of the whole signal, which is unknown until the stream ends"
        )


def spectrogram(name: str, S: Any, func: str) -> npt.NDArray[Any]:
    """A (..., bins, frames) real spectrogram given instead of y: non-empty, finite."""
    if S is None:
        raise ParameterError(f"{func} needs y or S (both are None)")
    arr = float_array(name, S, min_ndim=2)
    if arr.shape[-1] < 1 or arr.shape[-2] < 1:
        raise ParameterError(f"{name} is empty (shape={arr.shape})")
    finite(name, arr)
    return arr


def n_fft_of_spectrogram(S: npt.NDArray[Any], n_fft: Any) -> int:
    """n_fft for a (..., 1 + n_fft // 2, t) spectrogram: inferred when None, else checked against S."""
    n_fft = positive_int("n_fft", 2 * (S.shape[-2] - 1) if n_fft is None else n_fft, maximum=MAX_N_FFT)
    if S.shape[-2] != n_fft // 2 + 1:
        raise ParameterError(
            f"S has {S.shape[-2]} frequency bins, which does not fit n_fft={n_fft} (expected {n_fft // 2 + 1})"
        )
    return int(n_fft)


# ----------------------------------------------------------------------------- stft / istft


def complex_dtype(name: str, dtype: Any) -> None:
    if dtype is not None and np.dtype(dtype).kind != "c":
        raise ParameterError(f"{name}={dtype!r} must be a complex dtype")


def complex_array(name: str, x: Any, *, min_ndim: int = 1) -> npt.NDArray[Any]:
    arr = float_array(name, x, min_ndim=min_ndim, allow_complex=True)
    if arr.dtype.kind != "c":
        raise TypeError(f"{name} must be complex, got dtype={arr.dtype}")
    return arr


def stft_out(out: Any, shape: tuple[int, ...]) -> None:
    """stft's ``out=``: complex, same leading shape, at least as many frames."""
    if not isinstance(out, np.ndarray) or out.dtype.kind != "c":
        raise ParameterError(f"out with dtype={getattr(out, 'dtype', type(out))} is not of complex type")
    if out.shape[:-1] != shape[:-1] or out.shape[-1] < shape[-1]:
        raise ParameterError(f"Shape mismatch for provided output array out.shape={out.shape} and target shape={shape}")


def writeable(name: str, out: npt.NDArray[Any]) -> None:
    if not out.flags.writeable:
        raise ParameterError(f"{name} is read-only (shape={out.shape}, dtype={out.dtype})")


def istft_out(out: Any, shape: tuple[int, ...]) -> None:
    if not isinstance(out, np.ndarray) or out.shape != shape:
        raise ParameterError(
            f"Shape mismatch for provided output array out.shape={getattr(out, 'shape', None)} != {shape}"
        )


def n_fft_of_stft(bins: int, n_fft: Any) -> int:
    """n_fft for an stft_matrix with ``bins`` rows: 2 * (bins - 1) when None, else checked."""
    if n_fft is None:
        if bins < 2:
            raise ParameterError(f"stft_matrix has {bins} frequency bin(s); give n_fft explicitly")
        n_fft = 2 * (bins - 1)
    n_fft = positive_int("n_fft", n_fft, maximum=MAX_N_FFT)
    if bins != n_fft // 2 + 1:
        raise ParameterError(
            f"stft_matrix has {bins} frequency bins, which does not fit n_fft={n_fft} (expected {n_fft // 2 + 1})"
        )
    return int(n_fft)


def istft_length(n_frames: int, out_len: int) -> None:
    if n_frames < 1 or out_len < 1:
        raise ParameterError(f"stft_matrix with {n_frames} frame(s) gives an empty signal")


def all_finite(name: str, arr: npt.NDArray[Any]) -> None:
    """Like finite(), for any dtype (complex included), reading every element."""
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} contains NaN or infinite values")


def float_dtype(name: str, dtype: Any) -> np.dtype[Any]:
    dt: np.dtype[Any] = np.dtype(dtype)
    if dt.kind != "f":
        raise ParameterError(f"{name}={dtype!r} must be a floating-point dtype")
    return dt


# ----------------------------------------------------------------------------- Kaldi


def kaldi_waveform(name: str, waveform: Any) -> npt.NDArray[Any]:
    """(..., n) float32/float64 (int16 converted to float32 without scaling), finite."""
    if _plain_signal(name, waveform, 1):
        return waveform  # type: ignore[no-any-return]
    if isinstance(waveform, (str, bytes)):
        raise TypeError(f"{name} must be a numpy array, not {type(waveform).__name__}")
    arr = np.asarray(waveform)
    if arr.dtype == np.int16:
        arr = arr.astype(np.float32)  # int16 scale kept: Kaldi reads samples unnormalised
    else:
        arr = float_array(name, arr)
        if arr.dtype.kind != "f":
            raise TypeError(f"{name} must be real, got dtype={arr.dtype}")
    if arr.ndim < 1:
        raise ParameterError(f"{name} must have at least 1 dimension, got shape={arr.shape}")
    finite(name, arr)
    return arr


def warn_kaldi_empty_bins(num_mel_bins: int, empty: int, stacklevel: int) -> None:
    warnings.warn(
        f"num_mel_bins={num_mel_bins} leaves {empty} mel bin(s) without any FFT bin (their log energy "
        "is log(FLT_EPSILON)); Kaldi refuses this configuration",
        UserWarning,
        stacklevel=stacklevel + 1,
    )


def streamable_subtract_mean(subtract_mean: bool) -> None:
    if subtract_mean:
        raise ParameterError(
            "subtract_mean=True cannot stream: the mean over all frames is unknown until the stream ends "
            "(stream with subtract_mean=False and subtract the mean yourself, or use a running mean)"
        )


def whisper_audio(name: str, audio: Any, padding: int, min_exclusive: int) -> npt.NDArray[Any]:
    """(n,) or (batch, n) audio, finite, longer (with padding) than whisper's reflect padding."""
    y = float_array(name, audio)
    if y.ndim not in (1, 2):
        raise ParameterError(f"{name} must be 1-D (n,) or 2-D (batch, n), got shape={y.shape}")
    finite(name, y)
    if y.shape[-1] + padding <= min_exclusive:
        raise ParameterError(
            f"{name} has {y.shape[-1]} samples (padding={padding}); whisper's reflect padding "
            f"needs more than {min_exclusive}"
        )
    return y


def irfft_length(bins: int, n: Any) -> int:
    """irfft's output length: 2 * (bins - 1) when None; it must give ``bins`` = n // 2 + 1."""
    n = positive_int("n", 2 * (bins - 1) if n is None else n, maximum=MAX_N_FFT)
    if bins != n // 2 + 1:
        raise ParameterError(f"X has {bins} bins, which does not fit n={n} (expected {n // 2 + 1})")
    return int(n)


# ----------------------------------------------------------------------------- streaming


def streamable(extractor: object, ok: bool) -> None:
    if not ok:
        raise ParameterError(f"extractor={type(extractor).__name__} cannot be streamed")


def stream_open(message: str, refused: bool) -> None:
    """A Stream call out of order (push after flush, flush twice, flush of nothing)."""
    if refused:
        raise ParameterError(message)


def stream_chunk(name: str, chunk: Any, dtype: np.dtype[Any] | None) -> npt.NDArray[Any]:
    """One 1-D finite chunk, of the stream's dtype once the first chunk has fixed it."""
    arr = float_array(name, chunk)
    if arr.ndim != 1:
        raise ParameterError(f"{name} must be 1-D, got shape={arr.shape}")
    finite(name, arr)
    if dtype is not None and arr.dtype != dtype:
        raise TypeError(f"{name} has dtype={arr.dtype}, but this stream is {dtype}")
    return arr


def frequency_range(fmin: Any, fmax: Any) -> None:
    """0 <= fmin < fmax, both finite (the values themselves are left to the caller)."""
    if real_number("fmin", fmin) < 0:
        raise ParameterError(f"fmin={fmin!r} must be >= 0")
    if real_number("fmax", fmax) <= float(fmin):
        raise ParameterError(f"fmax={fmax!r} must be greater than fmin={fmin!r}")


# ----------------------------------------------------------------------------- util


def integer(name: str, value: Any) -> int:
    if not is_int(value):
        raise ParameterError(f"{name}={value!r} must be an integer")
    return int(value)


def axis(value: Any, ndim: int) -> int:
    if not is_int(value) or not -ndim <= value < ndim:
        raise ParameterError(f"axis={value!r} is out of range for an array of ndim={ndim}")
    return int(value)


def min_ndim(name: str, x: npt.NDArray[Any], ndim: int) -> None:
    if x.ndim < ndim:
        raise ParameterError(f"{name} must have at least one dimension, got shape={x.shape}")


def frame_fits(frame_length: int, n: int, axis: int) -> None:
    if n < frame_length:
        raise ParameterError(f"frame_length={frame_length} exceeds input length x.shape[{axis}]={n}")


def pad_fits(size: int, n: int, axis: int) -> None:
    if size < n:
        raise ParameterError(f"size={size} must be at least the input size data.shape[{axis}]={n}")
