// The rhythm kernel table of one ISA: include after median-inl.h and hpss-inl.h.

#include "simd/rhythm_kernels.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

// PF / PD: median-inl.h's lane policies for float / double; PACKS_*: packs per window slot.
template <class PF, int PACKS_F, class PD, int PACKS_D>
RhythmKernelTable make_rhythm_table() {
    RhythmKernelTable t;
    t.f32.lanes = PACKS_F * PF::W;
    t.f32.median_lanes = &median_lanes<PF, PACKS_F>;
    t.f64.lanes = PACKS_D * PD::W;
    t.f64.median_lanes = &median_lanes<PD, PACKS_D>;
    t.f32.hpss_block = &hpss_block<float>;
    t.f64.hpss_block = &hpss_block<double>;
    t.f32.gl_update = &gl_update_block<float>;
    t.f64.gl_update = &gl_update_block<double>;
    t.f32.lanes_ola = VF::W;
    t.f32.istft_ola = &istft_ola<VF>;
    t.f64.lanes_ola = VD::W;
    t.f64.istft_ola = &istft_ola<VD>;
    t.f32.divide_above = &divide_above<float>;
    t.f64.divide_above = &divide_above<double>;
    return t;
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
