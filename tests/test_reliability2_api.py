"""Issue 13, the Python-level items: streams (int16, locking, memory, empty pushes), empty Kaldi
input, clear errors, strict flags, dB shapes and array references, whisper padding, istft memory."""

import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import cepstra
from cepstra import ParameterError

librosa = pytest.importorskip("librosa")

Y = np.random.default_rng(0).standard_normal(8000).astype(np.float32)


# ----------------------------------------------------------------------------- streams


@pytest.mark.parametrize("make", [lambda: cepstra.kaldi.Fbank(), lambda: cepstra.kaldi.Mfcc(dither=0.0)])
def test_stream_int16_matches_offline(make):
    pcm = (np.random.default_rng(1).standard_normal(9000) * 3000).astype(np.int16)
    offline = make()(pcm)
    s = cepstra.Stream(make())
    parts = [s.push(pcm[i : i + 777]) for i in range(0, pcm.size, 777)] + [s.flush()]
    np.testing.assert_array_equal(np.concatenate(parts, axis=s.time_axis), offline)


def test_stream_empty_float64_first_push_does_not_fix_dtype():
    s = cepstra.Stream(cepstra.MelSpectrogram(sr=16000, n_fft=400, hop_length=160))
    assert s.push(np.zeros(0)).shape[-1] == 0
    parts = [s.push(Y[:3000]), s.push(Y[3000:]), s.flush()]
    out = np.concatenate(parts, axis=-1)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, cepstra.MelSpectrogram(sr=16000, n_fft=400, hop_length=160)(Y))


