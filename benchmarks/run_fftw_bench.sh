#!/usr/bin/env bash
# Builds benchmarks/fft_vs_fftw.cc against cepstra's core and FFTW, and runs it.
#   apt-get install -y libfftw3-dev   (FFTW is a yardstick only; cepstra never links it)
# Debian's single-precision FFTW has SSE and AVX codelets but no AVX2 (FMA) ones. For the
# issue's yardstick build FFTW from the Debian source package with AVX2 (and AVX-512 where the
# CPU has it) into a prefix and point FFTW_PREFIX at it:
#   apt-get source fftw3 && cd fftw3-3.3.10 && ./configure --prefix=$PREFIX --enable-float \
#     --enable-sse2 --enable-avx --enable-avx2 [--enable-avx512] --disable-fortran \
#     --disable-shared && make -j && make install
#   FFTW_PREFIX=$PREFIX benchmarks/run_fftw_bench.sh [sizes...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
if [ -n "${FFTW_PREFIX:-}" ]; then
  # the compiler driver searches these before the system directories
  export CPATH="$FFTW_PREFIX/include${CPATH:+:$CPATH}"
  export LIBRARY_PATH="$FFTW_PREFIX/lib${LIBRARY_PATH:+:$LIBRARY_PATH}"
  build=${BUILD_DIR:-$root/build/fftw-bench-$(echo "$FFTW_PREFIX" | tr -c 'a-zA-Z0-9\n' _)}
else
  build=${BUILD_DIR:-$root/build/fftw-bench}
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCEPSTRA_BENCH_FFTW=ON \
  -DPython_EXECUTABLE="$(command -v "$python")" -Dpybind11_DIR="$("$python" -m pybind11 --cmakedir)" >/dev/null
cmake --build "$build" --target fft_vs_fftw -j 2 >/dev/null
"$build/fft_vs_fftw" "$@"
