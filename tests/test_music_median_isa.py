"""The HPSS median filter on every SIMD path this CPU can run: exactly scipy's values.

Windows up to 256 take the lane kernel (several lines per pack), longer ones the sorted
window; shapes leave partial lane groups and the data holds many ties and zeros.
"""

import numpy as np
import pytest

import cepstra
from cepstra import decompose

ndimage = pytest.importorskip("scipy.ndimage")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [-1, -2])
def test_median_filter_every_isa(isa, dtype, axis):
    rng = np.random.default_rng(7)
    x = rng.integers(0, 6, size=(2, 300, 37)).astype(dtype)  # few distinct values: ties everywhere
    x[0] = rng.standard_normal((300, 37)).astype(dtype)
    if axis == -1:
        x = np.ascontiguousarray(np.swapaxes(x, -1, -2))
    for size in (1, 2, 6, 31, 32, 255, 256, 257, 299):
        fp = [1, 1, 1]
        fp[axis] = size
        ref = ndimage.median_filter(x, size=fp, mode="reflect")
        np.testing.assert_array_equal(decompose.median_filter(x, size, axis), ref, err_msg=f"{isa} size={size}")


def test_median_filter_threads_every_size():
    x = np.random.default_rng(3).standard_normal((3, 70, 90)).astype(np.float32)
    saved = cepstra.get_num_threads()
    try:
        for size in (5, 31, 300):
            outs = []
            for n in (1, 2, 3):
                cepstra.set_num_threads(n)
                outs.append([decompose.median_filter(x, size, ax) for ax in (-1, -2)])
            for o in outs[1:]:
                for a, b in zip(o, outs[0]):
                    np.testing.assert_array_equal(a, b)
    finally:
        cepstra.set_num_threads(saved)


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("kw", [{}, {"power": 1.0}, {"margin": (1.0, 3.0)}])
def test_hpss_masks_same_bits_every_isa(isa, dtype, kw):
    """The fused mask kernel (packs where the ISA has them) gives the portable path's bits."""
    rng = np.random.default_rng(11)
    D = (rng.standard_normal((2, 65, 77)) + 1j * rng.standard_normal((2, 65, 77))).astype(dtype)
    D[0, :5] = 0  # zero magnitudes: phase 1, split or zero masks
    D[1, 7, :] = 1e-30
    ours = decompose.hpss(D, **kw)
    cepstra.set_isa("generic")
    ref = decompose.hpss(D, **kw)
    for a, b in zip(ours, ref):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "n_fft,hop,center,length",
    [
        (2048, 512, True, None),
        (512, 128, False, None),
        (1000, 250, True, 12345),
        (64, 100, True, None),
        (256, 256, True, 999),
    ],
)
def test_istft_fast_same_bits_every_isa(isa, dtype, n_fft, hop, center, length):
    """The packed overlap-add of HPSS / Griffin-Lim gives core.istft's bits on every path."""
    from cepstra._engine import core
    from cepstra._engine.windows import analysis_window

    y = np.random.default_rng(5).standard_normal((2, 9000)).astype(dtype)
    D = cepstra.stft(y, n_fft=n_fft, hop_length=hop, center=center)
    w, _ = analysis_window("hann", n_fft, n_fft)
    n_frames = D.shape[-1]
    out_len = length if length is not None else n_fft + hop * (n_frames - 1) - (2 * (n_fft // 2) if center else 0)
    if length is not None:
        padded = length + 2 * (n_fft // 2) if center else length
        D = np.ascontiguousarray(D[..., : min(n_frames, -(-padded // hop))])
    ref = core.istft(D, n_fft, hop, w, center, out_len)
    np.testing.assert_array_equal(core.istft_fast(D, n_fft, hop, w, center, out_len), ref)
