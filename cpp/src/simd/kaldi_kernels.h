// The per-ISA table of the Kaldi front-end kernel, kept apart from the generic spectral kernel
// table (kernels.h) so that table knows nothing of any one front end. Each kernels_<isa>.cc
// instantiates simd/kaldi-inl.h and returns its table; active_kaldi_kernels() follows the ISA
// path dispatch.cc chose.
#pragma once

#include <cstdint>

#include "cepstra/common.h"

namespace cepstra {

template <class T>
struct KaldiPlan;  // cepstra/kaldi.h

template <class T>
struct KaldiKernelFns {
    // Kaldi fbank/mfcc frames [f0, f1) of one signal (n samples at x, element stride; only the
    // samples the frames read are touched) into its time-major output (row f at
    // out + (f - out_f0) * plan.n_out); dither stream `key` (simd/kaldi-inl.h).
    void (*frames)(const KaldiPlan<T>& plan, const T* x, index_t n, index_t stride, index_t f0, index_t f1,
                   std::uint64_t key, T* out, index_t out_f0) = nullptr;
};

struct KaldiKernelTable {
    KaldiKernelFns<float> f32;
    KaldiKernelFns<double> f64;
    template <class T> const KaldiKernelFns<T>& fns() const;
};
template <> inline const KaldiKernelFns<float>& KaldiKernelTable::fns<float>() const { return f32; }
template <> inline const KaldiKernelFns<double>& KaldiKernelTable::fns<double>() const { return f64; }

const KaldiKernelTable& kaldi_kernels_generic();
#if defined(CEPSTRA_HAVE_X86_KERNELS)
const KaldiKernelTable& kaldi_kernels_sse2();
const KaldiKernelTable& kaldi_kernels_avx2();
const KaldiKernelTable& kaldi_kernels_avx512();
#endif

// The table of the ISA path in use (active_kernels()).
const KaldiKernelTable& active_kaldi_kernels();

}  // namespace cepstra
