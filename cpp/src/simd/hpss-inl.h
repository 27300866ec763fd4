// The pixel-wise half of HPSS (hpss.h) over one block, compiled once per ISA. Packs of pixels
// where the ISA has them (complex values de-interleaved into real and imaginary packs), one
// pixel at a time for the rest; the same IEEE operations in the same order either way, so
// every ISA and every block split gives the same bits. Divisions dominate: packing them is
// the whole gain.
//
// Include with CEPSTRA_ISA_NS defined (and CEPSTRA_ISA_AVX2 / CEPSTRA_ISA_SSE2 for the packs).

#include <complex>
#include <limits>
#include <type_traits>

#if defined(CEPSTRA_ISA_AVX2) || defined(CEPSTRA_ISA_SSE2)
#include <immintrin.h>
#endif

#include "simd/rhythm_kernels.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

// One pixel: librosa.magphase's phase, librosa.util.softmask for both parts, the products.
template <class T, int POWER>
inline T softmask_one(T x, T x_ref, T split) {
    const T z = x < x_ref ? x_ref : x;
    if (z < std::numeric_limits<T>::min()) return split;
    T m = x / z, r = x_ref / z;
    if (POWER == 2) {
        m = m * m;
        r = r * r;
    }
    return m / (m + r);
}

template <class T, int POWER>
inline void hpss_one(const T* d, T mag, T h, T p, T margin_harm, T margin_perc, T split, T* ho, T* po) {
    const T zero = mag == T(0) ? T(1) : T(0);  // phase = D / |D|, 1 where |D| == 0
    const T nz = mag + zero;
    const T ph_re = d[0] / nz + zero, ph_im = d[1] / nz;
    const T sh = mag * softmask_one<T, POWER>(h, p * margin_harm, split);
    const T sp = mag * softmask_one<T, POWER>(p, h * margin_perc, split);
    ho[0] = sh * ph_re;
    ho[1] = sh * ph_im;
    po[0] = sp * ph_re;
    po[1] = sp * ph_im;
}

