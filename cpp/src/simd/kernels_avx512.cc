// The pipeline kernels compiled for the avx512 instruction set (flags set per file in CMakeLists.txt).
#define CEPSTRA_ISA_NS isa_avx512
#define CEPSTRA_ISA_AVX512
#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/kaldi-inl.h"

namespace cepstra {
const KernelTable& kernels_avx512() {
    static const KernelTable table = isa_avx512::make_table("avx512");
    return table;
}
const KaldiKernelTable& kaldi_kernels_avx512() {
    static const KaldiKernelTable table = isa_avx512::make_kaldi_table();
    return table;
}
}  // namespace cepstra
