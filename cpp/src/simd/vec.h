// SIMD pack types for the ISA this translation unit is compiled for.
//
// This header is included once per ISA translation unit (kernels_<isa>.cc), each of which
// defines CEPSTRA_ISA_NS (a distinct namespace) and, through per-file compiler flags, the
// instruction set. Everything here and in the *-inl.h kernels lives inside that namespace,
// so an inline function instantiated with AVX-512 instructions can never be picked by the
// linker for the baseline path (the classic ODR trap of per-file ISA flags).
//
// Kernels are written once against this small interface and vectorize *across frames*:
// lane l of every pack belongs to frame l of a block, so an FFT butterfly is purely vertical
// arithmetic with no shuffles, and an output row (one mel band across consecutive frames) is
// one contiguous store.
//
// Interface for a pack type P with scalar type P::T and width P::W:
//   P::zero(), P::set1(t), P::load(const T*), P::store(T*, P)   (unaligned)
//   + - * between packs, fmadd(a, b, c) = a*b + c, fnmadd(a, b, c) = c - a*b,
//   vmax(a, b), vsqrt(a)
#pragma once

#ifndef CEPSTRA_ISA_NS
#error "define CEPSTRA_ISA_NS before including vec.h"
#endif

#include <cmath>
#include <cstddef>

#if defined(CEPSTRA_ISA_AVX512) || defined(CEPSTRA_ISA_AVX2) || defined(CEPSTRA_ISA_SSE2)
#include <immintrin.h>
#elif defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>
#endif

