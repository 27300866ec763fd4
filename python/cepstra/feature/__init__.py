"""Feature extraction (``librosa.feature`` equivalents).

- :mod:`.spectral`: mel spectrogram, MFCC (and the music descriptors as they land);
- :mod:`.utils`: delta (and stack_memory).
"""

from .spectral import melspectrogram, mfcc
from .utils import delta
from .rhythm import fourier_tempogram, tempo, tempogram
from . import inverse

__all__ = ["melspectrogram", "mfcc", "delta"]
__all__ += ["tempo", "tempogram", "fourier_tempogram", "inverse"]
