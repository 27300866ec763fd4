"""Feature extraction (``librosa.feature`` equivalents).

- :mod:`.spectral`: mel spectrogram, MFCC;
- :mod:`.descriptors`: rms, zero-crossing rate, spectral centroid/bandwidth/rolloff/contrast/flatness, poly features;
- :mod:`.chroma`: chroma_stft;
- :mod:`.rhythm`: tempo, tempogram, fourier_tempogram;
- :mod:`.inverse`: mel/MFCC back to spectrograms and audio;
- :mod:`.multi`: many features from one STFT pass, and per-file summaries;
- :mod:`.utils`: delta, stack_memory.
"""

from . import inverse
from .chroma import chroma_stft
from .descriptors import (
    poly_features,
    rms,
    spectral_bandwidth,
    spectral_centroid,
    spectral_contrast,
    spectral_flatness,
    spectral_rolloff,
    zero_crossing_rate,
)
from .multi import Features, summary
from .rhythm import fourier_tempogram, tempo, tempogram
from .spectral import melspectrogram, mfcc
from .utils import delta, stack_memory

__all__ = [
    "melspectrogram",
    "mfcc",
    "chroma_stft",
    "rms",
    "zero_crossing_rate",
    "spectral_centroid",
    "spectral_bandwidth",
    "spectral_rolloff",
    "spectral_contrast",
    "spectral_flatness",
    "poly_features",
    "tempo",
    "tempogram",
    "fourier_tempogram",
    "delta",
    "stack_memory",
    "Features",
    "summary",
    "inverse",
]
