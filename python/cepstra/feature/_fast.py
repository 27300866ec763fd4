"""Fast paths of the music descriptors through the C++ engine (``_engine.core``).

Each function returns None when the engine cannot take the call (an older extension, an
unusual parameter); the caller then runs the numpy reference path, which defines the numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

_Array = npt.NDArray[Any]


def spectral(y: Any, names: tuple[str, ...], **kwargs: Any) -> dict[str, _Array] | None:
    return None


def rms(y: _Array, frame_length: int, hop_length: int, center: bool, pad_mode: str, dtype: np.dtype[Any]
        ) -> _Array | None:
    return None


def zcr(y: _Array, frame_length: int, hop_length: int, center: bool) -> _Array | None:
    return None
