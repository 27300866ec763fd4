// The FFT kernel alone against FFTW: nanoseconds per float32 real transform, cache-resident.
//
// FFTW (a yardstick only, never linked into cepstra; Debian's libfftw3-dev, or the build that
// run_fftw_bench.sh's FFTW_PREFIX names): one fftwf_plan_dft_r2c_1d(FFTW_MEASURE) transform
// executed repeatedly on the same buffers.
// cepstra: one call of the per-ISA kernel on W frames (one per SIMD lane) divided by W,
// *including* a copy of the input each call (the kernel works in place on its input); the
// copy's own cost is printed beside it.
// Build and run: benchmarks/run_fftw_bench.sh
#include <fftw3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <time.h>

#include "cepstra/fft.h"
#include "cepstra/pipeline.h"
#include "simd/kernels.h"

// Thread CPU time, not wall time: on a shared machine the wall clock also counts the other
// processes' time slices, which swamps differences of a few percent.
static double cpu_ns() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e9 + double(t.tv_nsec);
}

// Restores the kernel's clobbered input. Not memcpy: for buffers this size glibc takes
// `rep movsb`, which on some machines (this project's 2-core EPYC guest among them) runs several
// times slower than plain vector moves and made up most of the cepstra figure. The barrier
// keeps the compiler from turning the loop back into a memcpy call.
static void restore(float* dst, const float* src, std::size_t count) {
    for (std::size_t i = 0; i < count; i += 4) {
        std::memcpy(dst + i, src + i, 4 * sizeof(float));
        asm volatile("" ::: "memory");
    }
}

template <class F>
double best_ns(F&& f, int reps) {
    double best = 1e300;
    for (int trial = 0; trial < 9; ++trial) {
        const double t0 = cpu_ns();
        for (int r = 0; r < reps; ++r) f();
        const double ns = (cpu_ns() - t0) / reps;
        best = std::min(best, ns);
    }
    return best;
}

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes = {256, 400, 512, 1000, 1024, 1200, 2000, 2048, 4096, 4800, 8192, 16384};
    if (argc > 1) {
        sizes.clear();
        for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoul(argv[i], nullptr, 10));
    }
    std::vector<std::pair<std::string, const cepstra::KernelTable*>> isas;
    for (const char* name : {"sse2", "avx2", "avx512"})
        if (cepstra::set_active_isa(name)) isas.emplace_back(name, &cepstra::active_kernels());
    std::printf("%6s %10s", "n", "FFTW ns");
    for (auto& isa : isas) std::printf(" %10s %7s %7s", (isa.first + " ns").c_str(), "copy", "ratio");
    std::printf("   (ratio = cepstra incl. copy / FFTW)\n");
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
            const int creps = std::max(20, reps / int(W));
            const double ns = best_ns(
                                  [&] {
                                      restore(work.data(), src.data(), n * W);
                                      k.rfft_packs(*plan, work.data(), re.data(), im.data(), scratch.data());
                                  },
                                  creps) /
                              double(W);
            const double copy = best_ns([&] { restore(work.data(), src.data(), n * W); }, creps) / double(W);
            std::printf(" %10.0f %7.0f %7.2f", ns, copy, ns / fftw);
        }
        std::printf("\n");
        fftwf_destroy_plan(p);
        fftwf_free(in);
        fftwf_free(out);
    }
    return 0;
}
