// The rhythm kernels without x86 ISA flags (the portable path; NEON on AArch64).
#define CEPSTRA_ISA_NS isa_generic
#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/istft-inl.h"
#include "simd/hpss-inl.h"
#include "simd/griffinlim-inl.h"
#include "simd/median-inl.h"
#include "simd/rhythm_table-inl.h"

namespace cepstra {
const RhythmKernelTable& rhythm_kernels_generic() {
    static const RhythmKernelTable table =
        isa_generic::make_rhythm_table<isa_generic::LaneScalar<float>, 8, isa_generic::LaneScalar<double>, 4>();
    return table;
}
}  // namespace cepstra
