// Windowed overlap-add of inverse real FFTs (the istft's core), compiled once per ISA. The
// same contract and the same sums as kernels-inl.h's istft_signal (each output sample gets its
// frames' windowed values added in frame order), with the data movement packed: the spectrum
// columns of W frames are de-interleaved in one pass, and each frame's time samples are
// transposed out of the FFT's frame-per-lane packs (W x W register transposes) so the window
// product and the accumulation run W samples at a time.
//
// Include after vec.h, fft-inl.h and kernels-inl.h, with CEPSTRA_ISA_NS defined.

#include <algorithm>
#include <complex>

#include "simd/rhythm_kernels.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

template <class V>
void istft_ola(const RealFftPlan<typename V::T>& fft, const std::complex<typename V::T>* spec, index_t n_frames,
               const typename V::T* window, index_t hop, index_t start, index_t out_len, typename V::T* y,
               typename V::T* frames) {
    using T = typename V::T;
    constexpr int W = V::W;
    const index_t n = index_t(fft.n());
    InverseFftPacks<V> packs(fft);
    const index_t nb = packs.nb;
    V *re = packs.re, *im = packs.im, *time = packs.time, *scr = packs.scr;
    for (index_t fb = 0; fb < n_frames; fb += W) {
        const int count = int(std::min<index_t>(W, n_frames - fb));
        for (index_t k = 0; k < nb; ++k) {
            T* r = lanes(&re[k]);
            T* i = lanes(&im[k]);
            const T* s = reinterpret_cast<const T*>(spec + k * n_frames + fb);
            if (count == W) {
                for (int l = 0; l < W; ++l) {
                    r[l] = s[2 * l];
                    i[l] = s[2 * l + 1];
                }
            } else {
                for (int l = 0; l < W; ++l) {
                    r[l] = l < count ? s[2 * l] : T(0);
                    i[l] = l < count ? s[2 * l + 1] : T(0);
                }
            }
        }
        rfft_inverse<V>(fft, re, im, time, scr);
        // frames[l * n + i] = sample i of frame fb + l
        index_t i0 = 0;
        for (; i0 + W <= n; i0 += W) {
            V cols[W];
            load_transposed(lanes(time + i0), W, cols);
            for (int l = 0; l < W; ++l) V::store(frames + l * n + i0, cols[l]);
        }
        for (; i0 < n; ++i0)
            for (int l = 0; l < W; ++l) frames[l * n + i0] = lanes(time + i0)[l];
        for (int l = 0; l < count; ++l) {
            const index_t base = (fb + l) * hop - start;
            const index_t a = std::max<index_t>(0, -base), b = std::min<index_t>(n, out_len - base);
            const T* f = frames + l * n;
            T* dst = y + base;
            index_t i = a;
            for (; i + W <= b; i += W) V::store(dst + i, V::load(dst + i) + V::load(f + i) * V::load(window + i));
            for (; i < b; ++i) dst[i] += f[i] * window[i];
        }
    }
}

// y[j] /= s[j] wherever s[j] > tiny (the istft's window-sum normalisation).
template <class T>
void divide_above(T* y, const T* s, index_t n, T tiny) {
    index_t j = 0;
#if defined(CEPSTRA_ISA_AVX2)
    if constexpr (sizeof(T) == 4) {
        const __m256 vt = _mm256_set1_ps(tiny);
        for (; j + 8 <= n; j += 8) {
            const __m256 sv = _mm256_loadu_ps(s + j), yv = _mm256_loadu_ps(y + j);
            const __m256 big = _mm256_cmp_ps(sv, vt, _CMP_GT_OQ);
            const __m256 den = _mm256_blendv_ps(_mm256_set1_ps(1.0f), sv, big);
            _mm256_storeu_ps(y + j, _mm256_blendv_ps(yv, _mm256_div_ps(yv, den), big));
        }
    } else {
        const __m256d vt = _mm256_set1_pd(tiny);
        for (; j + 4 <= n; j += 4) {
            const __m256d sv = _mm256_loadu_pd(s + j), yv = _mm256_loadu_pd(y + j);
            const __m256d big = _mm256_cmp_pd(sv, vt, _CMP_GT_OQ);
            const __m256d den = _mm256_blendv_pd(_mm256_set1_pd(1.0), sv, big);
            _mm256_storeu_pd(y + j, _mm256_blendv_pd(yv, _mm256_div_pd(yv, den), big));
        }
    }
#endif
    for (; j < n; ++j)
        if (s[j] > tiny) y[j] /= s[j];
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
