// The FFT kernel alone against FFTW: nanoseconds per float32 real transform, cache-resident.
//
// FFTW (Debian's libfftw3-dev; a yardstick only, never linked into cepstra): one
// fftwf_plan_dft_r2c_1d(FFTW_MEASURE) transform executed repeatedly on the same buffers.
// cepstra: one call of the per-ISA kernel on W frames (one per SIMD lane) divided by W,
// *including* a copy of the input each call (the kernel works in place on its input).
// Build and run: benchmarks/run_fftw_bench.sh
#include <fftw3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cepstra/fft.h"
#include "cepstra/pipeline.h"
#include "simd/kernels.h"

using clk = std::chrono::steady_clock;

template <class F>
double best_ns(F&& f, int reps) {
    double best = 1e300;
    for (int trial = 0; trial < 7; ++trial) {
        const auto t0 = clk::now();
        for (int r = 0; r < reps; ++r) f();
        const double ns = std::chrono::duration<double, std::nano>(clk::now() - t0).count() / reps;
        best = std::min(best, ns);
    }
    return best;
}

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes = {256, 400, 512, 1000, 1024, 2048, 4096};
    if (argc > 1) {
        sizes.clear();
        for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoul(argv[i], nullptr, 10));
    }
    std::vector<std::pair<std::string, const cepstra::KernelTable*>> isas;
    for (const char* name : {"sse2", "avx2", "avx512"})
        if (cepstra::set_active_isa(name)) isas.emplace_back(name, &cepstra::active_kernels());
    std::printf("%6s %10s", "n", "FFTW ns");
    for (auto& isa : isas) std::printf(" %10s %7s", (isa.first + " ns").c_str(), "ratio");
    std::printf("   (ratio = cepstra / FFTW; <= 1.25 is the target)\n");
    std::mt19937 rng(1);
    std::normal_distribution<float> nd;
    for (std::size_t n : sizes) {
        float* in = fftwf_alloc_real(n);
        fftwf_complex* out = fftwf_alloc_complex(n / 2 + 1);
        fftwf_plan p = fftwf_plan_dft_r2c_1d(int(n), in, out, FFTW_MEASURE);
        for (std::size_t i = 0; i < n; ++i) in[i] = nd(rng);
        const int reps = int(std::max<std::size_t>(200, 4000000 / n));
        const double fftw = best_ns([&] { fftwf_execute(p); }, reps);
        std::printf("%6zu %10.0f", n, fftw);
        const auto plan = cepstra::real_fft_plan<float>(n);
        for (auto& isa : isas) {
            const auto& k = isa.second->f32;
            const std::size_t W = std::size_t(k.lanes), nb = n / 2 + 1;
            std::vector<float> src(n * W), work(n * W), re(nb * W), im(nb * W),
                scratch(std::max<std::size_t>(1, plan->scratch_elems()) * W);
            for (float& v : src) v = nd(rng);
            const double ns = best_ns(
                                  [&] {
                                      std::memcpy(work.data(), src.data(), n * W * sizeof(float));
                                      k.rfft_packs(*plan, work.data(), re.data(), im.data(), scratch.data());
                                  },
                                  std::max(20, reps / int(W))) /
                              double(W);
            std::printf(" %10.0f %7.2f", ns, ns / fftw);
        }
        std::printf("\n");
        fftwf_destroy_plan(p);
        fftwf_free(in);
        fftwf_free(out);
    }
    return 0;
}
