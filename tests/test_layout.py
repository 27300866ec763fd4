"""The layout's rules that a test can hold: one importer of the extension, no GIL release
outside the exit-safe helper, the extension never importing the package back."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
PKG = ROOT / "python" / "cepstra"
CPP = ROOT / "cpp"


def test_only_the_engine_imports_the_extension():
    pattern = re.compile(
        r"^\s*(from\s+\S*\s+import\s+[^#\n]*\b_core\b|import\s+cepstra\._core|from\s+\S*_core\s+import)", re.M
    )
    importers = sorted(str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if pattern.search(p.read_text()))
    assert importers == ["_engine/__init__.py"]


def test_gil_is_released_only_by_the_exit_safe_helper():
    """cpp/bindings/arrays.h's without_gil() is the only way: any other release (pybind11's
    guard, CPython's macros or calls) would bring back the shutdown crash it prevents."""
    forbidden = re.compile(r"gil_scoped_release|Py_BEGIN_ALLOW_THREADS|Py_END_ALLOW_THREADS|PyEval_SaveThread|"
                           r"call_guard")
    offenders = []
    for p in CPP.rglob("*"):
        if p.suffix not in (".h", ".cc", ".cpp", ".hpp") or p.name == "arrays.h":
            continue
        for i, line in enumerate(p.read_text().splitlines(), 1):
            if forbidden.search(line):
                offenders.append(f"{p.relative_to(ROOT)}:{i}: {line.strip()}")
    assert offenders == []
    arrays = (CPP / "bindings" / "arrays.h").read_text()
    assert arrays.count("PyEval_SaveThread()") == 1  # in without_gil, and nowhere else
    assert "#pragma GCC poison gil_scoped_release PyEval_SaveThread" in arrays


def test_extension_does_not_import_the_package():
    for p in (CPP / "bindings").glob("*.cc"):
        text = p.read_text()
        assert "module_::import(\"cepstra" not in text and "PyImport_ImportModule" not in text, p.name


def test_kernels_and_pipelines_do_not_include_python():
    for sub in ("include", "src"):
        for p in (CPP / sub).rglob("*"):
            if p.is_file():
                text = p.read_text()
                assert "pybind11" not in text and "Python.h" not in text, p


def test_generic_kernel_table_knows_no_front_end():
    assert "aldi" not in (CPP / "src" / "simd" / "kernels.h").read_text()


def test_function_and_extractor_parameters_agree():
    """melspectrogram/mfcc, their typed overload parameters (MelParams/MfccParams) and the
    MelSpectrogram/MFCC extractors name the same parameters with the same defaults."""
    import inspect

    import cepstra
    from cepstra.feature import spectral

    for func, params, ext, extra in (
        (cepstra.feature.melspectrogram, spectral.MelParams, cepstra.MelSpectrogram, set()),
        (cepstra.feature.mfcc, spectral.MfccParams, cepstra.MFCC, {"top_db"}),
    ):
        f = {k: p.default for k, p in inspect.signature(func).parameters.items() if k not in ("y", "S")}
        e = {k: p.default for k, p in inspect.signature(ext).parameters.items() if k not in extra}
        assert set(f) == set(params.__annotations__) | set(
            getattr(params, "__optional_keys__", ())
        ), func.__name__
        assert f == e, func.__name__


def test_kaldi_signatures_come_from_the_options():
    import dataclasses
    import inspect

    from cepstra import kaldi
    from cepstra._engine import configs

    for func, cls, opts in ((kaldi.fbank, kaldi.Fbank, configs.FbankOptions),
                            (kaldi.mfcc, kaldi.Mfcc, configs.MfccOptions)):
        names = [f.name for f in dataclasses.fields(opts)]
        assert list(inspect.signature(func).parameters)[1:] == names
        assert list(inspect.signature(cls).parameters) == names
        defaults = {f.name: f.default for f in dataclasses.fields(opts)}
        assert {k: p.default for k, p in inspect.signature(cls).parameters.items()} == defaults