#if defined(CEPSTRA_ISA_AVX2)
// Pixel order inside a pack is the one the complex de-interleave gives (0 1 4 5 2 3 6 7 for
// float, 0 2 1 3 for double); real loads are permuted to match and the stores undo it.
struct HpssPackF {
    using T = float;
    using V = __m256;
    static constexpr int W = 8;
    static V set1(T x) { return _mm256_set1_ps(x); }
    static V pixels(const T* p) {
        return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_loadu_ps(p)), 0xD8));
    }
    static void load_complex(const T* d, V& re, V& im) {
        const V a = _mm256_loadu_ps(d), b = _mm256_loadu_ps(d + 8);
        re = _mm256_shuffle_ps(a, b, 0x88);
        im = _mm256_shuffle_ps(a, b, 0xDD);
    }
    static void store_complex(T* o, V re, V im) {
        _mm256_storeu_ps(o, _mm256_unpacklo_ps(re, im));
        _mm256_storeu_ps(o + 8, _mm256_unpackhi_ps(re, im));
    }
    static V add(V a, V b) { return _mm256_add_ps(a, b); }
    static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
    static V div(V a, V b) { return _mm256_div_ps(a, b); }
    static V eq(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
    static V lt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
    static V sel(V m, V yes, V no) { return _mm256_blendv_ps(no, yes, m); }
    static V band(V m, V a) { return _mm256_and_ps(m, a); }
};
struct HpssPackD {
    using T = double;
    using V = __m256d;
    static constexpr int W = 4;
    static V set1(T x) { return _mm256_set1_pd(x); }
    static V pixels(const T* p) { return _mm256_permute4x64_pd(_mm256_loadu_pd(p), 0xD8); }
    static void load_complex(const T* d, V& re, V& im) {
        const V a = _mm256_loadu_pd(d), b = _mm256_loadu_pd(d + 4);
        re = _mm256_unpacklo_pd(a, b);
        im = _mm256_unpackhi_pd(a, b);
    }
    static void store_complex(T* o, V re, V im) {
        _mm256_storeu_pd(o, _mm256_unpacklo_pd(re, im));
        _mm256_storeu_pd(o + 4, _mm256_unpackhi_pd(re, im));
    }
    static V add(V a, V b) { return _mm256_add_pd(a, b); }
    static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
    static V div(V a, V b) { return _mm256_div_pd(a, b); }
    static V eq(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
    static V lt(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
    static V sel(V m, V yes, V no) { return _mm256_blendv_pd(no, yes, m); }
    static V band(V m, V a) { return _mm256_and_pd(m, a); }
};
#elif defined(CEPSTRA_ISA_SSE2)
struct HpssPackF {
    using T = float;
    using V = __m128;
    static constexpr int W = 4;
    static V set1(T x) { return _mm_set1_ps(x); }
    static V pixels(const T* p) { return _mm_loadu_ps(p); }
    static void load_complex(const T* d, V& re, V& im) {
        const V a = _mm_loadu_ps(d), b = _mm_loadu_ps(d + 4);
        re = _mm_shuffle_ps(a, b, 0x88);
        im = _mm_shuffle_ps(a, b, 0xDD);
    }
    static void store_complex(T* o, V re, V im) {
        _mm_storeu_ps(o, _mm_unpacklo_ps(re, im));
        _mm_storeu_ps(o + 4, _mm_unpackhi_ps(re, im));
    }
    static V add(V a, V b) { return _mm_add_ps(a, b); }
    static V mul(V a, V b) { return _mm_mul_ps(a, b); }
    static V div(V a, V b) { return _mm_div_ps(a, b); }
    static V eq(V a, V b) { return _mm_cmpeq_ps(a, b); }
    static V lt(V a, V b) { return _mm_cmplt_ps(a, b); }
    static V sel(V m, V yes, V no) { return _mm_or_ps(_mm_and_ps(m, yes), _mm_andnot_ps(m, no)); }
    static V band(V m, V a) { return _mm_and_ps(m, a); }
};
struct HpssPackD {
    using T = double;
    using V = __m128d;
    static constexpr int W = 2;
    static V set1(T x) { return _mm_set1_pd(x); }
    static V pixels(const T* p) { return _mm_loadu_pd(p); }
    static void load_complex(const T* d, V& re, V& im) {
        const V a = _mm_loadu_pd(d), b = _mm_loadu_pd(d + 2);
        re = _mm_unpacklo_pd(a, b);
        im = _mm_unpackhi_pd(a, b);
    }
    static void store_complex(T* o, V re, V im) {
        _mm_storeu_pd(o, _mm_unpacklo_pd(re, im));
        _mm_storeu_pd(o + 2, _mm_unpackhi_pd(re, im));
    }
    static V add(V a, V b) { return _mm_add_pd(a, b); }
    static V mul(V a, V b) { return _mm_mul_pd(a, b); }
    static V div(V a, V b) { return _mm_div_pd(a, b); }
    static V eq(V a, V b) { return _mm_cmpeq_pd(a, b); }
    static V lt(V a, V b) { return _mm_cmplt_pd(a, b); }
    static V sel(V m, V yes, V no) { return _mm_or_pd(_mm_and_pd(m, yes), _mm_andnot_pd(m, no)); }
    static V band(V m, V a) { return _mm_and_pd(m, a); }
};
#endif

#if defined(CEPSTRA_ISA_AVX2) || defined(CEPSTRA_ISA_SSE2)
// softmask_one on a pack: a zero z divides 1 instead and the lane takes `split`.
template <class P, int POWER>
inline typename P::V softmask_pack(typename P::V x, typename P::V x_ref, typename P::V split) {
    using V = typename P::V;
    const V z = P::sel(P::lt(x, x_ref), x_ref, x);
    const V small = P::lt(z, P::set1(std::numeric_limits<typename P::T>::min()));
    const V one = P::set1(typename P::T(1));
    const V zz = P::sel(small, one, z);
    V m = P::div(x, zz), r = P::div(x_ref, zz);
    if (POWER == 2) {
        m = P::mul(m, m);
        r = P::mul(r, r);
    }
    const V den = P::sel(small, one, P::add(m, r));
    return P::sel(small, split, P::div(m, den));
}

template <class P, int POWER>
index_t hpss_packs(const typename P::T* d, const typename P::T* mag_in, const typename P::T* harm,
                   const typename P::T* perc, index_t n, typename P::T margin_harm, typename P::T margin_perc,
                   typename P::T split, typename P::T* ho, typename P::T* po) {
    using T = typename P::T;
    using V = typename P::V;
    constexpr int W = P::W;
    const V vzero = P::set1(T(0)), one = P::set1(T(1));
    const V vmh = P::set1(margin_harm), vmp = P::set1(margin_perc), vsplit = P::set1(split);
    index_t i = 0;
    for (; i + W <= n; i += W) {
        V re, im;
        P::load_complex(d + 2 * i, re, im);
        const V mag = P::pixels(mag_in + i), h = P::pixels(harm + i), p = P::pixels(perc + i);
        const V zero = P::band(P::eq(mag, vzero), one);
        const V nz = P::add(mag, zero);
        const V ph_re = P::add(P::div(re, nz), zero), ph_im = P::div(im, nz);
        const V sh = P::mul(mag, softmask_pack<P, POWER>(h, P::mul(p, vmh), vsplit));
        const V sp = P::mul(mag, softmask_pack<P, POWER>(p, P::mul(h, vmp), vsplit));
        P::store_complex(ho + 2 * i, P::mul(sh, ph_re), P::mul(sh, ph_im));
        P::store_complex(po + 2 * i, P::mul(sp, ph_re), P::mul(sp, ph_im));
    }
    return i;
}
#endif

template <class T, int POWER>
void hpss_block_p(const std::complex<T>* D, const T* mag, const T* harm, const T* perc, index_t n, T margin_harm,
                  T margin_perc, T split, std::complex<T>* H, std::complex<T>* P) {
    const T* d = reinterpret_cast<const T*>(D);
    T* ho = reinterpret_cast<T*>(H);
    T* po = reinterpret_cast<T*>(P);
    index_t i = 0;
#if defined(CEPSTRA_ISA_AVX2) || defined(CEPSTRA_ISA_SSE2)
    using Pack = std::conditional_t<sizeof(T) == 4, HpssPackF, HpssPackD>;
    i = hpss_packs<Pack, POWER>(d, mag, harm, perc, n, margin_harm, margin_perc, split, ho, po);
#endif
    for (; i < n; ++i)
        hpss_one<T, POWER>(d + 2 * i, mag[i], harm[i], perc[i], margin_harm, margin_perc, split, ho + 2 * i,
                           po + 2 * i);
}

template <class T>
void hpss_block(const std::complex<T>* D, const T* mag, const T* harm, const T* perc, index_t n, T margin_harm,
                T margin_perc, int power, bool split_zeros, std::complex<T>* H, std::complex<T>* P) {
    const T split = split_zeros ? T(0.5) : T(0);
    if (power == 2)
        hpss_block_p<T, 2>(D, mag, harm, perc, n, margin_harm, margin_perc, split, H, P);
    else
        hpss_block_p<T, 1>(D, mag, harm, perc, n, margin_harm, margin_perc, split, H, P);
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
