"""cepstra.load / get_duration / get_samplerate / stream against librosa on real recordings.

The recordings are short excerpts committed in tests/data/audio (attribution beside them);
every container and sample format is written from them at run time, so each comparison decodes
the same music through a different path.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import cepstra

sf = pytest.importorskip("soundfile")
pytest.importorskip("soxr")
librosa = pytest.importorskip("librosa")

DATA = Path(__file__).parent / "data" / "audio"
CLIPS = ["trumpet", "speech_198-209-0000", "vibe_ace", "brahms_hungarian_dance_5"]

# (file name, soundfile format, subtype, channels, declared rate)
VARIANTS = [
    ("u8.wav", "WAV", "PCM_U8", 1, 22050),
    ("s16.wav", "WAV", "PCM_16", 2, 44100),
    ("s24.wav", "WAV", "PCM_24", 1, 16000),
    ("s32.wav", "WAV", "PCM_32", 2, 22050),
    ("f32.wav", "WAV", "FLOAT", 2, 48000),
    ("f64.wav", "WAV", "DOUBLE", 1, 8000),
    ("s16.flac", "FLAC", "PCM_16", 2, 44100),
    ("s24.flac", "FLAC", "PCM_24", 1, 16000),
    ("vorbis.ogg", "OGG", "VORBIS", 2, 44100),
    ("s16.aiff", "AIFF", "PCM_16", 2, 22050),
    ("opus.ogg", "OGG", "OPUS", 1, 48000),
]


def _music(channels):
    left, _ = sf.read(DATA / "vibe_ace.ogg", dtype="float64")
    if channels == 1:
        return left
    right, _ = sf.read(DATA / "brahms_hungarian_dance_5.ogg", dtype="float64")
    n = min(left.size, right.size)
    return np.stack([left[:n], right[:n]], axis=1)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    out = {}
    for name, fmt, subtype, ch, rate in VARIANTS:
        path = root / name
        try:
            sf.write(path, 0.9 * _music(ch), rate, format=fmt, subtype=subtype)
        except (sf.LibsndfileError, TypeError, ValueError):
            continue  # this libsndfile build cannot write it (Opus/MP3 on old builds)
        out[name] = path
    try:
        sf.write(root / "mp3.mp3", 0.9 * _music(2), 44100, format="MP3", subtype="MPEG_LAYER_III")
        out["mp3.mp3"] = root / "mp3.mp3"
    except (sf.LibsndfileError, TypeError, ValueError):
        pass
    return out


def _same(ours, ref):
    y, sr = ours
    y_ref, sr_ref = ref
    assert sr == sr_ref and type(sr) is type(sr_ref)
    assert y.dtype == y_ref.dtype and y.shape == y_ref.shape
    np.testing.assert_array_equal(y, y_ref)


@pytest.mark.parametrize("name", [v[0] for v in VARIANTS] + ["mp3.mp3"])
@pytest.mark.parametrize("sr", [None, 22050, 16000])
@pytest.mark.parametrize("mono", [True, False])
def test_load_equals_librosa(files, name, sr, mono):
    if name not in files:
        pytest.skip(f"libsndfile cannot write {name} here")
    _same(cepstra.load(files[name], sr=sr, mono=mono), librosa.load(files[name], sr=sr, mono=mono))


@pytest.mark.parametrize("clip", CLIPS)
def test_load_committed_recordings(clip):
    path = DATA / f"{clip}.ogg"
    for sr in (None, 16000, 44100):
        _same(cepstra.load(path, sr=sr), librosa.load(path, sr=sr))


@pytest.mark.parametrize(
    "offset,duration", [(0.0, None), (0.5, None), (0.0, 1.25), (1.3, 0.7), (0.123, 2.0), (1.9, 5.0), (0.0, 0.0)]
)
@pytest.mark.parametrize("name", ["s16.wav", "s16.flac", "vorbis.ogg"])
def test_offset_duration(files, name, offset, duration):
    ref = librosa.load(files[name], sr=16000, mono=False, offset=offset, duration=duration)
    _same(cepstra.load(files[name], sr=16000, mono=False, offset=offset, duration=duration), ref)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("res_type", ["soxr_vhq", "soxr_hq", "soxr_mq", "soxr_lq", "soxr_qq"])
def test_dtype_and_res_type(files, dtype, res_type):
    path = files["s24.flac"]
    _same(
        cepstra.load(path, sr=22050, dtype=dtype, res_type=res_type),
        librosa.load(path, sr=22050, dtype=dtype, res_type=res_type),
    )


def test_offset_past_the_end_is_empty(files):
    y, sr = cepstra.load(files["s16.wav"], sr=None, offset=60.0)
    assert sr == 44100 and y.shape == (0,) and y.dtype == np.float32


def test_path_like_and_unicode_names(files, tmp_path):
    target = tmp_path / "dir with spaces" / "Dvořák — ünïcode.flac"
    target.parent.mkdir()
    target.write_bytes(files["s16.flac"].read_bytes())
    link = tmp_path / "link.flac"
    link.symlink_to(target)
    ref = librosa.load(files["s16.flac"], sr=16000)
    _same(cepstra.load(str(target), sr=16000), ref)
    _same(cepstra.load(link, sr=16000), ref)


def test_get_duration_and_samplerate(files):
    for name, path in files.items():
        assert cepstra.get_duration(path=path) == librosa.get_duration(path=path), name
        assert cepstra.get_samplerate(path) == librosa.get_samplerate(path), name
    y = np.zeros((2, 12345), dtype=np.float32)
    assert cepstra.get_duration(y=y, sr=8000) == librosa.get_duration(y=y, sr=8000)
    S = np.zeros((1025, 77))
    for center in (True, False):
        assert cepstra.get_duration(S=S, sr=16000, hop_length=256, center=center) == librosa.get_duration(
            S=S, sr=16000, hop_length=256, center=center
        )


@pytest.mark.parametrize("mono", [True, False])
@pytest.mark.parametrize("fill_value", [None, 0.0])
@pytest.mark.parametrize("offset,duration", [(0.0, None), (0.25, 1.5)])
def test_stream_equals_librosa(files, mono, fill_value, offset, duration):
    kw = {
        "block_length": 16,
        "frame_length": 2048,
        "hop_length": 512,
        "mono": mono,
        "fill_value": fill_value,
        "offset": offset,
        "duration": duration,
    }
    ours = list(cepstra.stream(files["s16.flac"], **kw))
    ref = list(librosa.stream(str(files["s16.flac"]), **kw))
    assert len(ours) == len(ref) > 3
    for a, b in zip(ours, ref):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name,sr", [("s16.wav", 16000), ("f32.wav", 22050), ("s24.flac", None), ("vorbis.ogg", 16000)])
def test_file_features_in_blocks_equal_whole_signal(files, name, sr):
    # Decoded, downmixed, resampled and framed a block at a time: identical to the whole signal.
    y, rate = cepstra.load(files[name], sr=sr)
    for ext in (
        cepstra.MelSpectrogram(sr=rate, n_fft=1024, hop_length=256),
        cepstra.kaldi.Fbank(sample_frequency=rate, dither=0.0),
    ):
        got = cepstra.io.file_features(files[name], ext, sr=sr, block_seconds=0.37)
        want = ext(y)
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="no_such_file.wav"):
        cepstra.load("no_such_file.wav")


@pytest.mark.parametrize(
    "content,why", [(b"", "empty"), (b"this is not audio\n" * 50, "text"), (bytes(range(256)) * 4, "noise")]
)
def test_unreadable_files_raise_audio_error(tmp_path, content, why):
    path = tmp_path / f"bad_{why}.wav"
    path.write_bytes(content)
    with pytest.raises(cepstra.AudioError, match=rf"bad_{why}\.wav.*format: wav") as info:
        cepstra.load(path)
    assert info.value.path == str(path) and info.value.format == "wav"


def test_unsupported_format_names_pyav(tmp_path, monkeypatch):
    from cepstra.io import _deps

    monkeypatch.setattr(_deps, "pyav", lambda: None)
    path = tmp_path / "song.m4a"
    path.write_bytes(b"\x00\x00\x00\x20ftypM4A " + bytes(200))
    with pytest.raises(cepstra.AudioError, match=r"song\.m4a.*format: m4a.*pip install av"):
        cepstra.load(path)
    with pytest.raises(cepstra.AudioError, match=r"song\.m4a.*pip install av"):
        cepstra.get_duration(path=path)


def test_truncated_file_gives_its_complete_part(files, tmp_path):
    # A WAV cut mid-stream: libsndfile reads the samples that are there (as librosa gets them).
    data = files["s16.wav"].read_bytes()
    path = tmp_path / "truncated.wav"
    path.write_bytes(data[: len(data) // 2 + 1])
    _same(cepstra.load(path, sr=None, mono=False), librosa.load(path, sr=None, mono=False))


def test_non_finite_samples(tmp_path):
    path = tmp_path / "nan.wav"
    y = np.zeros(1000, dtype=np.float32)
    y[10] = np.nan
    sf.write(path, y, 8000, subtype="FLOAT")
    with pytest.raises(cepstra.AudioError, match=r"nan\.wav.*non-finite"):
        cepstra.load(path)


@pytest.mark.parametrize(
    "kw,exc,match",
    [
        ({"offset": -1.0}, cepstra.ParameterError, "offset=-1.0"),
        ({"duration": float("nan")}, cepstra.ParameterError, "duration=nan"),
        ({"sr": 0}, cepstra.ParameterError, "sr=0"),
        ({"sr": "fast"}, TypeError, "sr='fast'"),
        ({"dtype": np.int16}, cepstra.ParameterError, "dtype="),
        ({"res_type": "kaiser_best"}, cepstra.ParameterError, "res_type='kaiser_best'"),
    ],
)
def test_bad_parameters(files, kw, exc, match):
    with pytest.raises(exc, match=match):
        cepstra.load(files["s16.wav"], **kw)


@pytest.mark.parametrize("name,value", [("block_length", 0), ("frame_length", -2), ("hop_length", 1.5)])
def test_stream_bad_parameters(files, name, value):
    kw = {"block_length": 4, "frame_length": 2048, "hop_length": 512}
    kw[name] = value
    with pytest.raises(cepstra.ParameterError, match=f"{name}={value}"):
        next(cepstra.stream(files["s16.wav"], **kw))


def test_import_without_the_extra():
    # numpy alone: `import cepstra` works; the I/O functions name the extra.
    code = (
        "import sys\n"
        "for m in ('soundfile', 'soxr', 'tqdm', 'pyarrow', 'matplotlib'): sys.modules[m] = None\n"
        "import cepstra\n"
        "try:\n    cepstra.load(sys.argv[1])\nexcept ImportError as e:\n    print('IMPORTERROR', e)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run(
        [sys.executable, "-c", code, str(DATA / "trumpet.ogg")], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert "IMPORTERROR" in out and "cepstra[io]" in out


def _aac(path, channels):
    av = pytest.importorskip("av")
    y, sr = sf.read(DATA / "vibe_ace.ogg", dtype="float32")
    x = np.stack([y, y[::-1]]) if channels == 2 else y[None]
    with av.open(str(path), "w") as c:
        s = c.add_stream("aac", rate=sr)
        s.layout = "stereo" if channels == 2 else "mono"
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(x), format="fltp", layout=s.layout.name)
        frame.sample_rate = sr
        for p in s.encode(frame):
            c.mux(p)
        for p in s.encode(None):
            c.mux(p)
    return x, sr


@pytest.mark.parametrize("ext,channels", [("m4a", 2), ("mp4", 1)])
def test_pyav_fallback_for_formats_libsndfile_lacks(tmp_path, ext, channels):
    av = pytest.importorskip("av")
    path = tmp_path / f"aac.{ext}"
    x, sr = _aac(path, channels)
    y, rate = cepstra.load(path, sr=None, mono=False)
    assert rate == sr == cepstra.get_samplerate(path) and y.dtype == np.float32
    with av.open(str(path)) as c:  # PyAV's own decode, planar float
        ref = np.concatenate([f.to_ndarray() for f in c.decode(c.streams.audio[0])], axis=1)
    np.testing.assert_array_equal(y if channels == 2 else y[None], ref.astype(np.float32))
    assert abs(cepstra.get_duration(path=path) - ref.shape[1] / sr) < 0.05
    # Lossy but the same music: after the encoder's priming delay it correlates with the source.
    lag = int(np.argmax(np.correlate(ref[0, :20000], x[0, :4000], "valid")))
    assert np.corrcoef(ref[0, lag : lag + 50000], x[0, :50000])[0, 1] > 0.99
    # offset/duration in native samples, mono downmix and soxr resampling as for any file.
    part, r16 = cepstra.load(path, sr=16000, offset=0.5, duration=1.0)
    cut = ref[:, int(0.5 * sr) : int(0.5 * sr) + int(1.0 * sr)].astype(np.float32)
    want = cepstra.io.resample(cepstra.io.to_mono(cut), orig_sr=sr, target_sr=16000)
    assert r16 == 16000
    np.testing.assert_array_equal(part, want)
