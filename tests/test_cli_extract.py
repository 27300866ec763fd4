"""`cepstra extract`: outputs against the library and librosa, and every way a run can go wrong."""

import csv
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import cepstra

sf = pytest.importorskip("soundfile")
pytest.importorskip("soxr")
from cepstra.cli import (
    _dataset,
    main,
)

DATA = Path(__file__).parent / "data" / "audio"
CLIPS = sorted(DATA.glob("*.ogg"))


def _corpus(root: Path) -> dict:
    """A small tree: Ogg, a 44.1 kHz stereo WAV, a FLAC in a sub-folder with spaces and non-ASCII."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sub dir").mkdir()
    files = {}
    for c in CLIPS[:2]:
        files[c.stem] = root / c.name
        shutil.copy(c, files[c.stem])
    y, sr = sf.read(CLIPS[2], dtype="float32")
    files["stereo"] = root / "stereo.wav"
    sf.write(files["stereo"], np.stack([y, y[::-1]], axis=1), 44100, subtype="PCM_16")
    files["flac"] = root / "sub dir" / "Dvořák ü.flac"
    sf.write(files["flac"], sf.read(CLIPS[3], dtype="float32")[0], sr, subtype="PCM_24")
    return files


def _records(out: Path) -> dict:
    recs = {}
    for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        recs[r["path"]] = r
    return recs


def _run(*argv) -> int:
    return main(["extract", *map(str, argv)])


def test_npy_tree_equals_library_and_librosa(tmp_path):
    librosa = pytest.importorskip("librosa")
    files = _corpus(tmp_path / "in")
    link = tmp_path / "in" / "link.flac"
    link.symlink_to(files["flac"])
    out = tmp_path / "out"
    assert _run(tmp_path / "in", "-o", out, "--feature", "mfcc", "--param", "n_mfcc=13", "--quiet") == 0
    for path in files.values():
        rel = path.relative_to(tmp_path / "in").with_suffix(".npy")
        F = np.load(out / rel)
        y, _sr = cepstra.load(path, sr=22050)
        np.testing.assert_array_equal(F, cepstra.MFCC(sr=22050, n_mfcc=13)(y))
        y_ref, _ = librosa.load(path, sr=22050)
        ref = librosa.feature.mfcc(y=y_ref, sr=22050, n_mfcc=13)
        assert F.shape == ref.shape
        np.testing.assert_allclose(F, ref, atol=2e-3 * np.abs(ref).max())
    np.testing.assert_array_equal(np.load(out / "link.npy"), np.load(out / "sub dir" / "Dvořák ü.npy"))
    recs = _records(out)
    r = recs[str(files["stereo"])]
    st = os.stat(files["stereo"])
    assert r["status"] == "ok" and r["source"] == {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    assert r["config"] == {
        "feature": "mfcc",
        "sr": 22050,
        "params": {"n_mfcc": 13},
        "mono": True,
        "res_type": "soxr_hq",
        "dtype": "float32",
    }
    assert r["shape"] == list(np.load(out / "stereo.npy").shape) == [13, r["n_frames"]]
    assert r["n_samples"] == cepstra.load(files["stereo"])[0].shape[0] and r["sample_rate"] == 22050
    assert not (out / "failures.jsonl").exists()


def test_parquet_rows_equal_npy_and_are_readable(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    import pyarrow.dataset as ds

    files = _corpus(tmp_path / "in")
    assert _run(tmp_path / "in", "-o", tmp_path / "npy", "--feature", "kaldi-fbank", "--quiet") == 0
    assert (
        _run(tmp_path / "in", "-o", tmp_path / "pq", "--feature", "kaldi-fbank", "--format", "parquet", "--quiet") == 0
    )
    df = pd.read_parquet(tmp_path / "pq" / "data")
    assert sorted(df["path"]) == sorted(str(p) for p in files.values())
    tbl = ds.dataset(tmp_path / "pq" / "data").to_table()
    assert tbl.num_rows == len(files) and isinstance(tbl.schema.field("features").type, pa.LargeListType)
    for _, row in df.iterrows():
        X = np.stack(row["features"])
        rel = Path(row["rel"] + ".npy")
        np.testing.assert_array_equal(X, np.load(tmp_path / "npy" / rel))
        assert row["n_frames"] == X.shape[0] and list(row["shape"]) == list(X.shape) and row["sample_rate"] == 16000
    try:
        import datasets
    except ImportError:
        return
    hf = datasets.load_dataset("parquet", data_files=str(tmp_path / "pq" / "data" / "*.parquet"), split="train")
    assert hf.num_rows == len(files)


def test_manifest_inputs_txt_csv_jsonl(tmp_path):
    files = _corpus(tmp_path / "in")
    paths = [files["stereo"], files["flac"]]
    (tmp_path / "list.txt").write_text("# two files\n" + "\n".join(str(p) for p in paths) + "\n", encoding="utf-8")
    with open(tmp_path / "list.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["path", "genre"])
        for p in paths:
            w.writerow([os.path.relpath(p, tmp_path), "jazz"])
    (tmp_path / "list.jsonl").write_text("".join(json.dumps({"path": str(p)}) + "\n" for p in paths), encoding="utf-8")
    for name in ("list.txt", "list.csv", "list.jsonl"):
        out = tmp_path / f"out_{name}"
        assert _run(tmp_path / name, "-o", out, "--feature", "melspectrogram", "--quiet") == 0
        assert sorted(_records(out)) == sorted(str(p) for p in paths), name


def test_bad_files_are_recorded_and_the_run_goes_on(tmp_path):
    files = _corpus(tmp_path / "in")
    bad = tmp_path / "in" / "bad"
    bad.mkdir()
    (bad / "empty.wav").write_bytes(b"")
    (bad / "noise.flac").write_bytes(bytes(range(256)) * 8)
    (bad / "text.mp3").write_text("not audio at all\n" * 100)
    sf.write(bad / "nosamples.wav", np.zeros(0, np.float32), 22050)
    whole = files["stereo"].read_bytes()
    (bad / "truncated.ogg").write_bytes(CLIPS[0].read_bytes()[:300])
    (bad / "cut.wav").write_bytes(whole[: 44 + 1000])  # a WAV cut just after its header
    out = tmp_path / "out"
    assert _run(tmp_path / "in", "-o", out, "--quiet") == 1  # some inputs failed
    failures = [json.loads(x) for x in (out / "failures.jsonl").read_text().splitlines()]
    reasons = {Path(f["path"]).name: f["reason"] for f in failures}
    assert set(reasons) == {"empty.wav", "noise.flac", "text.mp3", "nosamples.wav", "truncated.ogg"}
    assert "empty audio" in reasons["nosamples.wav"] and "AudioError" in reasons["noise.flac"]
    for name, path in files.items():
        assert _records(out)[str(path)]["status"] == "ok", name
    # The cut WAV decodes to its complete part, which is what libsndfile (and librosa) read.
    assert np.load(out / "bad" / "cut.npy").shape[1] > 0
    assert not list(out.rglob("*" + _dataset.TMP_SUFFIX))


def test_resume_skips_exactly_unchanged_inputs(tmp_path, capsys):
    files = _corpus(tmp_path / "in")
    for fmt in ("npy", "parquet"):
        out = tmp_path / f"out_{fmt}"
        assert _run(tmp_path / "in", "-o", out, "--format", fmt) == 0
        first = _records(out)
        # Refused without --resume: OUT already holds a dataset.
        assert _run(tmp_path / "in", "-o", out, "--format", fmt) == 2
        assert "--resume" in capsys.readouterr().err
        # Change one input (same size: only mtime and content differ), add one.
        y, sr = sf.read(files["flac"], dtype="float32")
        time.sleep(0.01)
        sf.write(files["flac"], y[::-1].copy(), sr, subtype="PCM_24")
        shutil.copy(CLIPS[3], tmp_path / "in" / "new.ogg")
        capsys.readouterr()
        assert _run(tmp_path / "in", "-o", out, "--format", fmt, "--resume") == 0
        err = capsys.readouterr().err
        assert "2 extracted, 3 skipped" in err, err
        second = _records(out)
        for key in ("stereo", CLIPS[0].stem):
            assert second[str(files[key])]["time"] == first[str(files[key])]["time"]
        # A different config recomputes everything.
        assert _run(tmp_path / "in", "-o", out, "--format", fmt, "--resume", "--param", "n_mfcc=13") == 0
        assert "5 extracted, 0 skipped" in capsys.readouterr().err
        if fmt == "parquet":
            import pandas as pd

            df = pd.read_parquet(out / "data")
            assert len(df) == 5 and df["path"].is_unique
            assert all(np.stack(f).shape[0] == 13 for f in df["features"])
        shutil.rmtree(tmp_path / "in")
        files = _corpus(tmp_path / "in")


def test_summary_table(tmp_path):
    files = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert (
        _run(
            tmp_path / "in",
            "-o",
            out,
            "--summary",
            "mean,var",
            "--feature",
            "melspectrogram",
            "--param",
            "n_mels=16",
            "--quiet",
        )
        == 0
    )
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(files)
    for row in rows:
        rel = _records(out)[row["path"]]["output"]
        S = np.load(out / rel)
        means = [float(v) for k, v in row.items() if k != "path" and "mean" in k]
        vars_ = [float(v) for k, v in row.items() if k != "path" and "var" in k]
        np.testing.assert_allclose(means, S.mean(axis=1), rtol=1e-5)
        np.testing.assert_allclose(vars_, S.var(axis=1), rtol=1e-4)


def test_lock_refuses_a_second_run(tmp_path, capsys):
    _corpus(tmp_path / "in")
    holder = _dataset.OutputDir(str(tmp_path / "out"))
    holder.lock()
    try:
        assert _run(tmp_path / "in", "-o", tmp_path / "out") == 2
        assert "another `cepstra extract`" in capsys.readouterr().err
        assert not (tmp_path / "out" / "manifest.jsonl").exists()
    finally:
        holder.unlock()
    assert _run(tmp_path / "in", "-o", tmp_path / "out", "--quiet") == 0


def test_full_disk_stops_with_a_clear_message_and_no_corrupt_file(tmp_path, monkeypatch, capsys):
    _corpus(tmp_path / "in")
    real_fsync = os.fsync
    calls = {"n": 0}

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] >= 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(_dataset.os, "fsync", fsync)
    out = tmp_path / "out"
    assert _run(tmp_path / "in", "-o", out, "--jobs", "1") == 3
    err = capsys.readouterr().err
    assert "the disk is full" in err and "--resume" in err
    outputs = list(out.rglob("*.npy"))
    assert len(outputs) == 2 and not list(out.rglob("*" + _dataset.TMP_SUFFIX))
    for f in outputs:
        np.load(f)  # complete
    assert len(_records(out)) == 2
    monkeypatch.setattr(_dataset.os, "fsync", real_fsync)
    assert _run(tmp_path / "in", "-o", out, "--resume", "--quiet") == 0
    assert len(list(out.rglob("*.npy"))) == 4


def test_unwritable_out(tmp_path, capsys):
    _corpus(tmp_path / "in")
    (tmp_path / "a_file").write_text("x")
    assert _run(tmp_path / "in", "-o", tmp_path / "a_file" / "out") == 3
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv,match",
    [
        (["--feature", "mfcc", "--param", "n_mfcc"], "name=value"),
        (["--feature", "mfcc", "--param", "n_mfcc=0"], "n_mfcc"),
        (["--feature", "mfcc", "--param", "bogus=1"], "bogus"),
        (["--feature", "whisper", "--sr", "22050"], "16000"),
        (["--summary", "mean,bogus"], "bogus"),
        (["--jobs", "0"], "--jobs"),
    ],
)
def test_bad_usage_exits_2(tmp_path, capsys, argv, match):
    _corpus(tmp_path / "in")
    assert _run(tmp_path / "in", "-o", tmp_path / "out", *argv) == 2
    assert match in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_missing_input_exits_2(tmp_path, capsys):
    assert _run(tmp_path / "nope", "-o", tmp_path / "out") == 2
    assert "input not found" in capsys.readouterr().err


def test_chroma_feature_or_clear_error(tmp_path, capsys):
    files = _corpus(tmp_path / "in")
    rc = _run(files["stereo"], "-o", tmp_path / "out", "--feature", "chroma", "--quiet")
    if getattr(cepstra.feature, "chroma_stft", None) is None:
        assert rc == 2 and "chroma_stft" in capsys.readouterr().err
    else:
        assert rc == 0
        y, _ = cepstra.load(files["stereo"])
        np.testing.assert_allclose(np.load(tmp_path / "out" / "stereo.npy"), cepstra.feature.chroma_stft(y=y, sr=22050))


def test_midi_labels(tmp_path):
    midi = pytest.importorskip("cepstra.midi")
    if not hasattr(midi, "labels_for"):
        pytest.skip("cepstra.midi.labels_for not merged")
    pretty_midi = pytest.importorskip("pretty_midi")
    files = _corpus(tmp_path / "in")
    pm = pretty_midi.PrettyMIDI()
    inst = pretty_midi.Instrument(program=0)
    inst.notes.append(pretty_midi.Note(velocity=90, pitch=60, start=0.5, end=1.5))
    pm.instruments.append(inst)
    pm.write(str(files["stereo"].with_suffix(".mid")))
    out = tmp_path / "out"
    _run(files["stereo"], "-o", out, "--labels", "midi", "--feature", "melspectrogram", "--quiet")
    labels = np.load(out / "stereo.labels.npz")
    F = np.load(out / "stereo.npy")
    assert labels.files and all(labels[k].shape[-1] == F.shape[-1] for k in labels.files)


def test_progress_lines_when_not_a_terminal(capsys):
    from cepstra.cli._progress import Progress

    p = Progress(3, every_s=0.0, stream=sys.stdout)
    p.update(audio_s=3600.0)
    p.update(failed=True)
    line = p.close("OUT")
    out = capsys.readouterr().out
    assert "[cepstra extract] 1/3 files, 1.00 h audio" in out and "2/3 files" in out
    assert "done: 1 extracted, 0 skipped (unchanged), 1 failed; 1.000 h of audio" in line


def test_help_documents_exit_codes():
    text = subprocess.run(
        [sys.executable, "-m", "cepstra", "extract", "--help"],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
        check=True,
    ).stdout
    assert "exit codes: 0 all done; 1 some inputs failed" in text and "130 interrupted" in text


def _slow_corpus(root: Path, n: int) -> None:
    root.mkdir(parents=True)
    for i in range(n):
        shutil.copy(CLIPS[i % len(CLIPS)], root / f"clip_{i:03d}.ogg")


@pytest.mark.parametrize(
    "fmt,how",
    [
        ("npy", signal.SIGKILL),
        ("npy", signal.SIGINT),
        ("npy", signal.SIGTERM),
        ("parquet", signal.SIGKILL),
        ("parquet", signal.SIGINT),
    ],
)
def test_kill_mid_run_leaves_complete_outputs_and_resume_finishes(tmp_path, fmt, how):
    _slow_corpus(tmp_path / "in", 24)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    argv = [
        sys.executable,
        "-m",
        "cepstra",
        "extract",
        str(tmp_path / "in"),
        "-o",
        str(out),
        "--format",
        fmt,
        "--jobs",
        "1",
        "--feature",
        "stft",
        "--param",
        "n_fft=2048",
        "--param",
        "hop_length=128",
        "--quiet",
    ]
    if fmt == "parquet":
        argv += ["--shard-rows", "3"]
    proc = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if (
            (out / "manifest.jsonl").exists()
            and (out / "manifest.jsonl").stat().st_size > 0
            or (fmt == "parquet" and list(out.glob("**/*.cepstra-tmp")))
        ):
            break
        time.sleep(0.02)
    proc.send_signal(how)
    rc = proc.wait(60)
    if how != signal.SIGKILL and rc != 0:
        assert rc == 130
        assert "interrupted" in proc.stderr.read()
    # Whatever is there is complete and in the manifest.
    for f in out.rglob("*.npy"):
        np.load(f)
    if fmt == "parquet" and (out / "data").exists():
        import pyarrow.parquet as pq

        for f in (out / "data").glob("*.parquet"):
            pq.read_table(f)
    assert (
        main(
            [
                "extract",
                str(tmp_path / "in"),
                "-o",
                str(out),
                "--format",
                fmt,
                "--resume",
                "--quiet",
                "--feature",
                "stft",
                "--param",
                "n_fft=2048",
                "--param",
                "hop_length=128",
            ]
        )
        == 0
    )
    recs = _records(out)
    assert len(recs) == 24 and all(r["status"] == "ok" for r in recs.values())
    assert not list(out.rglob("*" + _dataset.TMP_SUFFIX))
    if fmt == "parquet":
        import pandas as pd

        df = pd.read_parquet(out / "data", columns=["path"])
        assert len(df) == 24 and df["path"].is_unique
    else:
        assert len(list(out.rglob("*.npy"))) == 24


@pytest.mark.parametrize(
    "feature,exact", [("melspectrogram", True), ("stft", True), ("kaldi-mfcc", True), ("mfcc", False)]
)
def test_long_files_in_blocks_equal_the_whole_file_path(tmp_path, feature, exact):
    # --long-seconds 1: every input goes through the bounded-memory block path.
    files = _corpus(tmp_path / "in")
    assert _run(tmp_path / "in", "-o", tmp_path / "whole", "--feature", feature, "--quiet") == 0
    assert _run(tmp_path / "in", "-o", tmp_path / "blocks", "--feature", feature, "--quiet", "--long-seconds", "1") == 0
    for path in files.values():
        rel = path.relative_to(tmp_path / "in").with_suffix(".npy")
        a, b = np.load(tmp_path / "whole" / rel), np.load(tmp_path / "blocks" / rel)
        assert a.shape == b.shape
        if exact:
            np.testing.assert_array_equal(b, a)
        else:  # the MFCC DCT runs per block on the dB mel (float32 rounding only)
            np.testing.assert_allclose(b, a, atol=2e-5 * np.abs(a).max())


def test_real_full_disk_on_a_tiny_tmpfs(tmp_path, capsys):
    # A real ENOSPC: OUT on a 1.5 MB tmpfs, outputs of ~0.7 MB each (needs root and mount rights).
    mnt = tmp_path / "small_disk"
    mnt.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(mnt)], capture_output=True, check=False
        ).returncode
        != 0
    ):
        pytest.skip("cannot mount a tmpfs here")
    try:
        _corpus(tmp_path / "in")
        out = mnt / "out"
        assert _run(tmp_path / "in", "-o", out, "--feature", "stft", "--jobs", "1") == 3
        err = capsys.readouterr().err
        assert "the disk is full" in err and "--resume" in err, err
        done = _records(out) if (out / "manifest.jsonl").exists() else {}
        outputs = list(out.rglob("*.npy"))
        assert len(outputs) == len(done) and len(outputs) < 4
        for f in outputs:
            assert np.load(f).shape[0] == 1025  # complete
        assert not list(out.rglob("*" + _dataset.TMP_SUFFIX))
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
