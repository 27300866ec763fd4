#!/usr/bin/env bash
# Builds benchmarks/fft_vs_fftw.cc against cepstra's core and Debian's FFTW, and runs it.
#   apt-get install -y libfftw3-dev   (FFTW is a yardstick only; cepstra never links it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build/fftw-bench}
python=${PYTHON:-python3}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCEPSTRA_BENCH_FFTW=ON \
  -DPython_EXECUTABLE="$(command -v "$python")" -Dpybind11_DIR="$("$python" -m pybind11 --cmakedir)" >/dev/null
cmake --build "$build" --target fft_vs_fftw -j 2 >/dev/null
"$build/fft_vs_fftw" "$@"
