// One block of the Griffin-Lim phase update (cepstra/griffinlim.h), compiled once per ISA.
// |a| is libm's hypot: for float that is sqrt of the sum of squares computed in double and
// rounded once (glibc's hypotf), which packs exactly; double keeps std::hypot.
//
// Include after hpss-inl.h (its complex pack helpers) with CEPSTRA_ISA_NS defined.

#include <cmath>
#include <complex>

#include "simd/rhythm_kernels.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

template <class T>
inline T gl_abs(T re, T im) {
    if constexpr (sizeof(T) == 4)
        return T(std::sqrt(double(re) * double(re) + double(im) * double(im)));
    else
        return std::hypot(re, im);
}

template <class T>
void gl_update_block(const std::complex<T>* rebuilt, const std::complex<T>* tprev, const T* S, index_t n, T c, T eps,
                     std::complex<T>* angles) {
    const T* rb = reinterpret_cast<const T*>(rebuilt);
    const T* tp = reinterpret_cast<const T*>(tprev);
    T* out = reinterpret_cast<T*>(angles);
    index_t i = 0;
#if defined(CEPSTRA_ISA_AVX2)
    if constexpr (sizeof(T) == 4) {
        using P = HpssPackF;
        const __m256 vc = _mm256_set1_ps(c), veps = _mm256_set1_ps(eps);
        for (; i + 8 <= n; i += 8) {
            __m256 re, im;
            P::load_complex(rb + 2 * i, re, im);
            if (tp) {
                __m256 pre, pim;
                P::load_complex(tp + 2 * i, pre, pim);
                re = _mm256_sub_ps(re, _mm256_mul_ps(vc, pre));
                im = _mm256_sub_ps(im, _mm256_mul_ps(vc, pim));
            }
            const __m256d rlo = _mm256_cvtps_pd(_mm256_castps256_ps128(re));
            const __m256d rhi = _mm256_cvtps_pd(_mm256_extractf128_ps(re, 1));
            const __m256d ilo = _mm256_cvtps_pd(_mm256_castps256_ps128(im));
            const __m256d ihi = _mm256_cvtps_pd(_mm256_extractf128_ps(im, 1));
            const __m128 alo =
                _mm256_cvtpd_ps(_mm256_sqrt_pd(_mm256_add_pd(_mm256_mul_pd(rlo, rlo), _mm256_mul_pd(ilo, ilo))));
            const __m128 ahi =
                _mm256_cvtpd_ps(_mm256_sqrt_pd(_mm256_add_pd(_mm256_mul_pd(rhi, rhi), _mm256_mul_pd(ihi, ihi))));
            const __m256 m = _mm256_add_ps(_mm256_set_m128(ahi, alo), veps);
            const __m256 s = P::pixels(S + i);
            P::store_complex(out + 2 * i, _mm256_mul_ps(_mm256_div_ps(re, m), s),
                             _mm256_mul_ps(_mm256_div_ps(im, m), s));
        }
    }
#endif
    for (; i < n; ++i) {
        T re = rb[2 * i], im = rb[2 * i + 1];
        if (tp) {
            re -= c * tp[2 * i];
            im -= c * tp[2 * i + 1];
        }
        const T m = gl_abs(re, im) + eps;
        // numpy's complex / real and complex * real reduce to these component operations
        out[2 * i] = (re / m) * S[i];
        out[2 * i + 1] = (im / m) * S[i];
    }
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
