#!/usr/bin/env bash
# Builds the extension with AddressSanitizer + UndefinedBehaviorSanitizer (+ float-cast-overflow)
# into a throwaway venv and runs the test suite against it. Any sanitizer report aborts the run.
#
# usage: scripts/sanitize.sh [pytest args]     (default: the whole suite, tests -q)
# env:   PYTHON (interpreter for the venv, default python3), SANITIZE_DIR (work dir, default a
#        fresh mktemp -d), CEPSTRA_SANITIZE (default address,undefined,float-cast-overflow)
# GCC/Linux only: the Python interpreter is not instrumented, so libasan is LD_PRELOADed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
WORK=${SANITIZE_DIR:-$(mktemp -d)}
SAN=${CEPSTRA_SANITIZE:-address,undefined,float-cast-overflow}
mkdir -p "$WORK"
echo "sanitize: -fsanitize=$SAN, work dir $WORK"

"$PY" -m venv "$WORK/venv"
# shellcheck disable=SC1091
. "$WORK/venv/bin/activate"
python -m pip install --quiet --upgrade pip
# A separate build dir: the CMake cache must not leak the sanitizer flags into normal builds.
# RelWithDebInfo: optimised like the release (same code paths) but with line numbers in reports.
( cd "$ROOT" && python -m pip install --quiet \
    -C "cmake.define.CEPSTRA_SANITIZE=$SAN" -C cmake.build-type=RelWithDebInfo \
    -C "build-dir=$WORK/build" ".[test]" )
# libasan first; libstdc++ too, or ASan's __cxa_throw interceptor finds no real __cxa_throw
# (python does not link libstdc++) and the first C++ exception fails an ASan CHECK.
ASAN_RT="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libstdc++.so.6)"
for f in $ASAN_RT; do [ -f "$f" ] || { echo "$f not found (apt-get install -y g++)"; exit 2; }; done
# detect_leaks=0: CPython itself "leaks" at exit. allocator_may_return_null=1: an impossible
# allocation (the tests ask numpy for petabytes on purpose) returns NULL -> MemoryError, as
# without ASan, instead of aborting.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:abort_on_error=1:detect_stack_use_after_return=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:abort_on_error=1
export CEPSTRA_SANITIZED=1
cd "$ROOT"
LD_PRELOAD="$ASAN_RT" python -c 'import cepstra, sys; f = cepstra.info()["build_flags"]; print(f); sys.exit("-fsanitize" not in f)'
[ $# -gt 0 ] || set -- tests -q
echo "sanitize: LD_PRELOAD='$ASAN_RT' python -m pytest $*"
# --capture=sys: pytest must not capture file descriptor 2, where the sanitizers write their
# reports (an abort would lose whatever pytest had captured).
rc=0
LD_PRELOAD="$ASAN_RT" python -m pytest -p no:cacheprovider --capture=sys "$@" || rc=$?
[ "$rc" -eq 0 ] && echo "sanitize: clean" || echo "sanitize: FAILED (rc $rc)"
exit "$rc"
