// The descriptor reduction compiled for AVX2 (flags set per file in CMakeLists.txt, as
// kernels_avx2.cc); picked only when the active pipeline kernels are AVX2 or wider, so the CPU
// has the instructions. Here the block's frames go straight from the FFT's split output to
// magnitudes: the same frame gather and FFT as the pipeline's AVX2 kernels (same code, same
// flags, same bits), without staging and copying out the complex spectrum.
#define CEPSTRA_ISA_NS reduce_avx2
#define CEPSTRA_ISA_AVX2
#define CEPSTRA_REDUCE_NS reduce_avx2
#include "simd/vec.h"
#include "simd/fft-inl.h"
#include "simd/kernels-inl.h"
#include "simd/spectral_reduce-inl.h"

namespace cepstra {
namespace reduce_avx2 {

// One block's packs: gathered frames, the FFT's split output and scratch, and one pack per
// window sample where gather_frames stages edge blocks' frames.
template <class V>
struct BlockPacks {
    explicit BlockPacks(const SpectralPlan<typename V::T>& P)
        : scratch(std::size_t(P.n_fft + 2 * P.n_bins() + P.fft->scratch_elems() + (P.win_hi - P.win_lo))) {
        time = scratch.data();
        re = time + P.n_fft;
        im = re + P.n_bins();
        fscr = im + P.n_bins();
        rows = lanes(fscr + P.fft->scratch_elems());
    }
    Scratch<V> scratch;
    V *time, *re, *im, *fscr;
    typename V::T* rows;
};

template <class V, bool RoundInput, class S>
void fused(const SpectralPlan<typename V::T>& P, const FrameLayout& L, const typename V::T* x, index_t stride,
           index_t f0, index_t f1, const SpectralReduceArgs& a) {
    using T = typename V::T;
    constexpr int W = V::W;
    const index_t nb = P.n_bins();
    BlockPacks<V> b(P);
    V *time = b.time, *re = b.re, *im = b.im, *fscr = b.fscr;
    typename V::T* rows = b.rows;
    for (index_t fb = f0; fb < f1; fb += W) {
        const int count = int(std::min<index_t>(W, f1 - fb));
        gather_frames<V>(P, L, x, stride, fb, count, time, rows);
        rfft_forward<V>(*P.fft, time, re, im, fscr);
        double* m = a.mag + (fb - f0);
        if (count == W) {
            for (index_t k = 0; k < nb; ++k)
                magnitudes_split<T, RoundInput, S, W>(lanes(&re[k]), lanes(&im[k]), m + k * a.nf);
        } else {
            double tmp[W];
            for (index_t k = 0; k < nb; ++k) {
                magnitudes_split<T, RoundInput, S, W>(lanes(&re[k]), lanes(&im[k]), tmp);
                std::copy(tmp, tmp + count, m + k * a.nf);
            }
        }
    }
    reduce_mags<S>(a);
}

void fused_f32(const SpectralPlan<float>& P, const FrameLayout& L, const float* x, index_t stride, index_t f0,
               index_t f1, const SpectralReduceArgs& a) {
    fused<VF, false, float>(P, L, x, stride, f0, f1, a);
}

void fused_f64(const SpectralPlan<double>& P, const FrameLayout& L, const double* x, index_t stride, index_t f0,
               index_t f1, const SpectralReduceArgs& a) {
    if (a.spec->float_magnitudes)
        fused<VD, true, float>(P, L, x, stride, f0, f1, a);
    else
        fused<VD, false, double>(P, L, x, stride, f0, f1, a);
}

template <class S>
void power(const SpectralPlan<double>& P, const FrameLayout& L, const double* x, index_t stride, index_t f0, index_t f1,
           S* p) {
    using V = VD;
    constexpr int W = V::W;
    const index_t nb = P.n_bins(), nf = f1 - f0;
    BlockPacks<V> b(P);
    V *time = b.time, *re = b.re, *im = b.im, *fscr = b.fscr;
    typename V::T* rows = b.rows;
    for (index_t fb = f0; fb < f1; fb += W) {
        const int count = int(std::min<index_t>(W, f1 - fb));
        gather_frames<V>(P, L, x, stride, fb, count, time, rows);
        rfft_forward<V>(*P.fft, time, re, im, fscr);
        S* o = p + (fb - f0);
        for (index_t k = 0; k < nb; ++k) {
            const double* r = lanes(&re[k]);
            const double* i = lanes(&im[k]);
            S v[W];
            for (int l = 0; l < W; ++l) {
                const double a = double(S(r[l])), b = double(S(i[l]));
                const S m = S(std::sqrt(a * a + b * b));
                v[l] = S(m * m);
            }
            std::copy(v, v + count, o + k * nf);
        }
    }
}

void power_f32(const SpectralPlan<double>& P, const FrameLayout& L, const double* x, index_t stride, index_t f0,
               index_t f1, float* p) {
    power<float>(P, L, x, stride, f0, f1, p);
}

void power_f64(const SpectralPlan<double>& P, const FrameLayout& L, const double* x, index_t stride, index_t f0,
               index_t f1, double* p) {
    power<double>(P, L, x, stride, f0, f1, p);
}

}  // namespace reduce_avx2

const SpectralReduceFns& spectral_reduce_avx2() {
    static const SpectralReduceFns fns{&reduce_avx2::reduce_f32,  &reduce_avx2::reduce_f64, &reduce_avx2::fused_f32,
                                       &reduce_avx2::fused_f64,   &reduce_avx2::power_f32,  &reduce_avx2::power_f64,
                                       &reduce_avx2::project_f32, &reduce_avx2::project_f64};
    return fns;
}
}  // namespace cepstra
