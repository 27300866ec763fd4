// FFT butterflies (radix 2, 3, 4, 5, 8 and a generic odd prime) on packs, vectorized across
// frames: lane l of every pack is frame l, so all arithmetic is vertical. Buffers and the
// complex multiply they share live here too. Part of fft-inl.h (included from there).
#pragma once

#include <cstddef>

#include "cepstra/fft.h"

// Butterflies are force-inlined for the SIMD ISAs (so that the twiddle packs stay in
// registers); for the portable array-based fallback forcing it makes GCC give up on
// scalarizing the temporaries (several times slower), so there it is left to the compiler.
#undef CEPSTRA_FFT_INLINE
#if !(defined(CEPSTRA_ISA_AVX512) || defined(CEPSTRA_ISA_AVX2) || defined(CEPSTRA_ISA_SSE2) || \
      defined(CEPSTRA_VEC_NEON))
#define CEPSTRA_FFT_INLINE inline
#elif defined(_MSC_VER)
#define CEPSTRA_FFT_INLINE __forceinline
#elif defined(__GNUC__)
#define CEPSTRA_FFT_INLINE inline __attribute__((always_inline))
#else
#define CEPSTRA_FFT_INLINE inline
#endif

namespace cepstra {
namespace CEPSTRA_ISA_NS {
namespace fftk {

template <class V>
struct CBuf {
    V* re;
    V* im;
    std::size_t s;  // stride in packs between consecutive elements
};

template <class V>
inline V ld(const V* p) {
    return V::load(reinterpret_cast<const typename V::T*>(p));
}
template <class V>
inline void st(V* p, V v) {
    V::store(reinterpret_cast<typename V::T*>(p), v);
}

// (r, i) *= (wr, wi)
template <class V>
CEPSTRA_FFT_INLINE void cmul(V& r, V& i, V wr, V wi) {
    const V nr = fnmadd(i, wi, r * wr);
    const V ni = fmadd(r, wi, i * wr);
    r = nr;
    i = ni;
}

// ---------------------------------------------------------------- radix 2
template <class V, bool TW>
CEPSTRA_FFT_INLINE void bfly2(const V* xr, const V* xi, std::size_t xb, V* yr, V* yi, std::size_t yd, V w1r, V w1i) {
    const V x0r = ld(xr), x0i = ld(xi);
    const V x1r = ld(xr + xb), x1i = ld(xi + xb);
    V y1r = x0r - x1r, y1i = x0i - x1i;
    if (TW) cmul(y1r, y1i, w1r, w1i);
    st(yr, x0r + x1r);
    st(yi, x0i + x1i);
    st(yr + yd, y1r);
    st(yi + yd, y1i);
}

// ---------------------------------------------------------------- radix 4
template <class V, bool TW>
CEPSTRA_FFT_INLINE void bfly4(const V* xr, const V* xi, std::size_t xb, V* yr, V* yi, std::size_t yd,
                              const typename V::T* wr, const typename V::T* wi) {
    const V x0r = ld(xr), x0i = ld(xi);
    const V x1r = ld(xr + xb), x1i = ld(xi + xb);
    const V x2r = ld(xr + 2 * xb), x2i = ld(xi + 2 * xb);
    const V x3r = ld(xr + 3 * xb), x3i = ld(xi + 3 * xb);
    const V a0r = x0r + x2r, a0i = x0i + x2i;
    const V a1r = x0r - x2r, a1i = x0i - x2i;
    const V a2r = x1r + x3r, a2i = x1i + x3i;
    const V a3r = x1r - x3r, a3i = x1i - x3i;
    V y0r = a0r + a2r, y0i = a0i + a2i;
    V y2r = a0r - a2r, y2i = a0i - a2i;
    V y1r = a1r + a3i, y1i = a1i - a3r;  // a1 - i a3
    V y3r = a1r - a3i, y3i = a1i + a3r;  // a1 + i a3
    if (TW) {
        cmul(y1r, y1i, V::set1(wr[0]), V::set1(wi[0]));
        cmul(y2r, y2i, V::set1(wr[1]), V::set1(wi[1]));
        cmul(y3r, y3i, V::set1(wr[2]), V::set1(wi[2]));
    }
    st(yr, y0r);
    st(yi, y0i);
    st(yr + yd, y1r);
    st(yi + yd, y1i);
    st(yr + 2 * yd, y2r);
    st(yi + 2 * yd, y2i);
    st(yr + 3 * yd, y3r);
    st(yi + 3 * yd, y3i);
}

// ---------------------------------------------------------------- radix 8
// y[2q] = DFT4(x[j] + x[j+4])[q], y[2q+1] = DFT4((x[j] - x[j+4]) w8^j)[q].
template <class V, bool TW>
CEPSTRA_FFT_INLINE void bfly8(const V* xr, const V* xi, std::size_t xb, V* yr, V* yi, std::size_t yd,
                              const typename V::T* wr, const typename V::T* wi, V r2) {
    V a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i;
    V b0r, b0i, b1r, b1i, b2r, b2i, b3r, b3i;
    {
        const V u0r = ld(xr), u0i = ld(xi), v0r = ld(xr + 4 * xb), v0i = ld(xi + 4 * xb);
        a0r = u0r + v0r;
        a0i = u0i + v0i;
        b0r = u0r - v0r;
        b0i = u0i - v0i;
        const V u2r = ld(xr + 2 * xb), u2i = ld(xi + 2 * xb);
        const V v2r = ld(xr + 6 * xb), v2i = ld(xi + 6 * xb);
        a2r = u2r + v2r;
        a2i = u2i + v2i;
        b2r = u2i - v2i;
        b2i = v2r - u2r;  // (u2 - v2) * (-i)
        const V u1r = ld(xr + xb), u1i = ld(xi + xb), v1r = ld(xr + 5 * xb), v1i = ld(xi + 5 * xb);
        a1r = u1r + v1r;
        a1i = u1i + v1i;
        const V d1r = u1r - v1r, d1i = u1i - v1i;  // * (1 - i) / sqrt2
        b1r = (d1r + d1i) * r2;
        b1i = (d1i - d1r) * r2;
        const V u3r = ld(xr + 3 * xb), u3i = ld(xi + 3 * xb);
        const V v3r = ld(xr + 7 * xb), v3i = ld(xi + 7 * xb);
        a3r = u3r + v3r;
        a3i = u3i + v3i;
        const V d3r = u3r - v3r, d3i = u3i - v3i;  // * (-1 - i) / sqrt2
        b3r = (d3i - d3r) * r2;
        b3i = (d3r + d3i) * r2;
        b3i = V::zero() - b3i;
    }
    // even outputs: DFT4(a) -> y0, y2, y4, y6
    {
        const V c0r = a0r + a2r, c0i = a0i + a2i, c1r = a0r - a2r, c1i = a0i - a2i;
        const V c2r = a1r + a3r, c2i = a1i + a3i, c3r = a1r - a3r, c3i = a1i - a3i;
        V y0r = c0r + c2r, y0i = c0i + c2i;
        V y4r = c0r - c2r, y4i = c0i - c2i;
        V y2r = c1r + c3i, y2i = c1i - c3r;
        V y6r = c1r - c3i, y6i = c1i + c3r;
        if (TW) {
            cmul(y2r, y2i, V::set1(wr[1]), V::set1(wi[1]));
            cmul(y4r, y4i, V::set1(wr[3]), V::set1(wi[3]));
            cmul(y6r, y6i, V::set1(wr[5]), V::set1(wi[5]));
        }
        st(yr, y0r);
        st(yi, y0i);
        st(yr + 2 * yd, y2r);
        st(yi + 2 * yd, y2i);
        st(yr + 4 * yd, y4r);
        st(yi + 4 * yd, y4i);
        st(yr + 6 * yd, y6r);
        st(yi + 6 * yd, y6i);
    }
    // odd outputs: DFT4(b) -> y1, y3, y5, y7
    {
        const V c0r = b0r + b2r, c0i = b0i + b2i, c1r = b0r - b2r, c1i = b0i - b2i;
        const V c2r = b1r + b3r, c2i = b1i + b3i, c3r = b1r - b3r, c3i = b1i - b3i;
        V y1r = c0r + c2r, y1i = c0i + c2i;
        V y5r = c0r - c2r, y5i = c0i - c2i;
        V y3r = c1r + c3i, y3i = c1i - c3r;
        V y7r = c1r - c3i, y7i = c1i + c3r;
        if (TW) {
            cmul(y1r, y1i, V::set1(wr[0]), V::set1(wi[0]));
            cmul(y3r, y3i, V::set1(wr[2]), V::set1(wi[2]));
            cmul(y5r, y5i, V::set1(wr[4]), V::set1(wi[4]));
            cmul(y7r, y7i, V::set1(wr[6]), V::set1(wi[6]));
        }
        st(yr + yd, y1r);
        st(yi + yd, y1i);
        st(yr + 3 * yd, y3r);
        st(yi + 3 * yd, y3i);
        st(yr + 5 * yd, y5r);
        st(yi + 5 * yd, y5i);
        st(yr + 7 * yd, y7r);
        st(yi + 7 * yd, y7i);
    }
}

// ---------------------------------------------------------------- radix 3
template <class V, bool TW>
CEPSTRA_FFT_INLINE void bfly3(const V* xr, const V* xi, std::size_t xb, V* yr, V* yi, std::size_t yd,
                              const typename V::T* wr, const typename V::T* wi, V half, V s3) {
    const V x0r = ld(xr), x0i = ld(xi);
    const V x1r = ld(xr + xb), x1i = ld(xi + xb);
    const V x2r = ld(xr + 2 * xb), x2i = ld(xi + 2 * xb);
    const V sr = x1r + x2r, si = x1i + x2i;
    const V tr = (x1r - x2r) * s3, ti = (x1i - x2i) * s3;
    const V ar = fnmadd(sr, half, x0r), ai = fnmadd(si, half, x0i);
    V y1r = ar + ti, y1i = ai - tr;
    V y2r = ar - ti, y2i = ai + tr;
    if (TW) {
        cmul(y1r, y1i, V::set1(wr[0]), V::set1(wi[0]));
        cmul(y2r, y2i, V::set1(wr[1]), V::set1(wi[1]));
    }
    st(yr, x0r + sr);
    st(yi, x0i + si);
    st(yr + yd, y1r);
    st(yi + yd, y1i);
    st(yr + 2 * yd, y2r);
    st(yi + 2 * yd, y2i);
}

// ---------------------------------------------------------------- radix 5
template <class V>
struct Consts5 {
    V c1, c2, s1, s2;
};

template <class V, bool TW>
CEPSTRA_FFT_INLINE void bfly5(const V* xr, const V* xi, std::size_t xb, V* yr, V* yi, std::size_t yd,
                              const typename V::T* wr, const typename V::T* wi, const Consts5<V>& c) {
    const V x0r = ld(xr), x0i = ld(xi);
    const V x1r = ld(xr + xb), x1i = ld(xi + xb);
    const V x2r = ld(xr + 2 * xb), x2i = ld(xi + 2 * xb);
    const V x3r = ld(xr + 3 * xb), x3i = ld(xi + 3 * xb);
    const V x4r = ld(xr + 4 * xb), x4i = ld(xi + 4 * xb);
    const V s1r = x1r + x4r, s1i = x1i + x4i;
    const V t1r = x1r - x4r, t1i = x1i - x4i;
    const V s2r = x2r + x3r, s2i = x2i + x3i;
    const V t2r = x2r - x3r, t2i = x2i - x3i;
    const V a1r = fmadd(c.c2, s2r, fmadd(c.c1, s1r, x0r));
    const V a1i = fmadd(c.c2, s2i, fmadd(c.c1, s1i, x0i));
    const V a2r = fmadd(c.c1, s2r, fmadd(c.c2, s1r, x0r));
    const V a2i = fmadd(c.c1, s2i, fmadd(c.c2, s1i, x0i));
    const V b1r = fmadd(c.s2, t2r, c.s1 * t1r);
    const V b1i = fmadd(c.s2, t2i, c.s1 * t1i);
    const V b2r = fnmadd(c.s1, t2r, c.s2 * t1r);
    const V b2i = fnmadd(c.s1, t2i, c.s2 * t1i);
    V y1r = a1r + b1i, y1i = a1i - b1r;
    V y4r = a1r - b1i, y4i = a1i + b1r;
    V y2r = a2r + b2i, y2i = a2i - b2r;
    V y3r = a2r - b2i, y3i = a2i + b2r;
    if (TW) {
        cmul(y1r, y1i, V::set1(wr[0]), V::set1(wi[0]));
        cmul(y2r, y2i, V::set1(wr[1]), V::set1(wi[1]));
        cmul(y3r, y3i, V::set1(wr[2]), V::set1(wi[2]));
        cmul(y4r, y4i, V::set1(wr[3]), V::set1(wi[3]));
    }
    st(yr, x0r + s1r + s2r);
    st(yi, x0i + s1i + s2i);
    st(yr + yd, y1r);
    st(yi + yd, y1i);
    st(yr + 2 * yd, y2r);
    st(yi + 2 * yd, y2i);
    st(yr + 3 * yd, y3r);
    st(yi + 3 * yd, y3i);
    st(yr + 4 * yd, y4r);
    st(yi + 4 * yd, y4i);
}

// ---------------------------------------------------------------- generic odd prime
template <class V>
void bfly_generic(const V* xr, const V* xi, std::size_t xb, V* yr, V* yi, std::size_t yd, int p,
                  const typename V::T* cs, const typename V::T* sn, const typename V::T* twr,
                  const typename V::T* twi) {
    constexpr int kH = (fft_detail::kMaxGenericRadix - 1) / 2;
    V sr[kH + 1], si[kH + 1], tr[kH + 1], ti[kH + 1];
    const int h = (p - 1) / 2;
    const V x0r = ld(xr), x0i = ld(xi);
    V y0r = x0r, y0i = x0i;
    for (int b = 1; b <= h; ++b) {
        const V ur = ld(xr + b * xb), ui = ld(xi + b * xb);
        const V vr = ld(xr + (p - b) * xb), vi = ld(xi + (p - b) * xb);
        sr[b] = ur + vr;
        si[b] = ui + vi;
        tr[b] = ur - vr;
        ti[b] = ui - vi;
        y0r = y0r + sr[b];
        y0i = y0i + si[b];
    }
    st(yr, y0r);
    st(yi, y0i);
    for (int d = 1; d <= h; ++d) {
        V ar = x0r, ai = x0i, br = V::zero(), bi = V::zero();
        int idx = 0;
        for (int b = 1; b <= h; ++b) {
            idx += d;
            if (idx >= p) idx -= p;
            const V c = V::set1(cs[idx]), s = V::set1(sn[idx]);
            ar = fmadd(sr[b], c, ar);
            ai = fmadd(si[b], c, ai);
            br = fmadd(tr[b], s, br);
            bi = fmadd(ti[b], s, bi);
        }
        V ur = ar + bi, ui = ai - br;  // output d
        V vr = ar - bi, vi = ai + br;  // output p - d
        if (twr) {
            cmul(ur, ui, V::set1(twr[d - 1]), V::set1(twi[d - 1]));
            cmul(vr, vi, V::set1(twr[p - d - 1]), V::set1(twi[p - d - 1]));
        }
        st(yr + d * yd, ur);
        st(yi + d * yd, ui);
        st(yr + (p - d) * yd, vr);
        st(yi + (p - d) * yd, vi);
    }
}

}  // namespace fftk
}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
