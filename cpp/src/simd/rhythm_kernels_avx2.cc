// The rhythm kernels compiled for avx2 (flags set per file in CMakeLists.txt): two packs of lanes
// per window slot.
#define CEPSTRA_ISA_NS isa_avx2
#define CEPSTRA_ISA_AVX2
#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/istft-inl.h"
#include "simd/hpss-inl.h"
#include "simd/griffinlim-inl.h"
#include "simd/median-inl.h"
#include "simd/rhythm_table-inl.h"

namespace cepstra {
const RhythmKernelTable& rhythm_kernels_avx2() {
    static const RhythmKernelTable table =
        isa_avx2::make_rhythm_table<isa_avx2::LaneAvx2F, 2, isa_avx2::LaneAvx2D, 2>();
    return table;
}
}  // namespace cepstra
