// The pipeline kernels compiled for the sse2 instruction set (flags set per file in CMakeLists.txt).
#define CEPSTRA_ISA_NS isa_sse2
#define CEPSTRA_ISA_SSE2
#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/kaldi-inl.h"

namespace cepstra {
const KernelTable& kernels_sse2() {
    static const KernelTable table = isa_sse2::make_table("sse2");
    return table;
}
const KaldiKernelTable& kaldi_kernels_sse2() {
    static const KaldiKernelTable table = isa_sse2::make_kaldi_table();
    return table;
}
}  // namespace cepstra
