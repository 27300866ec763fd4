"""`cepstra demo` (bundled recordings through the extract path) and the console-script entry point."""

import json
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("soundfile")
pytest.importorskip("soxr")

from cepstra.cli import main
from cepstra.cli.demo import data_dir


def test_bundled_recordings_ship_with_attribution():
    clips = sorted(Path(data_dir()).glob("*.ogg"))
    assert len(clips) == 2
    for clip in clips:
        text = clip.with_suffix(".txt").read_text()
        assert "https://" in text and ("CC-BY" in text or "Public Domain" in text)
        assert clip.stat().st_size < 64_000


def test_demo_writes_a_dataset_and_a_png(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path), "--seconds", "2"]) == 0
    out = capsys.readouterr().out
    assert "extract: mfcc of 2 files" in out and "plot: mel spectrogram" in out and str(tmp_path) in out
    recs = [json.loads(x) for x in (tmp_path / "features" / "manifest.jsonl").read_text().splitlines()]
    assert len(recs) == 2 and all(r["status"] == "ok" and r["shape"][0] == 20 for r in recs)
    assert (tmp_path / "features" / "summary.csv").read_text().count("\n") == 3
    png = tmp_path / "spectrogram.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_console_script_entry_point():
    # [project.scripts] cepstra = "cepstra.cli:main"; `python -m cepstra` calls the same function.
    text = (Path(__file__).parents[1] / "pyproject.toml").read_text()
    assert 'cepstra = "cepstra.cli:main"' in text
    import subprocess

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    res = subprocess.run(
        [sys.executable, "-m", "cepstra", "--help"], capture_output=True, text=True, env=env, check=False
    )
    assert res.returncode == 0
    for command in ("extract", "plot", "demo", "bench", "info"):
        assert command in res.stdout