def test_stream_concurrent_pushes_are_serialized():
    ext = cepstra.MelSpectrogram(sr=16000, n_fft=400, hop_length=160)
    y = np.ones(160 * 4000, np.float32)  # constant: every interior frame is the same
    s = cepstra.Stream(ext)
    errors, outs = [], []

    def worker():
        try:
            for _ in range(50):
                outs.append(s.push(y[: 1600 * 4]))
        except Exception as e:  # pragma: no cover - the failure being tested
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outs.append(s.flush())
    assert not errors, errors
    total = np.concatenate(outs, axis=-1)
    # Exactly the frames of the whole (serialized) signal: no duplicate, none lost.
    n = 4 * 50 * 1600 * 4
    assert total.shape[-1] == ext.n_frames(n)
    np.testing.assert_array_equal(total, ext(np.ones(n, np.float32)))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_stream_push_does_not_copy_a_huge_view():
    code = textwrap.dedent("""
        import numpy as np
        import cepstra
        s = cepstra.Stream(cepstra.kaldi.Fbank())
        view = np.broadcast_to(np.float32(0.25), (400_000_000,))  # 1.6 GB if copied
        out = s.push(view)
        with open("/proc/self/status") as f:
            peak = [int(ln.split()[1]) for ln in f if ln.startswith("VmHWM")][0] / 1024
        print("FRAMES", out.shape[0], "PEAK", peak)
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    frames = int(proc.stdout.split("FRAMES")[1].split()[0])
    peak = float(proc.stdout.split("PEAK")[1])
    assert frames >= (400_000_000 - 400) // 160 - 10  # all but the frames at the end
    # the output itself is frames x 23 float32 (~230 MB); the chunk must not be copied (1.6 GB)
    assert peak < 1000, peak


# ----------------------------------------------------------------------------- empty Kaldi input


@pytest.mark.parametrize(
    "call", [lambda x: cepstra.kaldi.Fbank()(x), lambda x: cepstra.kaldi.fbank(x), lambda x: cepstra.kaldi.Mfcc()(x)]
)
def test_kaldi_empty_input_raises_like_librosa_api(call):
    with pytest.raises(ParameterError, match="waveform is empty"):
        call([])
    with pytest.raises(ParameterError, match="empty"):
        cepstra.feature.melspectrogram(y=np.zeros(0, np.float32), sr=16000)


# ----------------------------------------------------------------------------- clear errors


def test_window_empty_tuple():
    with pytest.raises(ParameterError, match=r"window=\(\)"):
        cepstra.stft(Y, window=())


def test_window_callable_returning_string():
    with pytest.raises(ParameterError, match="window=.*returned str"):
        cepstra.stft(Y, n_fft=512, window=lambda n: "abc")


def test_list_mixing_arrays_and_lists():
    with pytest.raises(TypeError, match="y mixes numpy arrays"):
        cepstra.feature.melspectrogram(y=[Y, list(Y[:100].astype(float))], sr=16000)


def test_ref_callable_returning_a_string():
    with pytest.raises(ParameterError, match="ref=.*returned str"):
        cepstra.power_to_db(np.abs(Y), ref=lambda S: "loud")


@pytest.mark.parametrize("func", ["power_to_db", "amplitude_to_db"])
@pytest.mark.parametrize("top_db", [80.0, None])
def test_ref_callable_returning_an_array_broadcasts_as_librosa(func, top_db):
    S = np.abs(cepstra.stft(Y, n_fft=512)) ** (2 if func == "power_to_db" else 1)
    ref = lambda S: np.max(S, axis=0)  # noqa: E731 - per-frame reference
    ours = getattr(cepstra, func)(S, ref=ref, top_db=top_db)
    theirs = getattr(librosa, func)(S, ref=ref, top_db=top_db)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, atol=5e-3)
    with pytest.raises(ParameterError, match="does not broadcast"):
        getattr(cepstra, func)(S, ref=lambda S: np.ones(7))


# ----------------------------------------------------------------------------- strict flags


@pytest.mark.parametrize("bad", ["no", "", 1.0, 2, -1, None, [True]])
def test_flags_are_strict(bad):
    with pytest.raises(ParameterError, match="must be True or False"):
        cepstra.stft(Y, center=bad)
    with pytest.raises(ParameterError, match="pad=.*must be True or False"):
        cepstra.MelSpectrogram(sr=16000)([Y, Y[:5000]], pad=bad)
    with pytest.raises(ParameterError, match="htk=.*must be True or False"):
        cepstra.hz_to_mel(440.0, htk=bad)


@pytest.mark.parametrize("good", [True, np.True_, 1, np.int8(1), np.uint64(1), np.int64(1)])
def test_flags_accept_bools_and_integer_one(good):
    np.testing.assert_array_equal(cepstra.stft(Y, center=good), cepstra.stft(Y, center=True))
    assert cepstra.hz_to_mel(440.0, htk=good) == cepstra.hz_to_mel(440.0, htk=True)


@pytest.mark.parametrize("good", [False, np.False_, 0, np.uint8(0), np.int32(0)])
def test_flags_accept_bools_and_integer_zero(good):
    np.testing.assert_array_equal(cepstra.stft(Y, center=good), cepstra.stft(Y, center=False))


# ----------------------------------------------------------------------------- dB shapes


@pytest.mark.parametrize("func", ["power_to_db", "amplitude_to_db"])
@pytest.mark.parametrize("x", [4.0, np.float64(4.0), np.array(4.0), np.array(4.0, np.float32)])
def test_db_of_0d_input_keeps_its_shape(func, x):
    ours = getattr(cepstra, func)(x)
    theirs = getattr(librosa, func)(x)
    assert np.shape(ours) == np.shape(theirs) == ()
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


# ----------------------------------------------------------------------------- whisper padding


def whisper_reference(audio, padding):
    """whisper.log_mel_spectrogram in numpy (torch.stft: centred, reflect, periodic hann)."""
    y = np.pad(audio.astype(np.float64), (0, padding))
    S = np.abs(librosa.stft(y, n_fft=400, hop_length=160, window="hann", center=True, pad_mode="reflect")) ** 2
    mel = librosa.filters.mel(sr=16000, n_fft=400, n_mels=80) @ S[:, :-1]
    log = np.log10(np.maximum(mel, 1e-10))
    log = np.maximum(log, log.max() - 8.0)
    return (log + 4.0) / 4.0


@pytest.mark.parametrize("padding", [0, 300, 800, 801, 5000, 480000])
def test_whisper_padding_matches_reference(padding):
    audio = np.random.default_rng(2).standard_normal(3210).astype(np.float64) * 0.1
    ours = cepstra.whisper.log_mel_spectrogram(audio, padding=padding)
    ref = whisper_reference(audio, padding)
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, atol=1e-6)


def test_whisper_padding_size_guard():
    with pytest.raises(ParameterError, match="padding=10000000000000000"):
        cepstra.whisper.log_mel_spectrogram(Y, padding=10**16)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
@pytest.mark.parametrize("what", ["whisper", "istft"])
def test_peak_memory_close_to_the_output(what):
    code = textwrap.dedent(f"""
        import numpy as np
        import cepstra
        what = {what!r}
        if what == "istft":
            D = cepstra.stft(np.random.default_rng(0).standard_normal(4000).astype(np.float32), n_fft=512)
            L = 100_000_000
        else:
            audio = np.random.default_rng(0).standard_normal(16000).astype(np.float32)
        def hwm():
            with open("/proc/self/status") as f:
                return [int(ln.split()[1]) for ln in f if ln.startswith("VmHWM")][0] / 1024
        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * 4096 / 2**20
        base = rss()
        if what == "istft":
            out = cepstra.istft(D, n_fft=512, length=L)
        else:
            out = cepstra.whisper.log_mel_spectrogram(audio, padding=160 * 1_000_000)
        print("RATIO", (hwm() - base) / (out.nbytes / 2**20))
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    ratio = float(proc.stdout.split("RATIO")[1])
    assert ratio < 1.4, ratio  # was 2x (istft) and 4x (whisper)