namespace cepstra {
namespace CEPSTRA_ISA_NS {

#if defined(CEPSTRA_ISA_AVX512)

struct VF {
    using T = float;
    static constexpr int W = 16;
    __m512 v;
    static VF zero() { return {_mm512_setzero_ps()}; }
    static VF set1(float x) { return {_mm512_set1_ps(x)}; }
    static VF load(const float* p) { return {_mm512_loadu_ps(p)}; }
    static void store(float* p, VF a) { _mm512_storeu_ps(p, a.v); }
};
inline VF operator+(VF a, VF b) { return {_mm512_add_ps(a.v, b.v)}; }
inline VF operator-(VF a, VF b) { return {_mm512_sub_ps(a.v, b.v)}; }
inline VF operator*(VF a, VF b) { return {_mm512_mul_ps(a.v, b.v)}; }
inline VF fmadd(VF a, VF b, VF c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
inline VF fnmadd(VF a, VF b, VF c) { return {_mm512_fnmadd_ps(a.v, b.v, c.v)}; }
inline VF vmax(VF a, VF b) { return {_mm512_max_ps(a.v, b.v)}; }
inline VF vsqrt(VF a) { return {_mm512_sqrt_ps(a.v)}; }

struct VD {
    using T = double;
    static constexpr int W = 8;
    __m512d v;
    static VD zero() { return {_mm512_setzero_pd()}; }
    static VD set1(double x) { return {_mm512_set1_pd(x)}; }
    static VD load(const double* p) { return {_mm512_loadu_pd(p)}; }
    static void store(double* p, VD a) { _mm512_storeu_pd(p, a.v); }
};
inline VD operator+(VD a, VD b) { return {_mm512_add_pd(a.v, b.v)}; }
inline VD operator-(VD a, VD b) { return {_mm512_sub_pd(a.v, b.v)}; }
inline VD operator*(VD a, VD b) { return {_mm512_mul_pd(a.v, b.v)}; }
inline VD fmadd(VD a, VD b, VD c) { return {_mm512_fmadd_pd(a.v, b.v, c.v)}; }
inline VD fnmadd(VD a, VD b, VD c) { return {_mm512_fnmadd_pd(a.v, b.v, c.v)}; }
inline VD vmax(VD a, VD b) { return {_mm512_max_pd(a.v, b.v)}; }
inline VD vsqrt(VD a) { return {_mm512_sqrt_pd(a.v)}; }

#elif defined(CEPSTRA_ISA_AVX2)

struct VF {
    using T = float;
    static constexpr int W = 8;
    __m256 v;
    static VF zero() { return {_mm256_setzero_ps()}; }
    static VF set1(float x) { return {_mm256_set1_ps(x)}; }
    static VF load(const float* p) { return {_mm256_loadu_ps(p)}; }
    static void store(float* p, VF a) { _mm256_storeu_ps(p, a.v); }
};
inline VF operator+(VF a, VF b) { return {_mm256_add_ps(a.v, b.v)}; }
inline VF operator-(VF a, VF b) { return {_mm256_sub_ps(a.v, b.v)}; }
inline VF operator*(VF a, VF b) { return {_mm256_mul_ps(a.v, b.v)}; }
inline VF fmadd(VF a, VF b, VF c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
inline VF fnmadd(VF a, VF b, VF c) { return {_mm256_fnmadd_ps(a.v, b.v, c.v)}; }
inline VF vmax(VF a, VF b) { return {_mm256_max_ps(a.v, b.v)}; }
inline VF vsqrt(VF a) { return {_mm256_sqrt_ps(a.v)}; }

struct VD {
    using T = double;
    static constexpr int W = 4;
    __m256d v;
    static VD zero() { return {_mm256_setzero_pd()}; }
    static VD set1(double x) { return {_mm256_set1_pd(x)}; }
    static VD load(const double* p) { return {_mm256_loadu_pd(p)}; }
    static void store(double* p, VD a) { _mm256_storeu_pd(p, a.v); }
};
inline VD operator+(VD a, VD b) { return {_mm256_add_pd(a.v, b.v)}; }
inline VD operator-(VD a, VD b) { return {_mm256_sub_pd(a.v, b.v)}; }
inline VD operator*(VD a, VD b) { return {_mm256_mul_pd(a.v, b.v)}; }
inline VD fmadd(VD a, VD b, VD c) { return {_mm256_fmadd_pd(a.v, b.v, c.v)}; }
inline VD fnmadd(VD a, VD b, VD c) { return {_mm256_fnmadd_pd(a.v, b.v, c.v)}; }
inline VD vmax(VD a, VD b) { return {_mm256_max_pd(a.v, b.v)}; }
inline VD vsqrt(VD a) { return {_mm256_sqrt_pd(a.v)}; }

#elif defined(CEPSTRA_ISA_SSE2)

// SSE2 has no FMA: fmadd is a multiply then an add (two roundings).
struct VF {
    using T = float;
    static constexpr int W = 4;
    __m128 v;
    static VF zero() { return {_mm_setzero_ps()}; }
    static VF set1(float x) { return {_mm_set1_ps(x)}; }
    static VF load(const float* p) { return {_mm_loadu_ps(p)}; }
    static void store(float* p, VF a) { _mm_storeu_ps(p, a.v); }
};
inline VF operator+(VF a, VF b) { return {_mm_add_ps(a.v, b.v)}; }
inline VF operator-(VF a, VF b) { return {_mm_sub_ps(a.v, b.v)}; }
inline VF operator*(VF a, VF b) { return {_mm_mul_ps(a.v, b.v)}; }
inline VF fmadd(VF a, VF b, VF c) { return {_mm_add_ps(_mm_mul_ps(a.v, b.v), c.v)}; }
inline VF fnmadd(VF a, VF b, VF c) { return {_mm_sub_ps(c.v, _mm_mul_ps(a.v, b.v))}; }
inline VF vmax(VF a, VF b) { return {_mm_max_ps(a.v, b.v)}; }
inline VF vsqrt(VF a) { return {_mm_sqrt_ps(a.v)}; }

struct VD {
    using T = double;
    static constexpr int W = 2;
    __m128d v;
    static VD zero() { return {_mm_setzero_pd()}; }
    static VD set1(double x) { return {_mm_set1_pd(x)}; }
    static VD load(const double* p) { return {_mm_loadu_pd(p)}; }
    static void store(double* p, VD a) { _mm_storeu_pd(p, a.v); }
};
inline VD operator+(VD a, VD b) { return {_mm_add_pd(a.v, b.v)}; }
inline VD operator-(VD a, VD b) { return {_mm_sub_pd(a.v, b.v)}; }
inline VD operator*(VD a, VD b) { return {_mm_mul_pd(a.v, b.v)}; }
inline VD fmadd(VD a, VD b, VD c) { return {_mm_add_pd(_mm_mul_pd(a.v, b.v), c.v)}; }
inline VD fnmadd(VD a, VD b, VD c) { return {_mm_sub_pd(c.v, _mm_mul_pd(a.v, b.v))}; }
inline VD vmax(VD a, VD b) { return {_mm_max_pd(a.v, b.v)}; }
inline VD vsqrt(VD a) { return {_mm_sqrt_pd(a.v)}; }

#elif defined(__aarch64__) && defined(__ARM_NEON)

// AArch64: NEON is part of the base architecture, so the "generic" file uses it directly.
#define CEPSTRA_VEC_NEON 1

struct VF {
    using T = float;
    static constexpr int W = 4;
    float32x4_t v;
    static VF zero() { return {vdupq_n_f32(0.0f)}; }
    static VF set1(float x) { return {vdupq_n_f32(x)}; }
    static VF load(const float* p) { return {vld1q_f32(p)}; }
    static void store(float* p, VF a) { vst1q_f32(p, a.v); }
};
inline VF operator+(VF a, VF b) { return {vaddq_f32(a.v, b.v)}; }
inline VF operator-(VF a, VF b) { return {vsubq_f32(a.v, b.v)}; }
inline VF operator*(VF a, VF b) { return {vmulq_f32(a.v, b.v)}; }
inline VF fmadd(VF a, VF b, VF c) { return {vfmaq_f32(c.v, a.v, b.v)}; }
inline VF fnmadd(VF a, VF b, VF c) { return {vfmsq_f32(c.v, a.v, b.v)}; }
inline VF vmax(VF a, VF b) { return {vmaxq_f32(a.v, b.v)}; }
inline VF vsqrt(VF a) { return {vsqrtq_f32(a.v)}; }

struct VD {
    using T = double;
    static constexpr int W = 2;
    float64x2_t v;
    static VD zero() { return {vdupq_n_f64(0.0)}; }
    static VD set1(double x) { return {vdupq_n_f64(x)}; }
    static VD load(const double* p) { return {vld1q_f64(p)}; }
    static void store(double* p, VD a) { vst1q_f64(p, a.v); }
};
inline VD operator+(VD a, VD b) { return {vaddq_f64(a.v, b.v)}; }
inline VD operator-(VD a, VD b) { return {vsubq_f64(a.v, b.v)}; }
inline VD operator*(VD a, VD b) { return {vmulq_f64(a.v, b.v)}; }
inline VD fmadd(VD a, VD b, VD c) { return {vfmaq_f64(c.v, a.v, b.v)}; }
inline VD fnmadd(VD a, VD b, VD c) { return {vfmsq_f64(c.v, a.v, b.v)}; }
inline VD vmax(VD a, VD b) { return {vmaxq_f64(a.v, b.v)}; }
inline VD vsqrt(VD a) { return {vsqrtq_f64(a.v)}; }

#else  // portable fallback (other architectures): fixed-size arrays the compiler may vectorize

template <class S, int N>
struct VGeneric {
    using T = S;
    static constexpr int W = N;
    S v[N];
    static VGeneric zero() {
        VGeneric r;
        for (int i = 0; i < N; ++i) r.v[i] = S(0);
        return r;
    }
    static VGeneric set1(S x) {
        VGeneric r;
        for (int i = 0; i < N; ++i) r.v[i] = x;
        return r;
    }
    static VGeneric load(const S* p) {
        VGeneric r;
        for (int i = 0; i < N; ++i) r.v[i] = p[i];
        return r;
    }
    static void store(S* p, VGeneric a) {
        for (int i = 0; i < N; ++i) p[i] = a.v[i];
    }
};
#define CEPSTRA_VG_BINOP(op)                                                \
    template <class S, int N>                                               \
    inline VGeneric<S, N> operator op(VGeneric<S, N> a, VGeneric<S, N> b) { \
        VGeneric<S, N> r;                                                   \
        for (int i = 0; i < N; ++i) r.v[i] = a.v[i] op b.v[i];              \
        return r;                                                           \
    }
CEPSTRA_VG_BINOP(+)
CEPSTRA_VG_BINOP(-)
CEPSTRA_VG_BINOP(*)
#undef CEPSTRA_VG_BINOP
template <class S, int N>
inline VGeneric<S, N> fmadd(VGeneric<S, N> a, VGeneric<S, N> b, VGeneric<S, N> c) {
    return a * b + c;
}
template <class S, int N>
inline VGeneric<S, N> fnmadd(VGeneric<S, N> a, VGeneric<S, N> b, VGeneric<S, N> c) {
    return c - a * b;
}
template <class S, int N>
inline VGeneric<S, N> vmax(VGeneric<S, N> a, VGeneric<S, N> b) {
    VGeneric<S, N> r;
    for (int i = 0; i < N; ++i) r.v[i] = a.v[i] > b.v[i] ? a.v[i] : b.v[i];
    return r;
}
template <class S, int N>
inline VGeneric<S, N> vsqrt(VGeneric<S, N> a) {
    VGeneric<S, N> r;
    for (int i = 0; i < N; ++i) r.v[i] = std::sqrt(a.v[i]);
    return r;
}
using VF = VGeneric<float, 4>;
using VD = VGeneric<double, 2>;

#endif

// The pack type for a scalar type.
template <class T>
struct PackOf;
template <>
struct PackOf<float> {
    using type = VF;
};
template <>
struct PackOf<double> {
    using type = VD;
};

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
