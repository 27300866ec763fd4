"""cepstra.display against librosa.display: mesh coordinates, colour maps, scales, labels; `cepstra plot`."""

from pathlib import Path

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt

import cepstra
from cepstra import display

librosa = pytest.importorskip("librosa")
pytest.importorskip("librosa.display")

DATA = Path(__file__).parent / "data" / "audio"


@pytest.fixture()
def axes():
    fig, (a, b) = plt.subplots(1, 2)
    yield a, b
    plt.close(fig)


def _mesh_xy(mesh):
    # QuadMesh corners: (rows + 1, cols + 1, 2) with x in [..., 0] and y in [..., 1].
    return np.asarray(mesh.get_coordinates())


CASES = [
    # (shape, x_axis, y_axis, kwargs)
    ((1025, 40), "time", "linear", {}),
    ((1025, 40), "s", "hz", {"sr": 16000, "hop_length": 160}),
    ((513, 33), "ms", "fft", {"sr": 44100, "n_fft": 1024, "hop_length": 256}),
    ((1025, 40), "time", "log", {}),
    ((128, 50), "time", "mel", {}),
    ((40, 50), "frames", "mel", {"sr": 16000, "fmin": 20.0, "fmax": 7600.0, "htk": True}),
    ((12, 70), "time", "chroma", {"hop_length": 1024}),
    ((20, 30), "time", None, {}),
    ((20, 30), None, None, {}),
    ((64, 64), "frames", "frames", {}),
]


@pytest.mark.parametrize("shape,x_axis,y_axis,kw", CASES)
@pytest.mark.parametrize("signed", [False, True])
def test_specshow_matches_librosa(axes, shape, x_axis, y_axis, kw, signed):
    rng = np.random.default_rng(0)
    data = rng.random(shape) - (0.5 if signed else 0.0)
    ours = display.specshow(data, x_axis=x_axis, y_axis=y_axis, ax=axes[0], **kw)
    ref = librosa.display.specshow(data, x_axis=x_axis, y_axis=y_axis, ax=axes[1], **kw)
    np.testing.assert_allclose(_mesh_xy(ours), _mesh_xy(ref), rtol=1e-12, atol=1e-9)
    assert ours.get_cmap().name == ref.get_cmap().name == ("coolwarm" if signed else "magma")
    for ax_ours, ax_ref in ((axes[0].xaxis, axes[1].xaxis), (axes[0].yaxis, axes[1].yaxis)):
        assert ax_ours.get_label_text() == ax_ref.get_label_text()
        assert ax_ours.get_scale() == ax_ref.get_scale()
    assert axes[0].get_xlim() == pytest.approx(axes[1].get_xlim())
    assert axes[0].get_ylim() == pytest.approx(axes[1].get_ylim())


def test_tick_labels_match_librosa(axes):
    data = np.random.default_rng(1).random((12, 400))
    display.specshow(data, x_axis="time", y_axis="chroma", ax=axes[0])
    librosa.display.specshow(data, x_axis="time", y_axis="chroma", ax=axes[1])
    for a in axes:
        a.figure.canvas.draw()
    labels = [[t.get_text() for t in a.get_yticklabels()] for a in axes]
    assert labels[0] == labels[1] and labels[0][:3] == ["C", "D", "E"]
    times = [[t.get_text() for t in a.get_xticklabels()] for a in axes]
    assert times[0] == times[1]


def test_bool_and_complex_data(axes):
    B = np.random.default_rng(2).random((10, 10)) > 0.5
    assert display.specshow(B, ax=axes[0]).get_cmap().name == "gray_r"
    D = cepstra.stft(np.random.default_rng(3).standard_normal(4096).astype(np.float32), n_fft=256)
    mesh = display.specshow(D, y_axis="linear", ax=axes[1])
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(D.shape), np.abs(D))


def test_specshow_bad_input(axes):
    with pytest.raises(cepstra.ParameterError, match="y_axis='cqt_note'"):
        display.specshow(np.zeros((10, 10)), y_axis="cqt_note", ax=axes[0])
    with pytest.raises(cepstra.ParameterError, match=r"shape=\(10,\)"):
        display.specshow(np.zeros(10), ax=axes[0])
    with pytest.raises(cepstra.ParameterError, match="x_coords has length 3"):
        display.specshow(np.zeros((10, 10)), x_coords=np.arange(3), ax=axes[0])


def test_waveshow(axes):
    y, sr = cepstra.load(DATA / "trumpet.ogg")
    env = display.waveshow(y, sr=sr, ax=axes[0])
    # Envelope: every sample lies between the drawn min and max of its block.
    verts = env.get_paths()[0].vertices
    assert verts[:, 1].max() == pytest.approx(float(y.max())) and verts[:, 1].min() == pytest.approx(float(y.min()))
    assert axes[0].get_xlim() == pytest.approx((0.0, len(y) / sr))
    assert axes[0].xaxis.get_label_text() == "Time"
    line = display.waveshow(y[:1000], sr=sr, ax=axes[1], offset=1.0)
    np.testing.assert_array_equal(line.get_ydata(), y[:1000])
    assert line.get_xdata()[0] == 1.0
    with pytest.raises(cepstra.ParameterError, match="max_points=0"):
        display.waveshow(y, max_points=0, ax=axes[0])
    with pytest.raises(cepstra.ParameterError, match="dtype=int64"):
        display.waveshow(np.arange(10), ax=axes[0])


@pytest.mark.parametrize("feature", ["mel", "stft", "mfcc"])
def test_plot_command_writes_a_labelled_png(tmp_path, feature, capsys):
    from cepstra.cli import main

    out = tmp_path / f"{feature}.png"
    assert main(["plot", str(DATA / "vibe_ace.ogg"), "-o", str(out), "--feature", feature]) == 0
    img = plt.imread(out)
    assert img.shape[0] == 400 and img.shape[1] == 1000 and img[..., :3].std() > 0.05
    assert str(out) in capsys.readouterr().out


def test_plot_command_errors(tmp_path, capsys):
    from cepstra.cli import main

    assert main(["plot", str(tmp_path / "missing.wav"), "-o", str(tmp_path / "x.png")]) == 2
    assert "missing.wav" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()
