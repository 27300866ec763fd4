// Which rhythm kernel table runs: the one of the ISA path the spectral kernels use.
#include <string>

#include "simd/kernels.h"
#include "simd/rhythm_kernels.h"

namespace cepstra {

const RhythmKernelTable& active_rhythm_kernels() {
    const std::string isa = active_kernels().name;
#if defined(CEPSTRA_HAVE_X86_KERNELS)
    if (isa == "sse2") return rhythm_kernels_sse2();
    if (isa == "avx2" || isa == "avx512") return rhythm_kernels_avx2();
#endif
    return rhythm_kernels_generic();
}

}  // namespace cepstra
