"""Feature extraction (``librosa.feature`` equivalents).

- :mod:`.spectral`: mel spectrogram, MFCC (and the music descriptors as they land);
- :mod:`.utils`: delta (and stack_memory).
"""

from .spectral import melspectrogram, mfcc
from .utils import delta, stack_memory
from .descriptors import (poly_features, rms, spectral_bandwidth, spectral_centroid, spectral_contrast,
                          spectral_flatness, spectral_rolloff, zero_crossing_rate)
from .chroma import chroma_stft
from .multi import Features, summary

__all__ = ["melspectrogram", "mfcc", "delta"]
__all__ += ["stack_memory", "chroma_stft", "rms", "zero_crossing_rate", "spectral_centroid", "spectral_bandwidth",
            "spectral_rolloff", "spectral_contrast", "spectral_flatness", "poly_features", "Features", "summary"]
