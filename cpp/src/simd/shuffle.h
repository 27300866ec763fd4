// Layout changes between frame-major memory and frame-per-lane packs, per ISA.
//   load_transposed(base, stride, out): out[j] lane l = base[l*stride + j], j, l < W
//     (W consecutive samples of W frames that start `stride` apart -> W packs)
//   store_interleaved(dst, re, im): dst[2l] = re lane l, dst[2l+1] = im lane l
//     (a pack of complex values -> std::complex<T> memory)
// Include after vec.h, inside no namespace (it opens cepstra::CEPSTRA_ISA_NS itself).
#pragma once

namespace cepstra {
namespace CEPSTRA_ISA_NS {

template <class V>
inline void load_transposed_scalar(const typename V::T* base, index_t stride, V* out) {
    alignas(64) typename V::T tmp[V::W * V::W];
    for (int l = 0; l < V::W; ++l)
        for (int j = 0; j < V::W; ++j) tmp[j * V::W + l] = base[l * stride + j];
    for (int j = 0; j < V::W; ++j) out[j] = V::load(tmp + j * V::W);
}

template <class V>
inline void store_interleaved_scalar(typename V::T* dst, V re, V im) {
    alignas(64) typename V::T r[V::W], i[V::W];
    V::store(r, re);
    V::store(i, im);
    for (int l = 0; l < V::W; ++l) {
        dst[2 * l] = r[l];
        dst[2 * l + 1] = i[l];
    }
}

#if defined(CEPSTRA_ISA_AVX2) || defined(CEPSTRA_ISA_AVX512)

// 8x8 floats (8 rows `s` apart, 8 consecutive values each) -> 8 ymm columns.
inline void transpose8x8(const float* b, index_t s, __m256* col) {
    __m256 r0 = _mm256_loadu_ps(b), r1 = _mm256_loadu_ps(b + s), r2 = _mm256_loadu_ps(b + 2 * s),
           r3 = _mm256_loadu_ps(b + 3 * s), r4 = _mm256_loadu_ps(b + 4 * s), r5 = _mm256_loadu_ps(b + 5 * s),
           r6 = _mm256_loadu_ps(b + 6 * s), r7 = _mm256_loadu_ps(b + 7 * s);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
           t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
           t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE),
           u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE),
           u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE),
           u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    col[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    col[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    col[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    col[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    col[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    col[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    col[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    col[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

// 4x4 doubles -> 4 ymm columns.
inline void transpose4x4(const double* b, index_t s, __m256d* col) {
    __m256d r0 = _mm256_loadu_pd(b), r1 = _mm256_loadu_pd(b + s), r2 = _mm256_loadu_pd(b + 2 * s),
            r3 = _mm256_loadu_pd(b + 3 * s);
    __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1), t2 = _mm256_unpacklo_pd(r2, r3),
            t3 = _mm256_unpackhi_pd(r2, r3);
    col[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    col[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    col[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    col[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

#endif

#if defined(CEPSTRA_ISA_AVX2)

inline void load_transposed(const float* b, index_t s, VF* out) {
    __m256 col[8];
    transpose8x8(b, s, col);
    for (int j = 0; j < 8; ++j) out[j].v = col[j];
}
inline void load_transposed(const double* b, index_t s, VD* out) {
    __m256d col[4];
    transpose4x4(b, s, col);
    for (int j = 0; j < 4; ++j) out[j].v = col[j];
}
inline void store_interleaved(float* d, VF re, VF im) {
    const __m256 lo = _mm256_unpacklo_ps(re.v, im.v), hi = _mm256_unpackhi_ps(re.v, im.v);
    _mm256_storeu_ps(d, _mm256_permute2f128_ps(lo, hi, 0x20));
    _mm256_storeu_ps(d + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
}
inline void store_interleaved(double* d, VD re, VD im) {
    const __m256d lo = _mm256_unpacklo_pd(re.v, im.v), hi = _mm256_unpackhi_pd(re.v, im.v);
    _mm256_storeu_pd(d, _mm256_permute2f128_pd(lo, hi, 0x20));
    _mm256_storeu_pd(d + 4, _mm256_permute2f128_pd(lo, hi, 0x31));
}

#elif defined(CEPSTRA_ISA_SSE2)

inline void load_transposed(const float* b, index_t s, VF* out) {
    __m128 r0 = _mm_loadu_ps(b), r1 = _mm_loadu_ps(b + s), r2 = _mm_loadu_ps(b + 2 * s), r3 = _mm_loadu_ps(b + 3 * s);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    out[0].v = r0;
    out[1].v = r1;
    out[2].v = r2;
    out[3].v = r3;
}
inline void load_transposed(const double* b, index_t s, VD* out) {
    const __m128d r0 = _mm_loadu_pd(b), r1 = _mm_loadu_pd(b + s);
    out[0].v = _mm_unpacklo_pd(r0, r1);
    out[1].v = _mm_unpackhi_pd(r0, r1);
}
inline void store_interleaved(float* d, VF re, VF im) {
    _mm_storeu_ps(d, _mm_unpacklo_ps(re.v, im.v));
    _mm_storeu_ps(d + 4, _mm_unpackhi_ps(re.v, im.v));
}
inline void store_interleaved(double* d, VD re, VD im) {
    _mm_storeu_pd(d, _mm_unpacklo_pd(re.v, im.v));
    _mm_storeu_pd(d + 2, _mm_unpackhi_pd(re.v, im.v));
}

#elif defined(CEPSTRA_ISA_AVX512)

// 16x16 as four 8x8 tiles: rows 0-7 fill the low half of each pack, rows 8-15 the high half.
inline void load_transposed(const float* b, index_t s, VF* out) {
    __m256 lo[8], hi[8];
    for (int half = 0; half < 16; half += 8) {
        transpose8x8(b + half, s, lo);
        transpose8x8(b + 8 * s + half, s, hi);
        for (int j = 0; j < 8; ++j) out[half + j].v = _mm512_insertf32x8(_mm512_castps256_ps512(lo[j]), hi[j], 1);
    }
}
inline void load_transposed(const double* b, index_t s, VD* out) {
    __m256d lo[4], hi[4];
    for (int half = 0; half < 8; half += 4) {
        transpose4x4(b + half, s, lo);
        transpose4x4(b + 4 * s + half, s, hi);
        for (int j = 0; j < 4; ++j) out[half + j].v = _mm512_insertf64x4(_mm512_castpd256_pd512(lo[j]), hi[j], 1);
    }
}
inline void store_interleaved(float* d, VF re, VF im) {
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    _mm512_storeu_ps(d, _mm512_permutex2var_ps(re.v, lo, im.v));
    _mm512_storeu_ps(d + 16, _mm512_permutex2var_ps(re.v, hi, im.v));
}
inline void store_interleaved(double* d, VD re, VD im) {
    const __m512i lo = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11);
    const __m512i hi = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
    _mm512_storeu_pd(d, _mm512_permutex2var_pd(re.v, lo, im.v));
    _mm512_storeu_pd(d + 8, _mm512_permutex2var_pd(re.v, hi, im.v));
}

#else

inline void load_transposed(const float* b, index_t s, VF* out) { load_transposed_scalar<VF>(b, s, out); }
inline void load_transposed(const double* b, index_t s, VD* out) { load_transposed_scalar<VD>(b, s, out); }
inline void store_interleaved(float* d, VF re, VF im) { store_interleaved_scalar<VF>(d, re, im); }
inline void store_interleaved(double* d, VD re, VD im) { store_interleaved_scalar<VD>(d, re, im); }

#endif

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
