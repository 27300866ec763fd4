"""istft for spectrograms cepstra built itself (HPSS parts, Griffin-Lim iterates).

The public :func:`cepstra.istft` validates its input on every call (a finiteness pass over the
whole spectrogram, the framing checks); an iterative caller pays that once: the first call
goes through the public function, the rest through ``core.istft_fast`` (cpp/src/istft_fast.cc:
the same sums and divisions as ``core.istft``, bit for bit, with the overlap-add packed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine import core
from ._engine.windows import WindowSpec, analysis_window

_Array = npt.NDArray[Any]


def istft_runner(
    shape: tuple[int, ...],
    *,
    n_fft: int | None,
    hop_length: int | None,
    win_length: int | None,
    window: WindowSpec,
    center: bool,
    dtype: npt.DTypeLike | None,
    length: int | None,
) -> Callable[[_Array], _Array]:
    """istft(S, ...) for complex, C-contiguous, finite S of ``shape`` (parameters as
    :func:`cepstra.istft`, already accepted by one public call or checked by the caller)."""
    bins = shape[-2]
    n_fft, hop, win_length, center, _ = V.framing(
        V.n_fft_of_stft(bins, n_fft), hop_length, win_length, center, "constant"
    )
    n_frames = shape[-1]
    if length is not None:
        padded = length + 2 * (n_fft // 2) if center else length
        n_frames = min(n_frames, -(-padded // hop))
        out_len = length
    else:
        out_len = n_fft + hop * (n_frames - 1) - (2 * (n_fft // 2) if center else 0)
    w, _ = analysis_window(window, win_length, n_fft)
    lead = shape[:-2]
    rows = int(np.prod(lead)) if lead else 1

    def run(S: _Array) -> _Array:
        S3 = S.reshape(rows, bins, S.shape[-1])
        if n_frames != S.shape[-1]:
            S3 = np.ascontiguousarray(S3[..., :n_frames])
        y: _Array = core.istft_fast(S3, n_fft, hop, w, center, out_len).reshape(lead + (out_len,))
        return y if dtype is None else y.astype(dtype)

    return run
