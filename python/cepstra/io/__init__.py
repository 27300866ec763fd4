"""Audio files in: ``load``, ``get_duration``, ``get_samplerate``, ``stream`` (extra ``cepstra[io]``).

The same names, parameters and results as librosa's, decoding through libsndfile (soundfile)
and resampling through soxr. Importing this package needs numpy only; the functions raise an
ImportError naming the extra when soundfile or soxr is missing.
"""

from ..exceptions import AudioError
from ._features import feature_blocks, file_features
from ._load import get_duration, get_samplerate, load, resample, stream, to_mono

__all__ = [
    "AudioError",
    "feature_blocks",
    "file_features",
    "get_duration",
    "get_samplerate",
    "load",
    "resample",
    "stream",
    "to_mono",
]
