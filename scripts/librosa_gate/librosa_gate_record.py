"""pytest plugin (``-p librosa_gate_record``), loaded in both gate runs.

- Writes each test's outcome to the JSON file named by $LIBROSA_GATE_RESULTS.
- A test that fails only because a file under ``tests/data`` (librosa's separate test-data
  repository, not in the sdist) is missing is reported as skipped, with a reason that says so.
- Records how many calls reached cepstra during each test when the patch plugin is loaded
  (directly, or through a fixture whose setup called cepstra), and each test's duration.
- $LIBROSA_GATE_ONLY names a JSON list of node ids: only those run (the unpatched side of the
  gate runs just the tests that reached cepstra on the patched side).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest

DATA_REASON = "needs librosa's test-data repository (tests/data)"
_DATA_MARKERS = (os.path.join("tests", "data"), "tests/data", "baseline_images")
_results: dict[str, dict[str, Any]] = {}


def _calls() -> int:
    patch = sys.modules.get("cepstra_librosa_patch")
    return sum(patch.CALLS.values()) if patch is not None else 0


def _needs_data(excinfo: Any) -> bool:
    exc = excinfo.value if excinfo is not None else None
    seen = 0
    while exc is not None and seen < 8:  # the cause chain: librosa.load wraps the OSError
        text = f"{exc!r} {getattr(exc, 'filename', '')}"
        if isinstance(exc, (OSError, RuntimeError, ValueError)) and any(m in text for m in _DATA_MARKERS):
            return True
        if type(exc).__name__ in ("NoBackendError", "LibsndfileError") and "tests" in text:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


_START = pytest.StashKey[int]()
# Fixtures whose setup called cepstra (per process): a module-scoped fixture computed by
# cepstra reaches every test that uses it, not only the first one that set it up.
_REACHING_FIXTURES: set[str] = set()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_START] = _calls()


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Any:
    before = _calls()
    yield
    if _calls() > before:
        _REACHING_FIXTURES.add(fixturedef.argname)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """$LIBROSA_GATE_ONLY (a JSON list of node ids): run only those tests."""
    path = os.environ.get("LIBROSA_GATE_ONLY")
    if not path:
        return
    with open(path) as f:
        keep = set(json.load(f))
    selected = [it for it in items if it.nodeid in keep]
    deselected = [it for it in items if it.nodeid not in keep]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    if call.when == "call":
        calls = _calls() - item.stash.get(_START, _calls())
        if not calls and _REACHING_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            calls = 1
        item.user_properties.append(("cepstra_calls", calls))
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and call.when in ("setup", "call") and _needs_data(call.excinfo):
        rep.outcome = "skipped"
        rep.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {DATA_REASON}")
        rep.user_properties = list(rep.user_properties) + [("needs_data", True)]


def _merge(rep: pytest.TestReport) -> None:
    r = _results.setdefault(rep.nodeid, {"phases": {}, "calls": 0, "why": "", "seconds": 0.0})
    r["seconds"] = round(r["seconds"] + rep.duration, 3)
    props = dict(rep.user_properties)
    r["calls"] = max(r["calls"], int(props.get("cepstra_calls", 0)))
    if props.get("needs_data"):
        r["needs_data"] = True
    if hasattr(rep, "wasxfail"):
        state = "xfailed" if rep.skipped else "xpassed"
    else:
        state = rep.outcome
    r["phases"][rep.when] = state
    if state in ("failed", "skipped", "xfailed") and not r["why"]:
        r["why"] = _why(rep)


def _final(phases: dict[str, str]) -> str:
    """One outcome per test: any failing phase fails it; else the call's (or setup's) outcome."""
    if "failed" in phases.values():
        return "failed"
    return phases.get("call") or phases.get("setup", "passed")


def _why(rep: pytest.TestReport) -> str:
    lr = rep.longrepr
    if isinstance(lr, tuple):
        return str(lr[2])[:300]
    crash = getattr(lr, "reprcrash", None)
    if crash is not None:
        return f"{crash.message}"[:300]
    return str(lr)[-300:]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _merge(report)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _results[report.nodeid] = {"outcome": "collect-error", "phases": {}, "calls": 0, "seconds": 0.0,
                                   "why": str(report.longrepr)[-300:]}


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("LIBROSA_GATE_RESULTS")
    if path and not hasattr(session.config, "workerinput"):  # the xdist controller (or a plain run)
        out = {k: {"outcome": v.get("outcome") or _final(v.pop("phases")), **v} for k, v in _results.items()}
        for v in out.values():
            v.pop("phases", None)
        with open(path + ".tmp", "w") as f:
            json.dump(out, f, indent=0, sort_keys=True)
        os.replace(path + ".tmp", path)
