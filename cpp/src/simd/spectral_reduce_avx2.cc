// The descriptor reduction compiled for AVX2 (flags set per file in CMakeLists.txt); picked only
// when the active pipeline kernels are AVX2 or wider, so the CPU has the instructions.
#define CEPSTRA_REDUCE_NS reduce_avx2
#include "simd/spectral_reduce-inl.h"

namespace cepstra {
const SpectralReduceFns& spectral_reduce_avx2() {
    static const SpectralReduceFns fns{&reduce_avx2::reduce_f32, &reduce_avx2::reduce_f64};
    return fns;
}
}  // namespace cepstra
