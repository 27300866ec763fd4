// The pipeline kernels compiled for the avx2 instruction set (flags set per file in CMakeLists.txt).
#define CEPSTRA_ISA_NS isa_avx2
#define CEPSTRA_ISA_AVX2
#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/kaldi-inl.h"

namespace cepstra {
const KernelTable& kernels_avx2() {
    static const KernelTable table = isa_avx2::make_table("avx2");
    return table;
}
const KaldiKernelTable& kaldi_kernels_avx2() {
    static const KaldiKernelTable table = isa_avx2::make_kaldi_table();
    return table;
}
}  // namespace cepstra
