#!/usr/bin/env bash
# Proves the run-time ISA dispatch with Debian's qemu-user (x86-64 hosts):
#   * natively, CEPSTRA_ISA=baseline|avx2|avx512|generic selects that path (cepstra.info() says so);
#   * under `qemu-x86_64 -cpu Nehalem` (SSE4.2, no AVX) the automatic choice is sse2, nothing
#     wider is ever executed (an AVX instruction would be SIGILL), and the results equal the
#     native CEPSTRA_ISA=baseline results;
#   * under `qemu-x86_64 -cpu Haswell` (AVX2+FMA, no AVX-512) the choice is avx2 and the results
#     equal the native CEPSTRA_ISA=avx2 results.
# "Equal" means bitwise; if not bitwise, within 1e-6 relative is reported (and accepted).
#
# usage: scripts/qemu_isa_check.sh [PYTHON]   (default: $PYTHON or python3; a venv's python with
#        cepstra installed, e.g. from the repaired wheel). Needs: apt-get install -y qemu-user
set -euo pipefail

PY=${1:-${PYTHON:-python3}}
HERE=$(cd "$(dirname "$0")" && pwd)
SMOKE=$HERE/isa_smoke.py
OUT=${ISA_CHECK_DIR:-$(mktemp -d)}
mkdir -p "$OUT"

if [ "$(uname -m)" != x86_64 ]; then echo "qemu_isa_check: x86-64 hosts only, skipped"; exit 0; fi
command -v qemu-x86_64 > /dev/null || { echo "qemu_isa_check: qemu-x86_64 missing (apt-get install -y qemu-user)"; exit 2; }
# qemu-user runs the real interpreter binary; resolve a venv's symlink only for the native runs'
# sake of clarity -- the venv itself is found from argv[0] in both cases.
cd "$OUT"

fail=0
note() { printf '%s\n' "$*"; }
json_get() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d[sys.argv[2]]; print(v if isinstance(v,str) else " ".join(v))' "$1" "$2"; }

available=$("$PY" -c 'import cepstra; print(" ".join(cepstra.available_isas()))')
note "native CPU: available ISAs: $available"

# 0. the emulator really refuses what the model lacks: an AVX2 / AVX-512 instruction must be
#    SIGILL under Nehalem / Haswell (otherwise the checks below would prove nothing)
if command -v gcc > /dev/null; then
    cat > probe.c <<'C'
#include <immintrin.h>
#include <stdio.h>
int main(int argc, char** argv) {
    (void)argv;
    if (argc > 1) { volatile __m512 z = _mm512_set1_ps((float)argc); printf("avx512 ok %f\n", (double)z[0]); }
    else { volatile __m256i v = _mm256_add_epi32(_mm256_set1_epi32(argc), _mm256_set1_epi32(1)); printf("avx2 ok %d\n", v[0] != 0); }
    return 0;
}
C
    gcc -O1 -mavx2 -mavx512f probe.c -o probe
    probe() { local rc=0; qemu-x86_64 -cpu "$1" ./probe $2 > /dev/null 2>&1 || rc=$?; echo "$rc"; }
    rc_n=$(probe Nehalem ""); rc_h=$(probe Haswell ""); rc_h5=$(probe Haswell x)
    note "emulator: AVX2 under Nehalem rc=$rc_n, AVX2 under Haswell rc=$rc_h, AVX-512 under Haswell rc=$rc_h5 (132 = SIGILL)"
    if [ "$rc_n" != 132 ] || [ "$rc_h" != 0 ] || [ "$rc_h5" != 132 ]; then note "  emulator does not enforce the CPU models  FAIL"; fail=1; fi
fi

# 1. CEPSTRA_ISA selection natively (each forced path computes the smoke test)
for pair in baseline:sse2 generic:generic avx2:avx2 avx512:avx512; do
    req=${pair%%:*}; want=${pair##*:}
    case " $available " in *" $want "*) ;; *) note "  CEPSTRA_ISA=$req: skipped ($want not available on this CPU)"; continue ;; esac
    CEPSTRA_ISA=$req "$PY" "$SMOKE" "native_$req.npz" > "native_$req.log"
    got=$(json_get "native_$req.json" isa)
    if [ "$got" = "$want" ]; then note "  CEPSTRA_ISA=$req -> cepstra.info()['isa'] = $got  OK"
    else note "  CEPSTRA_ISA=$req -> $got, expected $want  FAIL"; fail=1; fi
done
got=$("$PY" -c 'import cepstra; print(cepstra.get_isa())')
note "  (no CEPSTRA_ISA) -> $got"

# 2./3. under qemu: the automatic choice, and the same numbers as the native forced path
check_qemu() {  # cpu model, expected isa, expected unavailable isa, native reference
    local cpu=$1 want=$2 absent=$3 ref=$4
    note "qemu-x86_64 -cpu $cpu:"
    local t0=$SECONDS
    qemu-x86_64 -cpu "$cpu" "$PY" "$SMOKE" "qemu_$cpu.npz" > "qemu_$cpu.log" 2> "qemu_$cpu.err" || {
        note "  smoke test FAILED under $cpu (rc $?):"; tail -5 "qemu_$cpu.err"; fail=1; return; }
    local got avail
    got=$(json_get "qemu_$cpu.json" isa); avail=$(json_get "qemu_$cpu.json" available_isas)
    note "  isa = $got, available = [$avail]  ($((SECONDS - t0)) s)"
    if [ "$got" != "$want" ]; then note "  expected isa $want  FAIL"; fail=1; fi
    case " $avail " in *" $absent "*) note "  $absent must not be available under $cpu  FAIL"; fail=1 ;; esac
    if [ -f "$ref" ]; then
        "$PY" "$SMOKE" --compare "qemu_$cpu.npz" "$ref" | sed 's/^/  /' || { note "  results differ  FAIL"; fail=1; }
    else
        note "  (no native $want reference on this CPU: comparison skipped)"
    fi
    # asking for a wider path than the CPU has must fall back, not crash with SIGILL
    local fb
    fb=$(CEPSTRA_ISA=avx512 qemu-x86_64 -cpu "$cpu" "$PY" -c 'import cepstra, numpy as np; cepstra.stft(np.ones(4096)); print(cepstra.get_isa())' 2>/dev/null) \
        || { note "  CEPSTRA_ISA=avx512 under $cpu crashed  FAIL"; fail=1; return; }
    note "  CEPSTRA_ISA=avx512 under $cpu -> $fb (falls back, no SIGILL)"
    [ "$fb" = "$want" ] || { note "  expected fallback to $want  FAIL"; fail=1; }
}
check_qemu Nehalem sse2 avx2 native_baseline.npz
check_qemu Haswell avx2 avx512 native_avx2.npz

if [ "$fail" -ne 0 ]; then note "qemu_isa_check: FAILED (logs in $OUT)"; exit 1; fi
note "qemu_isa_check: OK"
