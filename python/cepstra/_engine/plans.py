"""Plans built from configs, through the one cache: the C++ spectral and Kaldi plans, mel
filterbanks (dense for ``filters.mel``, sparse for projecting a spectrogram) and DCT matrices.
Every plan is immutable and shared by all threads."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from . import cache, core
from .configs import DctConfig, KaldiOptions, MelConfig, SpectralConfig

_F64 = npt.NDArray[np.float64]


def mel_basis(cfg: MelConfig, float32: bool = True) -> _F64:
    """librosa's dense (n_mels, 1 + n_fft // 2) basis, read-only; with float32 every rounding of
    librosa's float32 path (the basis melspectrogram uses for any input dtype)."""

    def build() -> _F64:
        w = core.mel_filterbank(cfg.sr, cfg.n_fft, cfg.n_mels, cfg.fmin, cfg.fmax, cfg.htk, cfg.norm_kind, cfg.p,
                                float32)
        w.setflags(write=False)
        return w

    return cache.get(("mel-basis", cfg, float32), build)


def mel_has_empty_band(cfg: MelConfig, float32: bool = True) -> bool:
    """librosa's test for its "Empty filters" warning: a band without weight whose lower edge is
    not 0 Hz (band 0 starts at fmin; the others above it)."""
    return cache.get(("mel-empty", cfg, float32), lambda: _empty_bands(cfg, mel_basis(cfg, float32)))


def _empty_bands(cfg: MelConfig, w: _F64) -> bool:
    empty = np.flatnonzero(w.max(axis=1) <= 0)
    return bool(np.any((empty > 0) | (cfg.fmin != 0)))


def mel_filterbank(cfg: MelConfig) -> core.Filterbank:
    """The float32 basis as a sparse filterbank (each band keeps only its non-zero bins)."""
    return cache.get(("mel-sparse", cfg), lambda: core.Filterbank(mel_basis(cfg, True)))


def dct_matrix(n_in: int, cfg: DctConfig) -> _F64:
    def build() -> _F64:
        M = core.dct_matrix(cfg.dct_type, n_in, cfg.n_mfcc, cfg.norm == "ortho", cfg.lifter)
        M.setflags(write=False)
        return M

    return cache.get(("dct", n_in, cfg), build)


def spectral(cfg: SpectralConfig, dtype: str) -> core.SpectralPlan:
    def build() -> core.SpectralPlan:
        fr, m = cfg.framing, cfg.mel
        M = dct_matrix(m.n_mels, cfg.dct) if (cfg.dct is not None and m is not None) else None
        if m is None:
            m = MelConfig(1.0, fr.n_fft, 1, 0.0, 0.5, False, "none", 0.0)  # unused by the stft stage
        return core.make_plan(
            dtype, cfg.stage, fr.n_fft, fr.hop, fr.center, fr.pad_mode, fr.window, cfg.power,
            m.sr, m.n_mels, m.fmin, m.fmax, m.htk, m.norm_kind, m.p, M,
            1e-10, 0.0, -1.0 if cfg.top_db is None else cfg.top_db)

    return cache.get((cfg, dtype), build)


def kaldi(opts: KaldiOptions, dtype: str) -> core.KaldiPlan:
    key = opts.plan_key()
    return cache.get((key, dtype), lambda: core.make_kaldi_plan(dtype, key.plan_fields()))
