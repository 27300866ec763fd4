"""The config builders memoize validated configs by their arguments (a short clip's call is
~100 us, and validating a dozen parameters cost a third of it). The memo must never change an
answer: a bad argument raises every time, types that validate differently stay apart, and a
window function is still called for every config."""

import numpy as np
import pytest

import cepstra
from cepstra._engine import configs


def test_same_arguments_give_the_same_validated_config():
    a = configs.framing(512, 160, None, "hann", True, "constant")
    b = configs.framing(512, 160, None, "hann", True, "constant")
    assert a is b
    assert hash(a) == hash(configs.Framing(512, 160, 512, True, "constant", a.window_key, a.window))


def test_a_float_n_fft_still_raises_after_the_int_was_memoized():
    y = np.zeros(4096, np.float32)
    cepstra.feature.melspectrogram(y=y, n_fft=512)
    for _ in range(2):  # a failed call stores nothing
        with pytest.raises(cepstra.ParameterError, match=r"n_fft=512\.0"):
            cepstra.feature.melspectrogram(y=y, n_fft=512.0)


def test_bool_and_int_flags_are_kept_apart_but_agree():
    # center=1 is accepted as True (an integer flag); the memo keys them separately.
    t = configs.framing(512, 128, None, "hann", True, "constant")
    one = configs.framing(512, 128, None, "hann", 1, "constant")
    assert t == one and t.center is True and one.center is True


def test_a_window_function_is_called_for_every_call():
    calls = []

    def window(n):
        calls.append(n)
        return np.hanning(n)

    y = np.random.default_rng(0).standard_normal(2048).astype(np.float32)
    first = cepstra.stft(y, n_fft=256, window=window)
    second = cepstra.stft(y, n_fft=256, window=window)
    assert calls == [256, 256]
    np.testing.assert_array_equal(first, second)


def test_an_array_window_bypasses_the_memo_and_matches_the_named_one():
    y = np.random.default_rng(1).standard_normal(2048)
    w = cepstra.filters.get_window("hann", 256)
    np.testing.assert_array_equal(cepstra.stft(y, n_fft=256, window=w), cepstra.stft(y, n_fft=256, window="hann"))


def test_kept_hashes_stay_out_of_a_pickle():
    # str hashes differ between processes (PYTHONHASHSEED): a hash carried to a Ray worker
    # would make equal configs unequal dictionary keys there.
    import pickle

    opts = configs.FbankOptions(num_mel_bins=80)
    hash(opts)
    opts.plan_key()
    assert "_hash" in opts.__dict__ and "_plan_key" in opts.__dict__
    back = pickle.loads(pickle.dumps(opts))
    assert back == opts and "_hash" not in back.__dict__ and "_plan_key" not in back.__dict__
    fr = configs.framing(512, 160, None, "hann", True, "constant")
    hash(fr)
    assert "_hash" not in pickle.loads(pickle.dumps(fr)).__dict__


def test_kaldi_function_memo_keeps_errors_and_dither_seeds():
    x = np.random.default_rng(2).standard_normal(8000).astype(np.float32) * 1000
    a = cepstra.kaldi.fbank(x, num_mel_bins=40)
    np.testing.assert_array_equal(a, cepstra.kaldi.Fbank(num_mel_bins=40)(x))
    for _ in range(2):
        with pytest.raises(cepstra.ParameterError, match="num_mel_bins"):
            cepstra.kaldi.fbank(x, num_mel_bins=2)
    # seed=None with dither: each call draws fresh noise, memo or not
    d1 = cepstra.kaldi.fbank(x, dither=1.0)
    d2 = cepstra.kaldi.fbank(x, dither=1.0)
    assert not np.array_equal(d1, d2)
