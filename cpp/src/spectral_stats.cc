// Spectral descriptors from blocks of STFT frames (see cepstra/spectral_stats.h).
#include "cepstra/spectral_stats.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <string>

#include "cepstra/threads.h"
#include "simd/kernels.h"
#define CEPSTRA_REDUCE_NS reduce_generic
#include "simd/spectral_reduce-inl.h"
#undef CEPSTRA_REDUCE_NS

namespace cepstra {

namespace {

// Frames per task (and per STFT block): the block's spectrum stays in the core's cache.
constexpr index_t kBlock = 32;

}  // namespace

// The reduction compiled for the widest ISA the active pipeline kernels use.
const SpectralReduceFns& spectral_reduce_active() {
#if defined(CEPSTRA_HAVE_X86_KERNELS)
    const std::string isa = active_kernels().name;
    if (isa == "avx2" || isa == "avx512") return spectral_reduce_avx2();
#endif
    return spectral_reduce_generic();
}

const SpectralReduceFns& spectral_reduce_generic() {
    static const SpectralReduceFns fns{
        &reduce_generic::reduce_f32,  &reduce_generic::reduce_f64, nullptr, nullptr, nullptr, nullptr,
        &reduce_generic::project_f32, &reduce_generic::project_f64};
    return fns;
}

index_t SpectralStatsSpec::n_stats() const {
    index_t k = 0;
    for (unsigned bit = 1; bit <= kStatFlatness; bit <<= 1)
        if (stats & bit) ++k;
    k += 2 * index_t(bands.size());
    return k;
}

template <class T>
void run_spectral_stats(const SpectralPlan<T>& plan, const SpectralStatsSpec& spec,
                        const std::vector<SignalBatch<T>>& items, const std::vector<double*>& outs) {
    require(plan.stage == Stage::Stft, "spectral stats need an STFT plan");
    require(items.size() == outs.size(), "one output per item");
    const index_t bins = plan.n_bins();
    require(index_t(spec.freq.size()) == bins, "freq must have n_fft/2 + 1 values");
    const index_t K = spec.n_stats();
    require(K >= 1, "no statistic requested");
    for (const auto& band : spec.bands)
        require(0 <= band.lo && band.lo < band.hi && band.hi <= bins && 1 <= band.q && band.q <= band.hi - band.lo,
                "bad contrast band");
    const std::size_t n_items = items.size();
    std::vector<FrameLayout> layouts;
    std::vector<index_t> chunks(n_items), first(n_items + 1, 0);
    for (std::size_t i = 0; i < n_items; ++i) {
        layouts.push_back(make_frame_layout(items[i].length, plan.n_fft, plan.hop, plan.center, plan.pad));
        chunks[i] = (layouts[i].n_frames + kBlock - 1) / kBlock;
        first[i + 1] = checked_add(first[i], checked_mul(items[i].count, chunks[i], "task count"), "task count");
    }
    const KernelFns<T>& k = active_kernels().fns<T>();
    const SpectralReduceFns& reduce = spectral_reduce_active();
    // The pack kernels' range (large-inl.h runs bigger transforms one frame at a time).
    const bool fused = (sizeof(T) == sizeof(float) ? reduce.fused_f32 != nullptr : reduce.fused_f64 != nullptr) &&
                       plan.n_fft < (index_t(1) << 16);
    std::vector<double> suffix_min(spec.freq);
    for (index_t b = bins - 1; b > 0; --b) suffix_min[b - 1] = std::min(suffix_min[b - 1], suffix_min[b]);
    const T no_clip = -std::numeric_limits<T>::infinity();
    parallel_for(first[n_items], [&](index_t task) {
        const std::size_t i = std::size_t(std::upper_bound(first.begin(), first.end(), task) - first.begin() - 1);
        const SignalBatch<T>& sig = items[i];
        const index_t local = task - first[i], row = local / chunks[i], c = local % chunks[i];
        const index_t F = layouts[i].n_frames;
        const index_t f0 = c * kBlock, f1 = std::min(F, f0 + kBlock), nf = f1 - f0;
        thread_local std::vector<double> mag;
        mag.resize(std::size_t(bins * nf));
        const SpectralReduceArgs args{&spec, suffix_min.data(), bins, nf, mag.data(), outs[i] + row * K * F + f0, F};
        const T* x = sig.x + row * sig.batch_stride;
        if constexpr (sizeof(T) == sizeof(float)) {
            if (fused) return reduce.fused_f32(plan, layouts[i], x, sig.stride, f0, f1, args);
        } else {
            if (fused) return reduce.fused_f64(plan, layouts[i], x, sig.stride, f0, f1, args);
        }
        thread_local std::vector<std::complex<T>> spec_buf;
        spec_buf.resize(std::size_t(bins * nf));
        k.spectral_frames(plan, layouts[i], x, sig.stride, f0, f1, spec_buf.data(), nf, f0, no_clip, nullptr, nullptr);
        if constexpr (sizeof(T) == sizeof(float))
            reduce.f32(args, spec_buf.data());
        else
            reduce.f64(args, spec_buf.data());
    });
}

#define CEPSTRA_INSTANTIATE(T)                                                            \
    template void run_spectral_stats<T>(const SpectralPlan<T>&, const SpectralStatsSpec&, \
                                        const std::vector<SignalBatch<T>>&, const std::vector<double*>&);
CEPSTRA_INSTANTIATE(float)
CEPSTRA_INSTANTIATE(double)
#undef CEPSTRA_INSTANTIATE

}  // namespace cepstra
