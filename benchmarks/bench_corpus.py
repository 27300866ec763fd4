"""Corpus throughput: `cepstra extract` vs librosa.load + librosa.feature.mfcc via joblib, per format.

Same files, same number of workers (CEPSTRA_BENCH_JOBS, default 2), same run; the "floor" rows
are decoding + resampling only. The full table with targets: `python -m cepstra bench --corpus`.
"""

import os
import shutil

import pytest

pytest.importorskip("soundfile")
pytest.importorskip("soxr")
librosa = pytest.importorskip("librosa")
joblib = pytest.importorskip("joblib")

from cepstra.cli import bench_corpus

JOBS = int(os.environ.get("CEPSTRA_BENCH_JOBS", "2"))
FILES = int(os.environ.get("CEPSTRA_BENCH_CORPUS_FILES", "8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    files = bench_corpus.make_corpus(str(root), FILES, seconds=10.0)
    yield files
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def parallel():
    with joblib.Parallel(n_jobs=JOBS) as p:
        p(joblib.delayed(bench_corpus._librosa_one)(f) for f in [])  # start the pool
        yield p


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg"])
def test_corpus_cepstra_extract(benchmark, corpus, fmt):
    benchmark.group = f"corpus-{fmt}"
    folder = os.path.dirname(corpus[fmt][0])
    benchmark.pedantic(bench_corpus._ours, args=(folder, JOBS), rounds=3, warmup_rounds=1)


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg"])
def test_corpus_librosa_joblib(benchmark, corpus, parallel, fmt):
    benchmark.group = f"corpus-{fmt}"
    benchmark.pedantic(bench_corpus._reference, args=(corpus[fmt], JOBS, parallel), rounds=3, warmup_rounds=1)


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg"])
def test_corpus_decode_floor(benchmark, corpus, fmt):
    benchmark.group = f"corpus-{fmt}"
    benchmark.pedantic(bench_corpus._floor, args=(corpus[fmt], JOBS), rounds=3, warmup_rounds=1)
