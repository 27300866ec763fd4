// Sliding-window median over several lines at once (one line per lane), compiled once per ISA.
//
// Each lane keeps its window sorted; a step replaces the outgoing sample by the incoming one
// with a fixed sequence of vertical compare/blend/min/max over the window's slots (see
// median_lanes), so there is no search, no branch and no data-dependent address: O(size)
// cheap packed operations per output instead of a scalar binary search and memmove per line.
// Values are moved, never computed, so every path returns exactly scipy's element.
//
// Include with CEPSTRA_ISA_NS defined; the per-ISA file sets the lane counts.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>
#include <type_traits>

#if defined(CEPSTRA_ISA_AVX2) || defined(CEPSTRA_ISA_SSE2)
#include <immintrin.h>
#endif

#include "simd/rhythm_kernels.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

// Compare masks as integers of the value's width, so they blend lane-aligned.
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
    static V zero() { return T(0); }
    static M gt(V a, V b) { return -M(a > b); }
    static V blend(V old, V v, M m) { return m ? v : old; }
    static V set1(T x) { return x; }
    static V vmin(V a, V b) { return b < a ? b : a; }
    static V vmax(V a, V b) { return a < b ? b : a; }
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
    static V zero() { return _mm256_setzero_ps(); }
    static M gt(V a, V b) { return _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_GT_OQ)); }
    static V blend(V old, V v, M m) { return _mm256_blendv_ps(old, v, _mm256_castsi256_ps(m)); }
    static V set1(T x) { return _mm256_set1_ps(x); }
    static V vmin(V a, V b) { return _mm256_min_ps(a, b); }
    static V vmax(V a, V b) { return _mm256_max_ps(a, b); }
};
struct LaneAvx2D {
    using T = double;
    using R = std::int64_t;
    using V = __m256d;
    using M = __m256i;
    static constexpr int W = 4;
    static V load(const T* p) { return _mm256_loadu_pd(p); }
    static void store(T* p, V v) { _mm256_storeu_pd(p, v); }
    static V zero() { return _mm256_setzero_pd(); }
    static M gt(V a, V b) { return _mm256_castpd_si256(_mm256_cmp_pd(a, b, _CMP_GT_OQ)); }
    static V blend(V old, V v, M m) { return _mm256_blendv_pd(old, v, _mm256_castsi256_pd(m)); }
    static V set1(T x) { return _mm256_set1_pd(x); }
    static V vmin(V a, V b) { return _mm256_min_pd(a, b); }
    static V vmax(V a, V b) { return _mm256_max_pd(a, b); }
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
    static V zero() { return _mm_setzero_ps(); }
    static M gt(V a, V b) { return _mm_castps_si128(_mm_cmpgt_ps(a, b)); }
    static V blend(V old, V v, M m) {
        const __m128 mf = _mm_castsi128_ps(m);
        return _mm_or_ps(_mm_and_ps(mf, v), _mm_andnot_ps(mf, old));
    }
    static V set1(T x) { return _mm_set1_ps(x); }
    static V vmin(V a, V b) { return _mm_min_ps(a, b); }
    static V vmax(V a, V b) { return _mm_max_ps(a, b); }
};
#endif

// P: the lane policy above; PACKS packs of P::W lanes per window slot (L = PACKS * P::W lines).
//
// Each lane keeps its window sorted: s[0..size-1] (slot-major, L lanes per slot). One step
// removes the outgoing value vo and inserts the incoming vi without any search: with
// u = s minus its first vo (u[k] = s[k] < vo ? s[k] : s[k+1]), inserting vi gives
// s'[k] = max(u[k-1], min(u[k], vi)) (u[-1] = -inf, u[size-1] = +inf). That is a compare, a
// blend, a min and a max per slot and pack, all vertical; the median is s'[size / 2].
// min/max/blend only move values, so the result is exactly the element scipy returns (inputs
// are NaN-free).
template <class P, int PACKS>
void median_lanes(const typename P::T* const* in, index_t n, index_t size, typename P::T* out, index_t out_stride,
                  typename P::T* scratch) {
    using T = typename P::T;
    using V = typename P::V;
    constexpr int W = P::W, L = PACKS * W;
    if (n <= 0) return;
    T* s = scratch;  // size x L, each lane sorted along the slots
    for (int l = 0; l < L; ++l) {
        T col[1024];
        T* c = size <= 1024 ? col : nullptr;
        std::vector<T> big;
        if (!c) {
            big.resize(std::size_t(size));
            c = big.data();
        }
        for (index_t k = 0; k < size; ++k) c[k] = in[k][l];
        std::sort(c, c + size);
        for (index_t k = 0; k < size; ++k) s[k * L + l] = c[k];
    }
    const index_t rank = size / 2;
    for (int l = 0; l < L; ++l) out[l] = s[rank * L + l];
    const V lowest = P::set1(-std::numeric_limits<T>::infinity());
    for (index_t i = 1; i < n; ++i) {
        const T* outgoing = in[i - 1];
        const T* incoming = in[i + size - 1];
        V vo[PACKS], vi[PACKS], prev_u[PACKS], cur[PACKS];
        for (int q = 0; q < PACKS; ++q) {
            vo[q] = P::load(outgoing + q * W);
            vi[q] = P::load(incoming + q * W);
            prev_u[q] = lowest;
            cur[q] = P::load(s + q * W);
        }
        for (index_t k = 0; k + 1 < size; ++k) {
            for (int q = 0; q < PACKS; ++q) {
                const V next = P::load(s + (k + 1) * L + q * W);
                const V u = P::blend(next, cur[q], P::gt(vo[q], cur[q]));  // cur < vo: kept, else shifted down
                P::store(s + k * L + q * W, P::vmax(prev_u[q], P::vmin(u, vi[q])));
                prev_u[q] = u;
                cur[q] = next;
            }
        }
        for (int q = 0; q < PACKS; ++q) {
            P::store(s + (size - 1) * L + q * W, P::vmax(prev_u[q], vi[q]));
            P::store(out + i * out_stride + q * W, P::load(s + rank * L + q * W));
        }
    }
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
