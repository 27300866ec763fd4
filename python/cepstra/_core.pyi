"""Type stub for cepstra._core, the pybind11 extension (cpp/bindings/*.cc).

Internal API: the arrays it takes must already have the exact dtype (no conversion is done,
``.noconvert()``); the Python modules validate and prepare them.
"""

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
def frame_count(n: int, n_fft: int, hop: int, center: bool, pad_mode: str) -> int: ...
def istft(
    stft_matrix: _Array, n_fft: int, hop: int, window: npt.ArrayLike, center: bool, length: int
) -> _Array: ...
