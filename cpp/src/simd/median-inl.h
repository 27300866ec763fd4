// Sliding-window median over several lines at once (one line per lane), compiled once per ISA.
//
// Each window slot keeps its value and its rank in the window (ranks are a permutation of
// 0..size-1, ties ordered by age). One step drops the oldest slot and writes the incoming
// sample there; every other rank moves by (value > incoming) - (rank > outgoing rank) and the
// incoming rank is the count of values <= it. The median is the value whose rank is size / 2.
// That is O(size) compares per output, but all of them are independent, branch-free and
// vertical across lanes: the compiler turns the lane loops into packed compares and blends.
// Values are moved, never computed, so every path returns exactly scipy's element.
//
// Include with CEPSTRA_ISA_NS defined; the per-ISA file sets the lane counts.

#include <cstdint>
#include <type_traits>

#if defined(CEPSTRA_ISA_AVX2) || defined(CEPSTRA_ISA_SSE2)
#include <immintrin.h>
#endif

#include "simd/rhythm_kernels.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

// Ranks as integers of the value's width, so compares and blends stay lane-aligned.
template <class T>
using RankOf = std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>;

// One lane at a time: the portable path, and float64 where the ISA lacks 64-bit integer
// compares. Masks are -1 (true) or 0, as the packed compares give them.
template <class F>
struct LaneScalar {
    using T = F;
    using V = F;
    using R = RankOf<F>;
    using M = R;
    static constexpr int W = 1;
    static V load(const T* p) { return *p; }
    static void store(T* p, V v) { *p = v; }
    static M loadr(const R* p) { return *p; }
    static void storer(R* p, M v) { *p = v; }
    static M setr(R v) { return v; }
    static V zero() { return T(0); }
    static M gt(V a, V b) { return -M(a > b); }
    static M rgt(M a, M b) { return -M(a > b); }
    static M req(M a, M b) { return -M(a == b); }
    static M add(M a, M b) { return a + b; }
    static M sub(M a, M b) { return a - b; }
    static V blend(V old, V v, M m) { return m ? v : old; }
};

