// The pipeline kernels compiled for the generic instruction set (flags set per file in CMakeLists.txt).
#define CEPSTRA_ISA_NS isa_generic

#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/kaldi-inl.h"

namespace cepstra {
const KernelTable& kernels_generic() {
    static const KernelTable table = isa_generic::make_table("generic");
    return table;
}
}  // namespace cepstra
