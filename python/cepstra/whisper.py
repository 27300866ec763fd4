"""openai-whisper's log-mel spectrogram (``whisper.audio.log_mel_spectrogram``).

Whisper's recipe, computed by cepstra's fused mel pipeline plus a small C++ normalisation:
16 kHz audio, ``n_fft=400``, ``hop_length=160``, periodic Hann window, centred frames with
reflect padding, power spectrum, the last frame dropped, librosa's Slaney mel filters (float32,
the values of whisper's ``mel_filters.npz``), ``log10(max(x, 1e-10))``, floored at
``max - 8``, then ``(x + 4) / 4``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine import batching, configs, core, plans

__all__ = ["log_mel_spectrogram", "SAMPLE_RATE", "N_FFT", "HOP_LENGTH", "CHUNK_LENGTH", "N_SAMPLES", "N_FRAMES"]

SAMPLE_RATE = configs.WHISPER_SAMPLE_RATE
N_FFT = configs.WHISPER_N_FFT
HOP_LENGTH = configs.WHISPER_HOP_LENGTH
CHUNK_LENGTH = 30
N_SAMPLES = CHUNK_LENGTH * SAMPLE_RATE  # 480000
N_FRAMES = N_SAMPLES // HOP_LENGTH  # 3000


def log_mel_spectrogram(
    audio: npt.ArrayLike, n_mels: int = 80, padding: int = 0, *, batch_max: bool = False
) -> npt.NDArray[np.floating[Any]]:
    """Log-mel spectrogram exactly as ``whisper.log_mel_spectrogram``.

    Parameters
    ----------
    audio : np.ndarray, shape (n,) or (batch, n), float32 or float64
        16 kHz audio in [-1, 1] (whisper's ``load_audio`` gives int16 / 32768). Any strides.
    n_mels : {80, 128}
        Number of mel bands (128 for large-v3).
    padding : int >= 0
        Number of zero samples appended to the audio before the STFT (whisper's
        ``transcribe`` passes ``N_SAMPLES``).
    batch_max : bool
        For a batch: False (default) floors each item at its own ``max - 8``, as whisper does
        for one clip at a time and as HF's WhisperFeatureExtractor does; True takes the maximum
        over the whole batch, as whisper's ``log_mel_spectrogram`` on a batched tensor.

    Returns
    -------
    log_spec : np.ndarray, shape (n_mels, (n + padding) // 160) or (batch, n_mels, (n + padding) // 160)
        The dtype of ``audio`` (whisper itself works in float32). A power that overflows the
        dtype gives NaN everywhere, as torch's max propagates it (never a plausible minimum).

    Raises
    ------
    ParameterError
        For ``n_mels`` other than 80 or 128, a negative ``padding``, NaN/inf samples, or audio
        (with padding) of 200 samples or fewer: the reflect padding of 200 samples needs more
        (torch raises too).
    """
    cfg = configs.whisper_config(n_mels)
    n_mels = cfg.mel.n_mels if cfg.mel is not None else 0
    padding = V.non_negative_int("padding", padding)
    batch_max = V.boolean("batch_max", batch_max)
    y = V.whisper_audio("audio", audio, padding, N_FFT // 2)
    n = y.shape[-1] + padding
    rows = y.shape[0] if y.ndim == 2 else 1
    V.output_size("padding", padding, rows, n_mels, n // HOP_LENGTH, itemsize=y.dtype.itemsize)
    if rows == 0:
        return np.zeros((0, n_mels, n // HOP_LENGTH), dtype=y.dtype)
    # Frames that read only appended zeros are all alike (the reflect padding at the end then
    # mirrors zeros too): analyse the audio with at most _ZERO_TAIL of them, which leaves at least
    # one such frame, and repeat that frame's values over the rest. The padded signal and its
    # spectrogram are never materialised: peak memory is about the output's.
    tail = min(padding, _ZERO_TAIL)
    if tail:
        y = np.pad(y, [(0, 0)] * (y.ndim - 1) + [(0, tail)])
    p = plans.spectral(cfg, y.dtype.name)
    y2, _ = batching.as_rows(batching.check_output(cfg.framing, p, y))
    S = p(y2)  # (rows, n_mels, 1 + (n - padding + tail) // 160), power
    out = core.whisper_log_mel(S, batch_max)
    if tail < padding:
        full = np.empty(out.shape[:-1] + (n // HOP_LENGTH,), dtype=out.dtype)
        full[..., : out.shape[-1]] = out
        full[..., out.shape[-1] :] = out[..., -1:]
        out = full
    return out if y.ndim == 2 else out[0]


# Appended zeros analysed for real: beyond the 200-sample reflect padding, with at least one whole
# output frame (hop 160, window 400) reading zeros only.
_ZERO_TAIL = 800
