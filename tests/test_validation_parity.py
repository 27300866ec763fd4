"""Python's validator (cepstra._validation) and the C++ invariants never contradict: at the
boundaries of each rule, the public API and the binding called directly accept and refuse the
same values (the binding bypasses every Python check)."""

import dataclasses

import numpy as np
import pytest

import cepstra
from cepstra._engine import configs, core

PE = cepstra.ParameterError


def _python_accepts(make):
    try:
        make()
    except PE:
        return False
    return True


def _cpp_accepts(build):
    try:
        build()
    except PE:
        return False
    return True


def _kaldi_fields(cls, **kw):
    """The plan fields of the default options with kw replaced, bypassing Python validation."""
    fields = cls().plan_fields()
    fields.update(kw)
    return fields


KALDI_CASES = [
    # (option, values at and around the boundary)
    ("preemphasis_coefficient", [-0.01, 0.0, 0.5, 1.0, 1.01]),
    ("num_mel_bins", [1, 2, 3, 4, 40]),
    ("sample_frequency", [-1.0, 0.0, 16000.0]),
    ("frame_length", [-1.0, 0.0, 25.0]),
    ("frame_shift", [-1.0, 0.0, 10.0]),
    ("dither", [-0.1, 0.0, 0.1]),
    ("energy_floor", [-1.0, 0.0, 1.0]),
    ("low_freq", [-1.0, 0.0, 20.0]),
    ("window_type", ["povey", "hanning", "hamming", "rectangular", "blackman", "hann", "sine"]),
]


@pytest.mark.parametrize("option,values", KALDI_CASES, ids=[c[0] for c in KALDI_CASES])
@pytest.mark.parametrize("cls", [configs.FbankOptions, configs.MfccOptions], ids=["fbank", "mfcc"])
def test_kaldi_rules_agree(cls, option, values):
    verdicts = []
    for v in values:
        kw = {option: v}
        py = _python_accepts(lambda kw=kw: cls(**kw))
        cpp = _cpp_accepts(lambda kw=kw: core.make_kaldi_plan("float32", _kaldi_fields(cls, **kw)))
        assert py == cpp, f"{option}={v!r}: Python accepts: {py}, C++ accepts: {cpp}"
        verdicts.append(py)
    assert any(verdicts) and not all(verdicts), "the boundary must be crossed (some accepted, some refused)"


@pytest.mark.parametrize("num_ceps", [0, 1, 23, 24])
def test_kaldi_num_ceps_rule_agrees(num_ceps):
    py = _python_accepts(lambda: configs.MfccOptions(num_ceps=num_ceps))
    cpp = _cpp_accepts(lambda: core.make_kaldi_plan("float32", _kaldi_fields(configs.MfccOptions, num_ceps=num_ceps)))
    assert py == cpp == (1 <= num_ceps <= 23)


def test_kaldi_messages_name_the_parameter_on_both_sides():
    with pytest.raises(PE, match=r"preemphasis_coefficient=1\.5 must be in \[0, 1\]"):
        cepstra.kaldi.Fbank(preemphasis_coefficient=1.5)
    with pytest.raises(PE, match=r"preemphasis_coefficient=1\.5 must be in \[0, 1\]"):
        core.make_kaldi_plan("float32", _kaldi_fields(configs.FbankOptions, preemphasis_coefficient=1.5))
    with pytest.raises(PE, match="num_mel_bins=2 must be >= 3"):
        cepstra.kaldi.mfcc(np.zeros(1000, np.float32), num_mel_bins=2, num_ceps=2)
    with pytest.raises(PE, match="num_mel_bins=2 must be >= 3"):
        core.make_kaldi_plan("float32", _kaldi_fields(configs.FbankOptions, num_mel_bins=2))


def test_kaldi_option_list_is_the_binding_table():
    """Every option the dataclasses send is one the binding maps, and the binding maps no other."""
    sent = set(configs.FbankOptions().plan_fields()) | set(configs.MfccOptions().plan_fields())
    assert sent == set(core.kaldi_option_names())
    with pytest.raises(PE, match="unknown Kaldi option 'no_such_option'"):
        core.make_kaldi_plan("float32", {"no_such_option": 1.0})


def test_kaldi_dataclass_defaults_are_the_cpp_defaults():
    """An empty dict gives C++'s defaults: the plan equals the one from the dataclass defaults."""
    x = np.random.default_rng(0).standard_normal(4000).astype(np.float32) * 1000
    a = core.make_kaldi_plan("float32", {})
    b = core.make_kaldi_plan("float32", configs.FbankOptions().plan_fields())
    np.testing.assert_array_equal(a(x[None], 0), b(x[None], 0))
    assert [f.name for f in dataclasses.fields(configs.FbankOptions)][:3] == [
        "sample_frequency", "frame_length", "frame_shift"]


def _plan(n_fft, hop, center=True):
    return core.make_plan("float32", "stft", n_fft, hop, center, "constant", np.ones(n_fft), 2.0, 1.0, 1, 0.0, 0.5,
                          False, "none", 0.0, None, 1e-10, 0.0, -1.0)


@pytest.mark.parametrize("n_fft,hop", [(0, 1), (1, 0), (1, 1), (8, -1), (8, 4)])
def test_framing_rules_agree(n_fft, hop):
    py = _python_accepts(lambda: cepstra.STFT(n_fft=n_fft, hop_length=hop))
    cpp = _cpp_accepts(lambda: _plan(n_fft, hop)(np.zeros((1, 64), np.float32)))
    assert py == cpp == (n_fft >= 1 and hop >= 1)


@pytest.mark.parametrize("n", [1, 63, 64, 65])
def test_uncentred_length_rule_agrees(n):
    """One rule, n >= n_fft, in Python (before any C++ call) and as the C++ invariant."""
    y = np.zeros(n, np.float32)
    py = _python_accepts(lambda: cepstra.stft(y, n_fft=64, hop_length=16, center=False))
    cpp = _cpp_accepts(lambda: _plan(64, 16, center=False)(y[None]))
    assert py == cpp == (n >= 64)
    if not py:
        with pytest.raises(PE, match="n_fft=64 is too large for uncentered analysis of a signal of length"):
            _plan(64, 16, center=False)(y[None])
