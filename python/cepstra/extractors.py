"""Reusable extractors: parameters validated and plans built once, then called on arrays.

>>> mfcc = cepstra.MFCC(sr=16000, n_mfcc=13, n_fft=512, hop_length=160)
>>> feats = mfcc(y)                  # (13, frames)
>>> feats = mfcc([y1, y2, y3])       # a list, one array per signal (any lengths)
"""

from __future__ import annotations

from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from . import _validation as V
from ._engine import batching, configs, plans
from ._engine.batching import SignalList
from ._engine.grid import LibrosaGrid
from ._engine.windows import WindowSpec

_Array = npt.NDArray[Any]

__all__ = ["STFT", "MelSpectrogram", "MFCC"]


def warn_if_empty_mel(cfg: configs.SpectralConfig, dtype: str, stacklevel: int) -> None:
    """librosa's "Empty filters" warning, from the plan (which knows its bands)."""
    if cfg.mel is not None and plans.spectral(cfg, dtype).empty_mel_bands:
        V.warn_empty_mel(stacklevel + 1)


class _Extractor:
    def __init__(self, cfg: configs.SpectralConfig, sr: float) -> None:
        self._cfg = cfg
        fr = cfg.framing
        nz = np.flatnonzero(fr.window)
        self._grid = LibrosaGrid(sr, fr.n_fft, fr.hop, fr.center, int(nz[0]) if nz.size else 0)

    @overload
    def __call__(self, y: SignalList, *, pad: Literal[True]) -> tuple[_Array, npt.NDArray[np.int64]]: ...
    @overload
    def __call__(self, y: SignalList, *, pad: Literal[False] = ...) -> list[_Array]: ...
    @overload
    def __call__(self, y: npt.NDArray[Any], *, pad: Literal[False] = ...) -> _Array: ...
    @overload
    def __call__(self, y: npt.ArrayLike, *, pad: bool = ...
                 ) -> _Array | list[_Array] | tuple[_Array, npt.NDArray[np.int64]]: ...
    def __call__(self, y: npt.ArrayLike, *, pad: bool = False
                 ) -> _Array | list[_Array] | tuple[_Array, npt.NDArray[np.int64]]:
        """Compute the features of ``y``.

        Parameters
        ----------
        y : np.ndarray, shape (..., n), float32 or float64; or a list of such arrays
            A list is one batch of independent signals of any lengths, computed in one
            parallel pass (threads balance frames across all signals).
        pad : bool
            For a list: return ``(features, lengths)`` where ``features`` has shape
            ``(batch, ..., n_out, max_frames)``, zero-padded, and ``lengths`` (int64,
            shape (batch,)) gives each item's frame count — the shape model code wants.

        Returns
        -------
        np.ndarray, shape (..., n_out, frames); for a list input a list of such arrays, or
        ``(features, lengths)`` when ``pad=True``
        """
        out = batching.run_spectral(self._cfg, y)
        if pad:
            V.pad_needs_list(out)
            assert isinstance(out, list)
            return batching.pad_batch(out)
        return out

    def _stream_spec(self) -> _LibrosaStreamSpec:
        V.streamable_top_db(self._cfg.top_db)
        return _LibrosaStreamSpec(self)

    @property
    def n_fft(self) -> int:
        return self._cfg.framing.n_fft

    @property
    def hop_length(self) -> int:
        """Samples between the starts of consecutive frames."""
        return self._cfg.framing.hop

    @property
    def sr(self) -> float:
        """Sampling rate (Hz) that :meth:`frame_times` converts samples with."""
        return self._grid.sr

    def n_frames(self, n_samples: int) -> int:
        """Number of frames (the length of the time axis) for a signal of ``n_samples`` samples.

        Raises ParameterError where the call on such a signal would (``n_samples < 1``, or
        ``n_samples < n_fft`` with ``center=False``).
        """
        return self._grid.n_frames(n_samples)

    def frame_times(self, n_frames: int) -> npt.NDArray[np.float64]:
        """Time (s, float64, shape ``(n_frames,)``) of the centre of each frame's analysis window:
        ``k * hop_length / sr`` when centred, ``(k * hop_length + n_fft / 2) / sr`` when not."""
        return self._grid.frame_times(n_frames)


