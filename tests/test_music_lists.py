"""Lists of signals for onset_strength, beat_track and effects.hpss: one result per signal,
equal to the per-signal calls, bit-identical for any thread count."""

import numpy as np
import pytest

import cepstra
from music_common import SR, load_clip


@pytest.fixture(scope="module")
def signals():
    clip = load_clip(4.0).astype(np.float32)
    rng = np.random.default_rng(2)
    return [clip, clip[: 3 * SR].copy(), (0.1 * rng.standard_normal(2 * SR + 77)).astype(np.float32)]


def _threads(n):
    saved = cepstra.get_num_threads()
    cepstra.set_num_threads(n)
    return saved


def test_onset_strength_list(signals):
    outs = cepstra.onset.onset_strength(y=signals, sr=SR)
    assert isinstance(outs, list) and len(outs) == len(signals)
    for y, o in zip(signals, outs):
        np.testing.assert_array_equal(o, cepstra.onset.onset_strength(y=y, sr=SR))
    multi = cepstra.onset.onset_strength_multi(y=signals, sr=SR, channels=[0, 32, 64, 128])
    for y, o in zip(signals, multi):
        np.testing.assert_array_equal(o, cepstra.onset.onset_strength_multi(y=y, sr=SR, channels=[0, 32, 64, 128]))


def test_onset_strength_list_mixed_dtypes_and_channels(signals):
    ys = [signals[0].astype(np.float64), np.stack([signals[1], signals[1][::-1].copy()])]
    outs = cepstra.onset.onset_strength(y=ys, sr=SR, lag=2)
    for y, o in zip(ys, outs):
        ref = cepstra.onset.onset_strength(y=y, sr=SR, lag=2)
        assert o.dtype == ref.dtype
        np.testing.assert_array_equal(o, ref)


def test_beat_track_list(signals):
    outs = cepstra.beat.beat_track(y=signals, sr=SR, units="time")
    assert len(outs) == len(signals)
    for y, (tempo, beats) in zip(signals, outs):
        t_ref, b_ref = cepstra.beat.beat_track(y=y, sr=SR, units="time")
        np.testing.assert_array_equal(tempo, t_ref)
        np.testing.assert_array_equal(beats, b_ref)


def test_effects_hpss_list(signals):
    outs = cepstra.effects.hpss(signals, margin=2.0)
    hs = cepstra.effects.harmonic(signals)
    ps = cepstra.effects.percussive(signals)
    for y, (h, p), h1, p1 in zip(signals, outs, hs, ps):
        h_ref, p_ref = cepstra.effects.hpss(y, margin=2.0)
        np.testing.assert_array_equal(h, h_ref)
        np.testing.assert_array_equal(p, p_ref)
        np.testing.assert_array_equal(h1, cepstra.effects.harmonic(y))
        np.testing.assert_array_equal(p1, cepstra.effects.percussive(y))


def test_lists_thread_count_invariant(signals):
    results = []
    for n in (1, 2, 3):
        saved = _threads(n)
        try:
            results.append(
                (
                    cepstra.onset.onset_strength(y=signals, sr=SR),
                    cepstra.beat.beat_track(y=signals, sr=SR),
                    cepstra.effects.hpss(signals),
                )
            )
        finally:
            cepstra.set_num_threads(saved)
    for onsets, beats, parts in results[1:]:
        for a, b in zip(onsets, results[0][0]):
            np.testing.assert_array_equal(a, b)
        for (t, bt), (t0, bt0) in zip(beats, results[0][1]):
            np.testing.assert_array_equal(t, t0)
            np.testing.assert_array_equal(bt, bt0)
        for (h, p), (h0, p0) in zip(parts, results[0][2]):
            np.testing.assert_array_equal(h, h0)
            np.testing.assert_array_equal(p, p0)