#if defined(CEPSTRA_ISA_AVX2)
struct LaneAvx2F {
    using T = float;
    using R = std::int32_t;
    using V = __m256;
    using M = __m256i;
    static constexpr int W = 8;
    static V load(const T* p) { return _mm256_loadu_ps(p); }
    static void store(T* p, V v) { _mm256_storeu_ps(p, v); }
    static M loadr(const R* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
    static void storer(R* p, M v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
    static M setr(R v) { return _mm256_set1_epi32(v); }
    static V zero() { return _mm256_setzero_ps(); }
    static M gt(V a, V b) { return _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_GT_OQ)); }
    static M rgt(M a, M b) { return _mm256_cmpgt_epi32(a, b); }
    static M req(M a, M b) { return _mm256_cmpeq_epi32(a, b); }
    static M add(M a, M b) { return _mm256_add_epi32(a, b); }
    static M sub(M a, M b) { return _mm256_sub_epi32(a, b); }
    static V blend(V old, V v, M m) { return _mm256_blendv_ps(old, v, _mm256_castsi256_ps(m)); }
};
struct LaneAvx2D {
    using T = double;
    using R = std::int64_t;
    using V = __m256d;
    using M = __m256i;
    static constexpr int W = 4;
    static V load(const T* p) { return _mm256_loadu_pd(p); }
    static void store(T* p, V v) { _mm256_storeu_pd(p, v); }
    static M loadr(const R* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
    static void storer(R* p, M v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
    static M setr(R v) { return _mm256_set1_epi64x(v); }
    static V zero() { return _mm256_setzero_pd(); }
    static M gt(V a, V b) { return _mm256_castpd_si256(_mm256_cmp_pd(a, b, _CMP_GT_OQ)); }
    static M rgt(M a, M b) { return _mm256_cmpgt_epi64(a, b); }
    static M req(M a, M b) { return _mm256_cmpeq_epi64(a, b); }
    static M add(M a, M b) { return _mm256_add_epi64(a, b); }
    static M sub(M a, M b) { return _mm256_sub_epi64(a, b); }
    static V blend(V old, V v, M m) { return _mm256_blendv_pd(old, v, _mm256_castsi256_pd(m)); }
};
#endif

#if defined(CEPSTRA_ISA_SSE2)
struct LaneSse2F {
    using T = float;
    using R = std::int32_t;
    using V = __m128;
    using M = __m128i;
    static constexpr int W = 4;
    static V load(const T* p) { return _mm_loadu_ps(p); }
    static void store(T* p, V v) { _mm_storeu_ps(p, v); }
    static M loadr(const R* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
    static void storer(R* p, M v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
    static M setr(R v) { return _mm_set1_epi32(v); }
    static V zero() { return _mm_setzero_ps(); }
    static M gt(V a, V b) { return _mm_castps_si128(_mm_cmpgt_ps(a, b)); }
    static M rgt(M a, M b) { return _mm_cmpgt_epi32(a, b); }
    static M req(M a, M b) { return _mm_cmpeq_epi32(a, b); }
    static M add(M a, M b) { return _mm_add_epi32(a, b); }
    static M sub(M a, M b) { return _mm_sub_epi32(a, b); }
    static V blend(V old, V v, M m) {
        const __m128 mf = _mm_castsi128_ps(m);
        return _mm_or_ps(_mm_and_ps(mf, v), _mm_andnot_ps(mf, old));
    }
};
#endif

// P: the lane policy above; PACKS packs of P::W lanes per window slot (L = PACKS * P::W lines).
template <class P, int PACKS>
void median_lanes(const typename P::T* const* in, index_t n, index_t size, typename P::T* out, index_t out_stride,
                  typename P::T* scratch) {
    using T = typename P::T;
    using R = typename P::R;
    using V = typename P::V;
    using M = typename P::M;
    constexpr int W = P::W, L = PACKS * W;
    static_assert(sizeof(R) == sizeof(T), "rank and value lanes must align");
    if (n <= 0) return;
    T* v = scratch;  // size x L values, slot-major
    R* r = reinterpret_cast<R*>(scratch + size * L);  // size x L ranks
    for (index_t k = 0; k < size; ++k)
        for (int l = 0; l < L; ++l) v[k * L + l] = in[k][l];
    // First window: rank = values below + equal values in older slots.
    for (index_t k = 0; k < size; ++k)
        for (int l = 0; l < L; ++l) {
            const T b = v[k * L + l];
            R c = 0;
            for (index_t j = 0; j < size; ++j) {
                const T a = v[j * L + l];
                c += R((a < b) | ((a == b) & (j < k)));
            }
            r[k * L + l] = c;
        }
    const R rank = R(size / 2);
    for (index_t k = 0; k < size; ++k)
        for (int l = 0; l < L; ++l)
            if (r[k * L + l] == rank) out[l] = v[k * L + l];
    const M vrank = P::setr(rank), none = P::setr(R(-1)), last = P::setr(R(size - 1));
    index_t s = 0;  // slot of the oldest sample
    for (index_t i = 1; i < n; ++i) {
        const T* incoming = in[i + size - 1];
        V vi[PACKS], med[PACKS];
        M ro[PACKS], cnt[PACKS];
        for (int q = 0; q < PACKS; ++q) {
            vi[q] = P::load(incoming + q * W);
            ro[q] = P::loadr(r + s * L + q * W);
            P::store(v + s * L + q * W, vi[q]);
            P::storer(r + s * L + q * W, none);  // neither moves nor matches in the pass below
            cnt[q] = P::setr(0);
            med[q] = P::zero();
        }
        for (index_t k = 0; k < size; ++k) {
            for (int q = 0; q < PACKS; ++q) {
                const V vk = P::load(v + k * L + q * W);
                const M rk = P::loadr(r + k * L + q * W);
                const M above = P::gt(vk, vi[q]);  // -1 where the slot's value is above the incoming
                const M nr = P::add(P::sub(rk, above), P::rgt(rk, ro[q]));
                P::storer(r + k * L + q * W, nr);
                cnt[q] = P::sub(cnt[q], above);
                med[q] = P::blend(med[q], vk, P::req(nr, vrank));
            }
        }
        for (int q = 0; q < PACKS; ++q) {
            const M ri = P::sub(last, cnt[q]);
            P::storer(r + s * L + q * W, ri);
            P::store(out + i * out_stride + q * W, P::blend(med[q], vi[q], P::req(ri, vrank)));
        }
        s = s + 1 == size ? 0 : s + 1;
    }
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