class _LibrosaStreamSpec:
    """How cepstra.Stream frames a librosa-style extractor: its frame grid plus its plan."""

    def __init__(self, ext: _Extractor) -> None:
        self._cfg = ext._cfg
        grid = ext._grid
        self.frames_ready, self.keep_from, self.n_frames = grid.frames_ready, grid.keep_from, grid.n_frames

    def compute(self, segment: _Array, seg_start: int, total: int, f0: int, f1: int) -> _Array:
        return plans.spectral(self._cfg, segment.dtype.name).frames(segment, seg_start, total, f0, f1)

    def empty(self, dtype: npt.DTypeLike) -> _Array:
        n_out = plans.spectral(self._cfg, np.dtype(dtype).name).n_out
        out_dtype = np.result_type(dtype, np.complex64) if self._cfg.stage == "stft" else dtype
        return np.zeros((n_out, 0), dtype=out_dtype)


class STFT(_Extractor):
    """Reusable :func:`cepstra.stft` (same parameters); returns complex arrays.

    ``sr`` (default 22050, librosa's) does not change the result; it only converts the frame
    grid to seconds (:meth:`frame_times`).
    """

    def __init__(self, *, n_fft: int = 2048, hop_length: int | None = None, win_length: int | None = None,
                 window: WindowSpec = "hann", center: bool = True, pad_mode: str = "constant",
                 sr: float = 22050) -> None:
        sr = V.real_number("sr", sr, minimum=0.0, strict=True)
        fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
        super().__init__(configs.spectral_config("stft", fr), sr)


class MelSpectrogram(_Extractor):
    """Reusable :func:`cepstra.feature.melspectrogram` (same parameters, signal input)."""

    def __init__(self, *, sr: float = 22050, n_fft: int = 2048, hop_length: int | None = 512,
                 win_length: int | None = None, window: WindowSpec = "hann", center: bool = True,
                 pad_mode: str = "constant", power: float = 2.0, n_mels: int = 128, fmin: float = 0.0,
                 fmax: float | None = None, htk: bool = False, norm: str | float | None = "slaney") -> None:
        fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
        mel = configs.mel_config(sr, fr.n_fft, n_mels, fmin, fmax, htk, norm)
        cfg = configs.spectral_config("mel", fr, power=power, mel=mel)
        warn_if_empty_mel(cfg, "float32", stacklevel=2)
        super().__init__(cfg, mel.sr)


class MFCC(_Extractor):
    """Reusable :func:`cepstra.feature.mfcc` (same parameters, signal input).

    ``top_db`` (default 80, librosa's fixed value) is the floor below the maximum applied to
    the dB mel before the DCT; ``None`` disables it, which is what :class:`cepstra.Stream` needs.
    """

    def __init__(self, *, sr: float = 22050, n_mfcc: int = 20, dct_type: int = 2, norm: str | None = "ortho",
                 lifter: float = 0, mel_norm: str | float | None = "slaney", n_fft: int = 2048,
                 hop_length: int | None = 512, win_length: int | None = None, window: WindowSpec = "hann",
                 center: bool = True, pad_mode: str = "constant", power: float = 2.0, n_mels: int = 128,
                 fmin: float = 0.0, fmax: float | None = None, htk: bool = False,
                 top_db: float | None = 80.0) -> None:
        fr = configs.framing(n_fft, hop_length, win_length, window, center, pad_mode)
        mel = configs.mel_config(sr, fr.n_fft, n_mels, fmin, fmax, htk, mel_norm, norm_name="mel_norm")
        dct = configs.dct_config(n_mfcc, dct_type, norm, lifter, mel.n_mels)
        cfg = configs.spectral_config("mfcc", fr, power=power, mel=mel, dct=dct, top_db=top_db)
        warn_if_empty_mel(cfg, "float32", stacklevel=2)
        super().__init__(cfg, mel.sr)
