"""HPSS (decompose.hpss, effects.hpss/harmonic/percussive) and its median filter vs librosa/scipy."""

import numpy as np
import pytest

import cepstra
from cepstra import decompose, effects
from music_common import SR, assert_like_librosa, load_clip, rel_err

librosa = pytest.importorskip("librosa")
ndimage = pytest.importorskip("scipy.ndimage")


@pytest.fixture(scope="module")
def clip64():
    return load_clip(3.0).astype(np.float64)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(1, 1, 9), (2, 5, 7), (3, 40, 33), (1, 64, 3)])
@pytest.mark.parametrize("axis", [-1, -2])
def test_median_filter_equals_scipy(dtype, shape, axis):
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape).astype(dtype)
    x[..., 0, :] = x[..., -1, :]  # ties
    x[..., :, 1] = x[..., :, 0]
    x.flat[::7] = 0.0
    n = shape[axis]
    for size in sorted({1, 2, 3, 4, 5, 8, 31, 2 * n}):
        if size > 2 * n:  # scipy 1.17's 1-D path reads uninitialised memory for such windows
            continue
        fp = [1] * len(shape)
        fp[axis] = size
        ref = ndimage.median_filter(x, size=fp, mode="reflect")
        ours = decompose.median_filter(x, size, axis)
        assert ours.dtype == x.dtype
        np.testing.assert_array_equal(ours, ref, err_msg=f"size={size}")


def test_median_filter_long_window_is_reflect_median():
    """A window longer than the line: the reflect-extended median, computed by brute force."""
    x = np.array([[0.3, -1.0, 2.0, 0.5, 0.25]])
    size = 23
    idx = np.arange(-(size // 2), x.shape[1] + (size - 1) // 2)
    m = np.mod(idx, 2 * x.shape[1])
    ext = x[0, np.where(m >= x.shape[1], 2 * x.shape[1] - 1 - m, m)]
    brute = np.array([np.sort(ext[i : i + size])[size // 2] for i in range(x.shape[1])])
    np.testing.assert_array_equal(decompose.median_filter(x, size, -1)[0], brute)


GRID = [
    {},
    {"kernel_size": 17},
    {"kernel_size": (9, 21)},
    {"margin": 2.0},
    {"margin": (1.0, 4.0)},
    {"power": 1.0},
    {"power": np.inf},
    {"mask": True},
    {"mask": True, "margin": 3.0, "power": 0.5},
]


@pytest.mark.parametrize("kw", GRID, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()) or "default")
def test_decompose_hpss_complex(clip64, kw):
    for part in (0, 1):
        assert_like_librosa(
            lambda x, part=part: decompose.hpss(librosa.stft(x), **kw)[part],
            lambda x, part=part: librosa.decompose.hpss(librosa.stft(x), **kw)[part],
            clip64,
            label="decompose.hpss",
        )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_decompose_hpss_bit_exact_on_magnitude(clip64, dtype):
    S = np.abs(librosa.stft(clip64.astype(dtype)))
    for kw in ({}, {"margin": (2.0, 1.5)}, {"mask": True}):
        ours = decompose.hpss(S, **kw)
        ref = librosa.decompose.hpss(S, **kw)
        for o, r in zip(ours, ref):
            assert o.dtype == r.dtype
            np.testing.assert_array_equal(o, r)


def test_decompose_hpss_multichannel(clip64):
    D = librosa.stft(np.stack([clip64[: SR * 2], clip64[SR : SR * 3]]))
    ours = decompose.hpss(D)
    ref = librosa.decompose.hpss(D)
    assert ours[0].shape == D.shape
    for o, r in zip(ours, ref):
        assert rel_err(o, r) <= 1e-12


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"kernel_size": 11, "margin": 2.0},
        {"n_fft": 1024, "hop_length": 256},
        {"center": False},
        {"win_length": 1024},
    ],
)
def test_effects_hpss(clip64, kw):
    for part in (0, 1):
        assert_like_librosa(
            lambda x, part=part: effects.hpss(x, **kw)[part],
            lambda x, part=part: librosa.effects.hpss(x, **kw)[part],
            clip64,
            label="effects.hpss",
        )
    assert_like_librosa(
        lambda x: effects.harmonic(x, **kw),
        lambda x: librosa.effects.harmonic(x, **kw),
        clip64,
        label="effects.harmonic",
    )
    assert_like_librosa(
        lambda x: effects.percussive(x, **kw),
        lambda x: librosa.effects.percussive(x, **kw),
        clip64,
        label="effects.percussive",
    )


def test_effects_hpss_multichannel_and_window_ignored(clip64):
    y2 = np.stack([clip64[: SR * 2], clip64[SR : SR * 3]])
    h, p = effects.hpss(y2)
    hr, pr = librosa.effects.hpss(y2)
    assert h.shape == y2.shape
    assert rel_err(h, hr) <= 1e-9 and rel_err(p, pr) <= 1e-9
    # librosa 0.11 accepts window= but always uses Hann; so do we
    np.testing.assert_array_equal(effects.harmonic(y2[0], window="hamming"), effects.harmonic(y2[0]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_hpss_thread_count_invariant(clip64, dtype):
    D = librosa.stft(clip64.astype(dtype))
    before = cepstra.get_num_threads()
    try:
        results = []
        for n in (1, 2, 4):
            cepstra.set_num_threads(n)
            results.append(decompose.hpss(np.abs(D)) + decompose.hpss(D))
    finally:
        cepstra.set_num_threads(before)
    for r in results[1:]:
        for a, b in zip(r, results[0]):
            np.testing.assert_array_equal(a, b)


def test_hpss_validation(clip64):
    S = np.abs(librosa.stft(clip64[:SR]))
    with pytest.raises(cepstra.ParameterError, match="margin"):
        decompose.hpss(S, margin=0.5)
    with pytest.raises(cepstra.ParameterError, match="kernel_size"):
        decompose.hpss(S, kernel_size=0)
    with pytest.raises(cepstra.ParameterError, match="kernel_size"):
        decompose.hpss(S, kernel_size=(3, 4, 5))
    with pytest.raises(cepstra.ParameterError, match="power"):
        decompose.hpss(S, power=0)
    with pytest.raises(cepstra.ParameterError, match="non-negative"):
        decompose.hpss(-S)
    with pytest.raises(cepstra.ParameterError, match="S contains NaN"):
        decompose.hpss(np.where(S > S.max() / 2, np.nan, S))
    with pytest.raises(cepstra.ParameterError, match="at least 2"):
        decompose.hpss(S[0])
    with pytest.raises(TypeError, match="S"):
        decompose.hpss(S.astype(np.int32))
    with pytest.raises(cepstra.ParameterError, match="y"):
        effects.hpss(np.array([0.0, np.inf, 1.0]))
    S0 = S.copy()
    decompose.hpss(S)
    np.testing.assert_array_equal(S, S0)
