"""cepstra: fast, librosa-exact audio features from a C++ core.

The public API mirrors librosa's names, parameters and defaults::

    import cepstra
    M = cepstra.feature.mfcc(y=y, sr=22050)          # == librosa.feature.mfcc(y=y, sr=22050)
    extractor = cepstra.MFCC(sr=22050)               # plans built once, reusable, thread-safe
"""

from ._version import __version__
from .exceptions import ParameterError
from . import convert, feature, fft, filters, util
from . import kaldi, whisper
from .runtime import available_isas, get_isa, get_num_threads, info, set_isa, set_num_threads
from .convert import db_to_amplitude, db_to_power, fft_frequencies, hz_to_mel, mel_frequencies, mel_to_hz
from .extractors import MFCC, STFT, MelSpectrogram
from .spectrum import amplitude_to_db, istft, power_to_db, stft
from .stream import Stream

__all__ = [
    "__version__", "ParameterError",
    "stft", "istft", "power_to_db", "amplitude_to_db", "db_to_power", "db_to_amplitude",
    "hz_to_mel", "mel_to_hz", "mel_frequencies", "fft_frequencies",
    "STFT", "MelSpectrogram", "MFCC", "Stream",
    "feature", "filters", "util", "convert", "fft", "kaldi", "whisper",
    "set_num_threads", "get_num_threads", "get_isa", "set_isa", "available_isas", "info",
]
