"""cepstra: fast, librosa-exact audio features from a C++ core.

The public API mirrors librosa's names, parameters and defaults::

    import cepstra
    M = cepstra.feature.mfcc(y=y, sr=22050)          # == librosa.feature.mfcc(y=y, sr=22050)
    extractor = cepstra.MFCC(sr=22050)               # plans built once, reusable, thread-safe
"""

from . import beat, convert, decompose, effects, feature, fft, filters, io, kaldi, onset, util, whisper
from ._version import __version__
from .convert import db_to_amplitude, db_to_power, fft_frequencies, hz_to_mel, mel_frequencies, mel_to_hz
from .exceptions import AudioError, MidiError, ParameterError
from .extractors import MFCC, STFT, MelSpectrogram
from .feature.multi import Features
from .feature.rhythm import fourier_tempo_frequencies, tempo_frequencies
from .frames import (
    frames_to_samples,
    frames_to_time,
    samples_like,
    samples_to_frames,
    samples_to_time,
    time_to_frames,
    time_to_samples,
    times_like,
)
from .io import get_duration, get_samplerate, load, stream
from .phase import griffinlim
from .pitch import estimate_tuning, piptrack, pitch_tuning
from .runtime import available_isas, get_isa, get_num_threads, info, set_isa, set_num_threads
from .spectrum import amplitude_to_db, istft, power_to_db, stft
from .streaming import Stream

__all__ = [
    "__version__",
    "ParameterError",
    "MidiError",
    "AudioError",
    # audio files (extra cepstra[io]; soundfile/soxr are imported on first call)
    "load",
    "stream",
    "get_duration",
    "get_samplerate",
    # spectrum and conversions
    "stft",
    "istft",
    "power_to_db",
    "amplitude_to_db",
    "db_to_power",
    "db_to_amplitude",
    "hz_to_mel",
    "mel_to_hz",
    "mel_frequencies",
    "fft_frequencies",
    "tempo_frequencies",
    "fourier_tempo_frequencies",
    "griffinlim",
    "estimate_tuning",
    "piptrack",
    "pitch_tuning",
    # the frame grid
    "frames_to_samples",
    "frames_to_time",
    "samples_like",
    "samples_to_frames",
    "samples_to_time",
    "time_to_frames",
    "time_to_samples",
    "times_like",
    # reusable extractors
    "STFT",
    "MelSpectrogram",
    "MFCC",
    "Features",
    "Stream",
    # modules
    "feature",
    "filters",
    "util",
    "convert",
    "fft",
    "kaldi",
    "whisper",
    "onset",
    "beat",
    "decompose",
    "effects",
    "io",
    # runtime
    "set_num_threads",
    "get_num_threads",
    "get_isa",
    "set_isa",
    "available_isas",
    "info",
]

# Audio files (extra cepstra[io]; soundfile/soxr are imported on first call). `stream` is
# librosa.stream, the block reader; the streaming-features class stays cepstra.Stream.
__all__ += ["AudioError", "io", "load", "get_duration", "get_samplerate", "stream"]
