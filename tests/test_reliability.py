"""Reliability: leaks, concurrency, fork, interpreter shutdown, errors raised in worker threads,
size arithmetic near 2**31 / 2**63, unusual memory layouts, and floating-point build flags.

Nothing here times anything; every check is a pass/fail property.
"""

import gc
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import cepstra
from cepstra import _core
from conftest import make_batch, make_signal

LINUX = sys.platform.startswith("linux")
# scripts/sanitize.sh: ASan keeps freed memory in quarantine (RSS grows) and owns the address
# space (RLIMIT_AS cannot make one allocation fail), so those two checks skip there.
SANITIZED = "-fsanitize" in getattr(_core, "build_flags", "") or bool(os.environ.get("CEPSTRA_SANITIZED"))
F32, F64 = np.float32, np.float64


@pytest.fixture
def threads():
    """Set the internal thread count for one test, restoring it afterwards."""
    old = cepstra.get_num_threads()
    yield cepstra.set_num_threads
    cepstra.set_num_threads(old)


def _run_python(code, *, timeout=120, env=None):
    """Runs `code` in a fresh interpreter; returns the CompletedProcess."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout, env=full_env
    )


# ============================================================================ a mix of calls


def _mixed_calls(seed=0):
    """Small, fast calls over every public entry point, with distinct parameters (and a few
    that fail with ParameterError/TypeError, whose error paths must not leak either)."""
    y32 = make_signal(2000, seed=seed, dtype=F32)
    y64 = make_signal(2500, seed=seed + 1)
    b32 = make_batch((2, 1500), seed=seed + 2, dtype=F32)
    b64 = make_batch((3, 1200), seed=seed + 3)
    mfcc_ext = cepstra.MFCC(sr=16000, n_mfcc=13, n_fft=400, hop_length=160, n_mels=40)
    mel_ext = cepstra.MelSpectrogram(sr=22050, n_fft=509, hop_length=128, n_mels=48)
    D = cepstra.stft(b64, n_fft=256, hop_length=64)
    S = np.abs(D) ** 2

    def bad_param():
        try:
            cepstra.stft(y32, n_fft=0)
        except cepstra.ParameterError:
            return np.zeros(1)
        raise AssertionError("n_fft=0 accepted")

    def bad_type():
        try:
            cepstra.feature.mfcc(y=np.zeros(100, np.int16))
        except TypeError:
            return np.zeros(1)
        raise AssertionError("int16 accepted")

    def bad_core():  # an exception thrown by C++ (std::invalid_argument -> ParameterError)
        try:
            _core.get_window("no-such-window", 16, True)
        except cepstra.ParameterError:
            return np.zeros(1)
        raise AssertionError("unknown window accepted")

    return [
        lambda: cepstra.stft(y32, n_fft=256, hop_length=64),
        lambda: cepstra.stft(y64, n_fft=401, hop_length=100, window="hamming", pad_mode="reflect"),
        lambda: cepstra.stft(b32, n_fft=128, hop_length=32, center=False),
        lambda: cepstra.istft(D, hop_length=64, length=1200),
        lambda: cepstra.feature.melspectrogram(y=y64, sr=22050, n_fft=512, n_mels=64),
        lambda: cepstra.feature.melspectrogram(y=b32, sr=16000, n_fft=300, hop_length=100, n_mels=30, htk=True),
        lambda: cepstra.feature.melspectrogram(S=S, sr=22050, n_mels=20),
        lambda: cepstra.feature.mfcc(y=y32, sr=16000, n_fft=512, hop_length=160, n_mfcc=13, n_mels=40),
        lambda: cepstra.feature.mfcc(y=b64, sr=22050, n_fft=256, n_mfcc=20, dct_type=3, lifter=22, n_mels=64),
        lambda: mfcc_ext(y32),
        lambda: mfcc_ext(b64),
        lambda: mel_ext(y64),
        lambda: cepstra.power_to_db(S, ref=np.max),
        lambda: cepstra.amplitude_to_db(np.abs(D)),
        lambda: cepstra.fft.rfft(b64),
        lambda: cepstra.fft.irfft(D[..., 0]),
        lambda: cepstra.filters.mel(sr=16000, n_fft=400, n_mels=40),
        lambda: cepstra.feature.delta(S[0], order=2),
        bad_param,
        bad_type,
        bad_core,
    ]


# ============================================================================ leaks


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not LINUX or SANITIZED, reason="reads /proc/self/statm; not under ASan")
def test_no_leak_over_10000_calls(threads):
    threads(2)  # the pool's worker threads take part
    calls = _mixed_calls()
    for _ in range(5):  # warm up: plans, caches, per-thread scratch, allocator pools
        for c in calls:
            c()
    gc.collect()
    before = _rss_bytes()
    n = 0
    while n < 10_000:
        for c in calls:
            c()
        n += len(calls)
    gc.collect()
    grown = _rss_bytes() - before
    assert grown < 5 * 2**20, f"RSS grew by {grown / 2**20:.1f} MiB over {n} calls"


# ============================================================================ concurrency


def test_16_python_threads_bit_identical_to_serial(threads):
    """Sixteen Python threads, each running the whole mix in its own order, against serial
    results computed with one internal thread."""
    calls = _mixed_calls(seed=10)
    threads(1)
    serial = [c() for c in calls]
    threads(3)  # the pool is shared by every calling thread
    barrier = threading.Barrier(16)

    def worker(k):
        barrier.wait()
        order = np.random.default_rng(k).permutation(len(calls))
        out = {}
        for _ in range(2):
            for i in order:
                out[i] = calls[i]()
        return out

    with ThreadPoolExecutor(max_workers=16) as ex:
        results = list(ex.map(worker, range(16)))
    for res in results:
        for i, r in res.items():
            assert r.dtype == serial[i].dtype and r.shape == serial[i].shape, i
            assert np.array_equal(r, serial[i]), f"call {i} differs when run concurrently"


def _fork_child_check(fn, expected, timeout=60):
    """Forks; the child computes fn() with the pool and exits 0 iff it equals expected."""
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        code = 3
        try:
            signal.alarm(timeout)  # a deadlocked pool would hang the child: die instead
            code = 0 if np.array_equal(fn(), expected) else 1
        except BaseException:
            code = 2
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout + 10
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.02)


@pytest.mark.skipif(not LINUX, reason="fork semantics (macOS forbids many libraries after fork)")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # 3.12+: fork() of a threaded process
def test_pool_survives_fork(threads):
    threads(3)
    y = make_batch((4, 8000), seed=21)
    kw = dict(sr=22050, n_fft=1024, hop_length=128)
    expected = cepstra.feature.mfcc(y=y, **kw)  # the parent's pool now has live workers
    assert _fork_child_check(lambda: cepstra.feature.mfcc(y=y, **kw), expected) == 0
    # the parent's pool still works after the fork, and a second generation forks fine
    assert np.array_equal(cepstra.feature.mfcc(y=y, **kw), expected)
    assert (
        _fork_child_check(
            lambda: expected if _fork_child_check(lambda: cepstra.feature.mfcc(y=y, **kw), expected) == 0 else None,
            expected,
        )
        == 0
    )


@pytest.mark.skipif(not LINUX, reason="fork semantics")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_fork_while_other_threads_compute(threads):
    """fork() while other Python threads are inside cepstra (workers busy): the child builds a
    fresh pool and computes correctly."""
    threads(3)
    ext = cepstra.MelSpectrogram(sr=16000, n_fft=512, hop_length=64, n_mels=40)
    y = make_batch((3, 20000), seed=22, dtype=F32)
    expected = ext(y)
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ext(y)

    spinners = [threading.Thread(target=spin) for _ in range(3)]
    for t in spinners:
        t.start()
    try:
        codes = [_fork_child_check(lambda: ext(y), expected, timeout=30) for _ in range(10)]
    finally:
        stop.set()
        for t in spinners:
            t.join()
    assert codes == [0] * 10, codes


@pytest.mark.skipif(not LINUX, reason="multiprocessing 'fork' start method")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_multiprocessing_fork_pool(threads):
    import multiprocessing

    threads(2)
    signals = [make_signal(6000, seed=s) for s in range(4)]
    expected = [cepstra.feature.mfcc(y=s, sr=16000, n_fft=400, hop_length=160) for s in signals]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        got = pool.map(_mp_mfcc, signals, chunksize=1)
    for g, e in zip(got, expected):
        assert np.array_equal(g, e)


def _mp_mfcc(y):
    return cepstra.feature.mfcc(y=y, sr=16000, n_fft=400, hop_length=160)


def test_clean_interpreter_shutdown():
    """A process that computes with the pool (workers alive, blocked in the pool) and exits, from
    the main thread or with idle daemon threads around: status 0, no hang, no abort in static
    destructors."""
    code = """
        import threading, time
        import numpy as np
        import cepstra
        cepstra.set_num_threads(8)
        y = np.random.default_rng(0).standard_normal((4, 30000))
        a = cepstra.feature.mfcc(y=y)
        def work():
            assert np.array_equal(cepstra.feature.mfcc(y=y), a)
        ts = [threading.Thread(target=work) for _ in range(4)]
        for t in ts: t.start()
        for t in ts: t.join()
        idle = threading.Event()
        threading.Thread(target=idle.wait, daemon=True).start()  # a daemon thread, idle in Python
        print("bye", flush=True)
    """
    for _ in range(3):
        r = _run_python(code)
        assert r.returncode == 0 and "bye" in r.stdout, (r.returncode, r.stderr[-2000:])


def test_shutdown_with_daemon_threads_inside_cepstra():
    """Daemon threads still inside cepstra calls (GIL released) when the interpreter exits."""
    code = """
        import threading, time
        import numpy as np
        import cepstra
        cepstra.set_num_threads(4)
        y = np.random.default_rng(0).standard_normal((2, 30000))
        def spin():
            while True:
                cepstra.feature.melspectrogram(y=y, n_fft=512, hop_length=64)
        for _ in range(4):
            threading.Thread(target=spin, daemon=True).start()
        time.sleep(0.3)
        print("bye", flush=True)
    """
    for _ in range(3):
        r = _run_python(code)
        assert r.returncode == 0 and "bye" in r.stdout, (r.returncode, r.stderr[-2000:])


# ============================================================================ worker exceptions


@pytest.mark.skipif(not LINUX or SANITIZED, reason="RLIMIT_AS and /proc/self/status; not under ASan")
def test_allocation_failure_in_worker_thread_raises_memoryerror():
    """std::bad_alloc thrown inside a pool worker (its per-thread FFT scratch cannot grow under
    an address-space limit) reaches Python as MemoryError; the pool keeps working afterwards.

    The calling thread's scratch is grown first with one thread, so under the limit only a
    worker needs new memory; the output array is allocated before the limit bites."""
    code = """
        import resource
        import numpy as np
        import cepstra

        def vm():
            for line in open("/proc/self/status"):
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024

        y = np.random.default_rng(0).standard_normal((16, 3000)).astype(np.float32)
        big = cepstra.STFT(n_fft=2**20, hop_length=2**20)
        cepstra.set_num_threads(1)
        ref = big(y)                          # caller's scratch: full size
        cepstra.set_num_threads(2)
        cepstra.STFT(n_fft=256)(y)            # a worker exists, with a small scratch
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (vm() + ref.nbytes + (16 << 20), hard))
        outcomes = []
        for _ in range(5):
            try:
                r = big(y)
                outcomes.append("ok" if np.array_equal(r, ref) else "WRONG")
                del r
            except MemoryError as e:
                outcomes.append("MemoryError")
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        print(outcomes)
        assert "WRONG" not in outcomes
        assert "MemoryError" in outcomes
        assert np.array_equal(big(y), ref)    # the pool survived the failed job
        print("survived")
    """
    r = _run_python(code, timeout=300)
    assert r.returncode == 0 and "survived" in r.stdout, (r.returncode, r.stdout, r.stderr[-3000:])


# ============================================================================ size arithmetic


def _zeros(shape, dtype=F32):
    """A huge all-zero array that costs no memory (every stride is 0)."""
    return np.broadcast_to(np.zeros((), dtype), shape)


@pytest.mark.parametrize("n_fft", [0, -1, 2**24 + 1, 2**31 - 1, 2**31, 2**32 + 1, 2**62, 2**63 - 1, 2**63, 2**64 + 3])
def test_huge_or_negative_n_fft(n_fft):
    y = np.zeros(100, F32)
    for fn in (
        lambda: cepstra.stft(y, n_fft=n_fft),
        lambda: cepstra.feature.melspectrogram(y=y, n_fft=n_fft),
        lambda: cepstra.feature.mfcc(y=y, n_fft=n_fft),
        lambda: cepstra.STFT(n_fft=n_fft),
        lambda: cepstra.filters.mel(sr=22050, n_fft=n_fft),
        lambda: cepstra.filters.get_window("hann", n_fft),
    ):
        with pytest.raises(cepstra.ParameterError, match="n_fft|Nx"):
            fn()


@pytest.mark.parametrize("hop", [0, -5, 2**40 + 1, 2**63 - 1, 2**63, 2**70])
def test_huge_or_negative_hop(hop):
    y = np.zeros(100, F32)
    with pytest.raises(cepstra.ParameterError, match="hop_length"):
        cepstra.stft(y, n_fft=64, hop_length=hop)
    with pytest.raises(cepstra.ParameterError, match="hop_length"):
        cepstra.istft(np.zeros((33, 4), np.complex64), hop_length=hop)


def test_huge_hop_within_bounds_gives_one_frame():
    y = make_signal(1000)
    out = cepstra.stft(y, n_fft=64, hop_length=2**40)
    assert out.shape == (33, 1)
    assert np.array_equal(out, cepstra.stft(y, n_fft=64, hop_length=1000)[:, :1])


@pytest.mark.parametrize(
    "length,n_fft,hop,lead",
    [
        (2**31 + 1, 2**12, 1, ()),  # frame count just above 2**31
        (2**24, 2**20, 1, (2**4,)),  # 2**50 output bytes via a huge n_fft and a batch
        (2**16, 2**12, 1, (2**10,)),  # just over the 2**40-byte output cap through the batch
    ],
)
def test_output_too_large_is_parametererror_before_allocating(length, n_fft, hop, lead):
    """Zero-stride inputs of up to 2**31 samples: the size check refuses the output before any
    allocation (a real allocation of these sizes would be a MemoryError or worse).

    The public API scans the signal for NaN/inf *before* checking the output size, and that scan
    costs time in proportion to the logical size even for a broadcast array, so sizes stay where
    it is still cheap (a 2**62-sample broadcast signal would make stft() spin for hours; see the
    report on _validation.finite)."""
    y = _zeros(lead + (length,))
    n_frames = 1 + length // hop
    rows = int(np.prod(lead)) if lead else 1
    assert rows * n_frames * (n_fft // 2 + 1) * 8 > 2**40  # the case really is over the cap
    calls = [lambda: cepstra.stft(y, n_fft=n_fft, hop_length=hop), lambda: cepstra.STFT(n_fft=n_fft, hop_length=hop)(y)]
    if rows * n_frames * 128 * 8 > 2**40:  # mel/mfcc outputs are smaller: only where over the cap too
        calls += [
            lambda: cepstra.feature.melspectrogram(y=y, n_fft=n_fft, hop_length=hop, n_mels=128),
            lambda: cepstra.feature.mfcc(y=y, n_fft=n_fft, hop_length=hop, n_mels=128, n_mfcc=128),
        ]
    for fn in calls:
        with pytest.raises(cepstra.ParameterError, match="output"):
            fn()


@pytest.mark.parametrize(
    "shape,hop,overflows",
    [
        ((1, 2**60), 1, True),  # 2**60 float32 samples, frames * bins * 8 bytes > 2**63
        ((1, 2**61 - 1), 1, True),  # close to the largest array numpy can describe
        ((2**40, 2**10), 2**40, False),  # 2**40 rows: 2**53 bytes, a size that fits int64
        ((2**30, 2**30), 1, True),  # 2**60 samples over 2**30 rows
    ],
)
def test_plan_refuses_overflowing_outputs(shape, hop, overflows):
    """The C++ plan called directly (no Python-side scan or size cap): checked arithmetic in the
    binding refuses an output whose size overflows; one that merely cannot be allocated is a
    MemoryError. Never a wrapped size, never a crash."""
    p = _core.make_plan(
        "float32",
        "stft",
        512,
        hop,
        True,
        "constant",
        np.ones(512),
        2.0,
        1.0,
        1,
        0.0,
        0.5,
        False,
        "none",
        0.0,
        None,
        1e-10,
        0.0,
        -1.0,
    )
    with pytest.raises(cepstra.ParameterError if overflows else (cepstra.ParameterError, MemoryError)):
        p(_zeros(shape))


def test_huge_length_and_other_sizes():
    with pytest.raises(cepstra.ParameterError, match="length"):
        cepstra.istft(np.zeros((33, 4), np.complex64), length=2**40)
    with pytest.raises(cepstra.ParameterError, match="length"):
        cepstra.istft(np.zeros((33, 4), np.complex64), length=2**63)
    with pytest.raises(cepstra.ParameterError, match="n_mels"):
        cepstra.feature.melspectrogram(y=np.zeros(100, F32), n_mels=2**31)
    with pytest.raises(cepstra.ParameterError, match="n_mels"):
        cepstra.filters.mel(sr=22050, n_fft=2**24, n_mels=2**20)
    with pytest.raises(cepstra.ParameterError, match="n_mfcc"):
        cepstra.feature.mfcc(y=np.zeros(100, F32), n_mfcc=2**63)
    with pytest.raises(cepstra.ParameterError):
        cepstra.set_num_threads(2**31)


def test_core_size_arithmetic_does_not_wrap():
    """Internal entry points with sizes whose products overflow int64: an error, never a wrapped
    (negative or tiny) size and never a crash."""
    with pytest.raises((cepstra.ParameterError, ValueError, MemoryError)):
        _core.dct_matrix(2, 2**40, 2**40, True, 0.0)  # 2**80 elements
    with pytest.raises((cepstra.ParameterError, ValueError, MemoryError)):
        _core.mel_filterbank(22050.0, 2**40, 2**40, 0.0, 11025.0, False, "slaney", 0.0, True)
    with pytest.raises((cepstra.ParameterError, ValueError, MemoryError)):
        _core.istft(np.zeros((1, 3, 2), np.complex64), 4, 2**62, np.ones(4), True, 2**62)
    with pytest.raises(TypeError):  # does not fit int64: refused by the argument conversion
        _core.frame_count(2**63, 4, 1, True, "constant")
    assert _core.frame_count(2**62, 2**62, 2**62, True, "reflect") == 2


def test_core_frame_count_near_int64_max():
    for args in ((2**63 - 1, 2**24, 1, True, "constant"), (2**40, 4, 2**63 - 1, True, "constant")):
        try:
            n = _core.frame_count(*args)
        except cepstra.ParameterError:
            continue
        expected = 1 + args[0] // args[2]
        assert n == expected, (args, n)


# ============================================================================ layouts


def _layouts(base):
    """(name, array with base's values in another layout); base is C-contiguous, >= 2-D."""
    n = base.shape[-1]
    rev = np.ascontiguousarray(base[..., ::-1])[..., ::-1]  # negative stride, same values
    wide = np.zeros(base.shape[:-1] + (3 * n,), base.dtype)
    wide[..., ::3] = base
    raw = bytearray(base.nbytes + 1)
    unaligned = np.frombuffer(raw, dtype=base.dtype, count=base.size, offset=1).reshape(base.shape)
    unaligned[...] = base
    ro = base.copy()
    ro.setflags(write=False)
    yield "negative-stride", rev
    yield "strided", wide[..., ::3]
    yield "fortran", np.asfortranarray(base)
    yield "big-endian", base.astype(base.dtype.newbyteorder(">"))
    yield "unaligned", unaligned
    yield "read-only", ro
    yield "zero-stride-rows", np.broadcast_to(base[:1], base.shape)
    yield "reversed-rows", np.ascontiguousarray(base[::-1])[::-1]


CALLS = {
    "stft": lambda y: cepstra.stft(y, n_fft=400, hop_length=100),
    "stft-reflect": lambda y: cepstra.stft(y, n_fft=257, hop_length=64, pad_mode="reflect"),
    "mel": lambda y: cepstra.feature.melspectrogram(y=y, sr=16000, n_fft=512, hop_length=128, n_mels=40),
    "mfcc": lambda y: cepstra.feature.mfcc(y=y, sr=16000, n_fft=512, hop_length=160, n_mels=40, n_mfcc=13),
    "MFCC": lambda y: cepstra.MFCC(sr=16000, n_fft=400, hop_length=160, n_mels=40, n_mfcc=13)(y),
    "rfft": lambda y: cepstra.fft.rfft(y),
    "power_to_db": lambda y: cepstra.power_to_db(y),
}


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("call", sorted(CALLS))
def test_layouts_match_contiguous_and_input_untouched(call, dtype):
    fn = CALLS[call]
    base = make_batch((3, 3001), seed=31, dtype=dtype)
    if call == "power_to_db":
        base = np.abs(base)
    for name, y in _layouts(base):
        if name == "zero-stride-rows":
            expected = fn(np.ascontiguousarray(y))
        else:
            expected = fn(base)
        before = np.array(y, copy=True)
        before_bytes = y.tobytes()
        out = fn(y)
        assert out.dtype == expected.dtype and out.shape == expected.shape, name
        assert np.array_equal(out, expected), f"{call}: layout {name} differs from a contiguous copy"
        assert y.tobytes() == before_bytes and np.array_equal(y, before), f"{call}: {name} input modified"


def test_fortran_2d_and_3d_views():
    base = make_batch((4, 2, 2000), seed=32)
    odd = base.transpose(1, 0, 2)[:, ::2]  # non-mergeable leading axes
    assert np.array_equal(
        cepstra.feature.mfcc(y=odd, sr=22050, n_fft=512),
        cepstra.feature.mfcc(y=np.ascontiguousarray(odd), sr=22050, n_fft=512),
    )
    f2 = np.asfortranarray(base[:, 0, :])
    assert np.array_equal(cepstra.stft(f2, n_fft=256), cepstra.stft(np.ascontiguousarray(f2), n_fft=256))


# ============================================================================ fp flags


FAST_MATH = re.compile(
    r"(?<![\w-])(-ffast-math|-Ofast|-funsafe-math-optimizations|-ffinite-math-only"
    r"|-fno-honor-nans|-fno-signed-zeros|-freciprocal-math|-fassociative-math"
    r"|-march=native|-mtune=native)(?![\w-])|/fp:fast",
    re.IGNORECASE,
)


def test_no_fast_math_in_build_files():
    root = Path(__file__).resolve().parent.parent
    files = [root / "CMakeLists.txt", root / "pyproject.toml"]
    if not files[0].exists():
        pytest.skip("source tree not available")
    for f in files:
        for lineno, line in enumerate(f.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            assert not FAST_MATH.search(code), f"{f.name}:{lineno}: {line.strip()}"


def test_no_fast_math_in_compiled_flags():
    flags = getattr(_core, "build_flags", None)
    if flags is None:
        pytest.skip("extension built without CEPSTRA_BUILD_FLAGS")
    assert cepstra.info()["build_flags"] == flags
    assert not FAST_MATH.search(flags), flags
    if "GNU" in flags or "Clang" in flags:
        assert "-fno-fast-math" in flags and "-ffp-contract=off" in flags, flags


def test_subnormals_survive_import_and_threads(threads):
    """-ffast-math links crtfastmath.o, which sets FTZ/DAZ for the whole process when the
    extension loads; worker threads could also inherit it. Subnormals must survive both."""
    tiny32 = np.array([1e-40, -3e-42], F32)
    assert np.all((tiny32 * F32(2)) != 0) and np.all(tiny32 / F32(2) != 0)
    tiny64 = np.array([5e-320], F64)
    assert np.all(tiny64 * 2.0 != 0)
    threads(2)
    y = np.zeros((4, 64), F32)
    y[:, 0] = 1e-40  # subnormal: one impulse -> every bin has magnitude 1e-40 (boxcar window)
    D = cepstra.stft(y, n_fft=64, hop_length=64, window="boxcar", center=False)
    assert np.all(D != 0) and np.allclose(np.abs(D), 1e-40, rtol=1e-3, atol=0)
    assert np.all((tiny32 * F32(2)) != 0)  # still preserved after threaded work


@pytest.mark.parametrize("shape", [(257,), (2, 300), (2, 2, 64)])
@pytest.mark.parametrize("dtype", [F32, F64, np.complex64])
def test_unaligned_input_reaches_cpp_aligned(shape, dtype):
    """A C-contiguous but misaligned buffer (np.frombuffer at an odd offset) must be copied
    before C++ reads it: np.ascontiguousarray alone returns it unchanged (misaligned loads are
    undefined behaviour in C++, caught by UBSan in scripts/sanitize.sh)."""
    from cepstra import _validation as V

    n = int(np.prod(shape))
    y = np.frombuffer(bytearray(n * np.dtype(dtype).itemsize + 1), dtype=dtype, count=n, offset=1).reshape(shape)
    assert not y.flags.aligned
    arr = V.float_array("y", y, allow_complex=True)
    assert arr.flags.aligned and arr.flags.c_contiguous
    assert arr.ctypes.data % np.dtype(dtype).alignment == 0
