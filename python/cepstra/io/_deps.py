"""The optional decoders, imported on first use so that ``import cepstra`` needs numpy only."""

from __future__ import annotations

from types import ModuleType
from typing import Any

EXTRA_HINT = "pip install 'cepstra[io]'  (soundfile, soxr, tqdm)"


def soundfile() -> Any:
    try:
        import soundfile as sf
    except ImportError as exc:
        raise ImportError(f"reading audio files needs the optional extra cepstra[io]: {EXTRA_HINT}") from exc
    return sf


def soxr() -> Any:
    try:
        import soxr as mod
    except ImportError as exc:
        raise ImportError(f"resampling needs the optional extra cepstra[io]: {EXTRA_HINT}") from exc
    return mod


def pyav() -> ModuleType | None:
    """PyAV (``pip install av``) when installed: the fallback for formats libsndfile lacks."""
    try:
        import av  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    mod: ModuleType = av
    return mod
