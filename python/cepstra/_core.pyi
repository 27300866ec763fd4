"""Type stub for cepstra._core, the pybind11 extension (cpp/bindings/*.cc).

Internal API: the arrays it takes must already have the exact dtype (no conversion is done,
``.noconvert()``); the Python modules validate and prepare them.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

_Array = npt.NDArray[Any]
_F64 = npt.NDArray[np.float64]

# bind_runtime.cc
build_version: str
build_flags: str
compiler: str

def get_num_threads() -> int: ...
def set_num_threads(n: int) -> None: ...
def active_isa() -> str: ...
def set_isa(name: str) -> bool: ...
def isa_available(name: str) -> bool: ...

# bind_fft.cc
def rfft(x: _Array) -> _Array: ...
def irfft(X: _Array, n: int) -> _Array: ...

# bind_filters.cc
def get_window(name: str, n: int, periodic: bool) -> _F64: ...
def mel_filterbank(
    sr: float, n_fft: int, n_mels: int, fmin: float, fmax: float, htk: bool, norm: str, p: float, float32: bool
) -> _F64: ...
def dct_matrix(type: int, n: int, n_out: int, ortho: bool, lifter: float) -> _F64: ...
def mel_project(S: _Array, dense: npt.ArrayLike) -> _Array: ...
def matrix_apply(S: _Array, M: npt.ArrayLike) -> _Array: ...
def power_to_db(S: _Array, amin: float, ref: float, top_db: float, square: bool) -> _Array: ...

# bind_spectral.cc
class SpectralPlan:
    @property
    def n_out(self) -> int: ...
    def __call__(self, y: _Array) -> _Array: ...
    def run_list(self, ys: Sequence[_Array]) -> list[_Array]: ...
    def frames(self, segment: _Array, seg_start: int, total_length: int, f0: int, f1: int) -> _Array: ...

def make_plan(
    dtype: str,
    stage: str,
    n_fft: int,
    hop: int,
    center: bool,
    pad_mode: str,
    window: npt.ArrayLike,
    power: float,
    sr: float,
    n_mels: int,
    fmin: float,
    fmax: float,
    htk: bool,
    norm: str,
    p: float,
    dct: npt.ArrayLike | None,
    amin: float,
    ref_db: float,
    top_db: float,
) -> SpectralPlan: ...
def all_finite(y: _Array) -> bool: ...
def frame_count(n: int, n_fft: int, hop: int, center: bool, pad_mode: str) -> int: ...
def istft(
    stft_matrix: _Array, n_fft: int, hop: int, window: npt.ArrayLike, center: bool, length: int
) -> _Array: ...

# bind_kaldi.cc
class KaldiOptions:
    sample_frequency: float
    frame_length: float
    frame_shift: float
    dither: float
    preemphasis_coefficient: float
    remove_dc_offset: bool
    @property
    def window_type(self) -> None: ...  # write-only in effect: reads give None
    @window_type.setter
    def window_type(self, value: str) -> None: ...
    blackman_coeff: float
    round_to_power_of_two: bool
    snip_edges: bool
    num_mel_bins: int
    low_freq: float
    high_freq: float
    use_energy: bool
    raw_energy: bool
    energy_floor: float
    use_log_fbank: bool
    use_power: bool
    htk_compat: bool
    mfcc: bool
    num_ceps: int
    cepstral_lifter: float
    def __init__(self) -> None: ...

class KaldiPlan:
    @property
    def n_out(self) -> int: ...
    @property
    def win(self) -> int: ...
    @property
    def shift(self) -> int: ...
    @property
    def padded(self) -> int: ...
    @property
    def empty_bins(self) -> int: ...
    def frame_count(self, n: int) -> int: ...
    def __call__(self, waveform: _Array, seed: int) -> _Array: ...
    def run_list(self, waveforms: Sequence[_Array], seeds: Sequence[int]) -> list[_Array]: ...
    def frames(
        self, segment: _Array, seg_start: int, total_length: int, f0: int, f1: int, seed: int
    ) -> _Array: ...

def make_kaldi_plan(dtype: str, options: KaldiOptions) -> KaldiPlan: ...
def kaldi_mel_banks(num_bins: int, padded: int, sample_frequency: float, low_freq: float, high_freq: float) -> _F64: ...
def whisper_log_mel(mel: _Array, batch_max: bool) -> _Array: ...
# music (bind_music_rhythm.cc)
def median_filter(x: _Array, size: int, axis: int) -> _Array: ...
def beat_track_dp(onsets: _Array, frames_per_beat: _Array, tightness: float, trim: bool,
                  hann5: npt.ArrayLike) -> _Array: ...
def hpss_apply(D: _Array, mag: _Array, harm: _Array, perc: _Array, margin_harm: float, margin_perc: float, power: int,
               split_zeros: bool) -> tuple[_Array, _Array]: ...
def griffinlim_update(rebuilt: _Array, tprev: _Array | None, S: _Array, c: float, angles: _Array) -> None: ...
