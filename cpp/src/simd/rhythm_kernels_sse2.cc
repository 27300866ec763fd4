// The rhythm kernels compiled for sse2 (flags set per file in CMakeLists.txt).
#define CEPSTRA_ISA_NS isa_sse2
#define CEPSTRA_ISA_SSE2
#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/istft-inl.h"
#include "simd/hpss-inl.h"
#include "simd/griffinlim-inl.h"
#include "simd/median-inl.h"
#include "simd/rhythm_table-inl.h"

namespace cepstra {
const RhythmKernelTable& rhythm_kernels_sse2() {
    static const RhythmKernelTable table =
        isa_sse2::make_rhythm_table<isa_sse2::LaneSse2F, 2, isa_sse2::LaneScalar<double>, 4>();
    return table;
}
}  // namespace cepstra
