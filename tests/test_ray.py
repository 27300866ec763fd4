"""Ray Data: cepstra.ray.FeatureExtractor and `cepstra extract --engine ray` on a local 2-CPU Ray.

Skipped when Ray is not installed (extra cepstra[ray]).
"""

import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

import cepstra

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pytest.importorskip("soundfile")
pd = pytest.importorskip("pandas")
import cepstra.ray as cray
from cepstra.cli import main

DATA = Path(__file__).parent / "data" / "audio"


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for i in range(3):
        for clip in sorted(DATA.glob("*.ogg")):
            shutil.copy(clip, root / f"{clip.stem}_{i}.ogg")
    return root


def _rows(out):
    df = pd.read_parquet(out / "data")
    return {p: np.stack(f) for p, f in zip(df["path"], df["features"])}, df


def test_ray_engine_equals_local_engine_bit_for_bit(local_ray, corpus, tmp_path):
    common = ["--feature", "melspectrogram", "--param", "n_mels=40", "--format", "parquet", "--quiet"]
    assert main(["extract", str(corpus), "-o", str(tmp_path / "local"), *common]) == 0
    assert main(["extract", str(corpus), "-o", str(tmp_path / "ray"), "--engine", "ray", "--jobs", "2", *common]) == 0
    local, _ = _rows(tmp_path / "local")
    remote, df = _rows(tmp_path / "ray")
    assert len(remote) == len(df) == 12 and sorted(remote) == sorted(local)
    for p in local:
        assert remote[p].dtype == local[p].dtype
        np.testing.assert_array_equal(remote[p], local[p])


def test_read_audio_rows_and_path_rows(local_ray):
    kw = {"feature": "mfcc", "n_mfcc": 13}
    by_audio = (
        ray.data.read_audio(str(DATA), include_paths=True)
        .map_batches(
            cray.FeatureExtractor,
            fn_constructor_kwargs=kw,
            batch_size=2,
            num_cpus=1,
            compute=ray.data.ActorPoolStrategy(size=1),
        )
        .take_all()
    )
    paths = sorted(str(p) for p in DATA.glob("*.ogg"))
    by_path = (
        ray.data.from_items([{"path": p} for p in paths])
        .map_batches(
            cray.FeatureExtractor,
            fn_constructor_kwargs=kw,
            batch_size=2,
            num_cpus=1,
            compute=ray.data.ActorPoolStrategy(size=1),
        )
        .take_all()
    )
    assert len(by_audio) == len(by_path) == 4
    want = {p: cepstra.MFCC(n_mfcc=13)(cepstra.load(p)[0]) for p in paths}
    for row in by_audio + by_path:
        np.testing.assert_array_equal(row["features"], want[os.path.abspath(row["path"])])
        assert row["error"] == "" and row["n_frames"] == want[os.path.abspath(row["path"])].shape[1]


class _Threads(cray.FeatureExtractor):
    def __call__(self, batch):
        out = super().__call__(batch)
        out["threads"] = np.full(len(out["path"]), cepstra.get_num_threads())
        return out


def test_actor_threads_follow_assigned_cpus(local_ray):
    rows = (
        ray.data.from_items([{"path": str(DATA / "trumpet.ogg")}])
        .map_batches(
            _Threads,
            fn_constructor_kwargs={"feature": "mfcc"},
            batch_size=1,
            num_cpus=2,
            compute=ray.data.ActorPoolStrategy(size=1),
        )
        .take_all()
    )
    assert rows[0]["threads"] == 2


class _KillOnce(cray.FeatureExtractor):
    """Kills its worker process the first time any actor reaches the marker file."""

    marker = ""  # set by the test; the class travels to the workers by value

    def __call__(self, batch):
        marker = self.marker
        if marker:
            try:
                os.remove(marker)
            except FileNotFoundError:
                pass
            else:
                os._exit(1)  # a hard crash: no cleanup, no exception for Ray to catch
        return super().__call__(batch)


def test_killed_worker_still_gives_a_complete_dataset_without_duplicates(local_ray, corpus, tmp_path, monkeypatch):
    marker = tmp_path / "kill-once"
    marker.write_text("x")
    monkeypatch.setattr(_KillOnce, "marker", str(marker))
    monkeypatch.setattr(cray, "FeatureExtractor", _KillOnce)
    out = tmp_path / "out"
    assert (
        main(
            [
                "extract",
                str(corpus),
                "-o",
                str(out),
                "--engine",
                "ray",
                "--jobs",
                "2",
                "--format",
                "parquet",
                "--quiet",
                "--feature",
                "mfcc",
            ]
        )
        == 0
    )
    assert not marker.exists()  # a worker did die
    rows, df = _rows(out)
    assert len(df) == 12 and df["path"].is_unique
    for p, F in rows.items():
        np.testing.assert_array_equal(F, cepstra.MFCC()(cepstra.load(p)[0]))


def test_bad_rows_are_recorded_not_fatal(local_ray, tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(DATA / "trumpet.ogg", tmp_path / "in" / "good.ogg")
    (tmp_path / "in" / "bad.wav").write_bytes(b"not audio" * 100)
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "in"), "-o", str(out), "--engine", "ray", "--quiet"]) == 1
    assert np.load(out / "good.npy").shape[0] == 20
    assert "bad.wav" in (out / "failures.jsonl").read_text()
