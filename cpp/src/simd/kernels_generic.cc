// The pipeline kernels without x86 ISA flags: the portable path everywhere, and NEON on AArch64
// (part of the base architecture there, so vec.h uses it directly and the table says "neon").
#define CEPSTRA_ISA_NS isa_generic

#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/kaldi-inl.h"

namespace cepstra {
const KernelTable& kernels_generic() {
#if defined(CEPSTRA_VEC_NEON)
    static const KernelTable table = isa_generic::make_table("neon");
#else
    static const KernelTable table = isa_generic::make_table("generic");
#endif
    return table;
}
const KaldiKernelTable& kaldi_kernels_generic() {
    static const KaldiKernelTable table = isa_generic::make_kaldi_table();
    return table;
}
}  // namespace cepstra
