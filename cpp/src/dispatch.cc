// Run-time choice of the ISA kernels: the widest this CPU (and OS) supports, or the one forced
// by CEPSTRA_ISA / cepstra.config.set_isa() (used by the tests to cover every path).
#include <atomic>
#include <cstdlib>
#include <string>

#include "simd/kernels.h"

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace cepstra {

namespace {

#if defined(CEPSTRA_HAVE_X86_KERNELS)
bool cpu_has(const char* isa) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_cpu_init();
    const std::string s(isa);
    // libgcc checks the OS's XSAVE state (XCR0) as well as the CPUID bits.
    if (s == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (s == "avx512")
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return s == "sse2";
#else
    int r[4];
    __cpuid(r, 0);
    const int max_leaf = r[0];
    __cpuid(r, 1);
    const bool osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1, fma = (r[2] >> 12) & 1;
    if (!osxsave || !avx) return std::string(isa) == "sse2";
    const unsigned long long xcr0 = _xgetbv(0);
    const bool ymm = (xcr0 & 6) == 6, zmm = (xcr0 & 0xe6) == 0xe6;
    int e[4] = {0, 0, 0, 0};
    if (max_leaf >= 7) __cpuidex(e, 7, 0);
    const bool avx2 = (e[1] >> 5) & 1;
    const bool avx512 = ((e[1] >> 16) & 1) && ((e[1] >> 17) & 1) && ((e[1] >> 30) & 1) && ((e[1] >> 31) & 1);
    const std::string s(isa);
    if (s == "avx2") return ymm && avx2 && fma;
    if (s == "avx512") return zmm && avx512 && avx2 && fma;
    return s == "sse2";
#endif
}
#endif

const KernelTable* table_named(const std::string& name) {
    // On AArch64 the portable file is the NEON path, known by either name.
    if (name == "generic" || name == kernels_generic().name) return &kernels_generic();
#if defined(CEPSTRA_HAVE_X86_KERNELS)
    if (name == "baseline" || name == "sse2") return &kernels_sse2();
    if (name == "avx2") return cpu_has("avx2") ? &kernels_avx2() : nullptr;
    if (name == "avx512") return cpu_has("avx512") ? &kernels_avx512() : nullptr;
#else
    if (name == "baseline") return &kernels_generic();
#endif
    return nullptr;
}

const KernelTable* best_table() {
#if defined(CEPSTRA_HAVE_X86_KERNELS)
    // The widest path wins: with 16x16 register transposes for the frame gather, the AVX-512
    // build measured 10-23 % faster than AVX2 end to end on Zen 4 (stft/mel/mfcc/kaldi/whisper,
    // one thread) and its FFT kernel is faster at every size (benchmarks/fft_vs_fftw.cc).
    if (cpu_has("avx512")) return &kernels_avx512();
    if (cpu_has("avx2")) return &kernels_avx2();
    return &kernels_sse2();
#else
    return &kernels_generic();
#endif
}

std::atomic<const KernelTable*> g_active{nullptr};

}  // namespace

const KernelTable& active_kernels() {
    const KernelTable* t = g_active.load(std::memory_order_acquire);
    if (t) return *t;
    t = best_table();
    if (const char* env = std::getenv("CEPSTRA_ISA")) {
        // An unknown or unsupported request falls back to the best path rather than failing
        // at import; cepstra.info() reports what was chosen.
        if (const KernelTable* forced = table_named(env)) t = forced;
    }
    g_active.store(t, std::memory_order_release);
    return *t;
}

std::string active_isa() { return active_kernels().name; }

// Returns false when the name is unknown or this CPU lacks the instructions.
bool set_active_isa(const std::string& name) {
    const KernelTable* t = name == "best" ? best_table() : table_named(name);
    if (!t) return false;
    g_active.store(t, std::memory_order_release);
    return true;
}

bool isa_available(const std::string& name) { return table_named(name) != nullptr; }

}  // namespace cepstra
