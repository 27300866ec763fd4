// The per-ISA table of the rhythm/HPSS kernels (median-inl.h), kept apart from the spectral
// kernel table (kernels.h) as kaldi_kernels.h is. Each rhythm_kernels_<isa>.cc instantiates the
// templates for its ISA; active_rhythm_kernels() follows the ISA path dispatch.cc chose.
#pragma once

#include <complex>

#include "cepstra/common.h"
#include "cepstra/fft.h"

namespace cepstra {

template <class T>
struct RhythmKernelFns {
    // Lines filtered together, one per lane.
    int lanes = 1;
    // Sliding median of `size` samples over `lanes` lines at once. in: n + size - 1 pointers,
    // in[p][l] = sample p of line l (already padded); out row i (lanes values at
    // out + i * out_stride) is the element of rank size / 2 of rows i .. i + size - 1.
    // scratch: 2 * size * lanes elements (size * lanes used).
    void (*median_lanes)(const T* const* in, index_t n, index_t size, T* out, index_t out_stride, T* scratch) = nullptr;
    // hpss_apply (cepstra/hpss.h) on n pixels; power 1 or 2.
    void (*hpss_block)(const std::complex<T>* D, const T* mag, const T* harm, const T* perc, index_t n, T margin_harm,
                       T margin_perc, int power, bool split_zeros, std::complex<T>* H, std::complex<T>* P) = nullptr;
    // griffinlim_update (cepstra/griffinlim.h) on n values.
    void (*gl_update)(const std::complex<T>* rebuilt, const std::complex<T>* tprev, const T* S, index_t n, T c, T eps,
                      std::complex<T>* angles) = nullptr;
    // kernels.h's istft_signal (same contract, same sums); frames: scratch of lanes_ola * n_fft.
    int lanes_ola = 1;
    void (*istft_ola)(const RealFftPlan<T>& fft, const std::complex<T>* spec, index_t n_frames, const T* window,
                      index_t hop, index_t start, index_t out_len, T* y, T* frames) = nullptr;
    // y[j] /= s[j] where s[j] > tiny.
    void (*divide_above)(T* y, const T* s, index_t n, T tiny) = nullptr;
};

struct RhythmKernelTable {
    RhythmKernelFns<float> f32;
    RhythmKernelFns<double> f64;
    template <class T>
    const RhythmKernelFns<T>& fns() const;
};
template <>
inline const RhythmKernelFns<float>& RhythmKernelTable::fns<float>() const {
    return f32;
}
template <>
inline const RhythmKernelFns<double>& RhythmKernelTable::fns<double>() const {
    return f64;
}

const RhythmKernelTable& rhythm_kernels_generic();
#if defined(CEPSTRA_HAVE_X86_KERNELS)
const RhythmKernelTable& rhythm_kernels_sse2();
const RhythmKernelTable& rhythm_kernels_avx2();
#endif

// The table of the ISA path in use (active_kernels()); AVX-512 machines use the AVX2 one.
const RhythmKernelTable& active_rhythm_kernels();

}  // namespace cepstra
