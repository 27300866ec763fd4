// Real FFT kernels, vectorized across frames (lane l of every pack is frame l).
//
// Included once per ISA translation unit after simd/vec.h, with CEPSTRA_ISA_NS defined.
// Entry points (V = VF or VD of this ISA):
//   rfft_forward(plan, in, out_re, out_im, scratch)
//       in: n packs (clobbered); out_re / out_im: n/2 + 1 packs; scratch: plan.scratch_elems()
//       packs. Output equals numpy.fft.rfft per lane.
//   rfft_inverse(plan, in_re, in_im, out, scratch)
//       in_re / in_im: n/2 + 1 packs (not modified); out: n packs. Unnormalized c2r
//       (numpy.fft.irfft(X, n) * n); the imaginary parts of bin 0 and, for even n, of bin
//       n/2 are ignored.
// Buffers need only the alignment of the scalar type (all loads and stores are unaligned),
// but 64-byte alignment avoids cache-line splits. The buffers must not overlap each other.
// Kernels keep no state: one plan may run on many threads, each with its own buffers.
//
// Complex FFTs keep re and im in separate packs (split arrays, or re / im packs interleaved
// for the intermediate buffers) and use Stockham autosort passes; all arithmetic is
// vertical. See cepstra/fft.h for the plan layout.

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

// ---------------------------------------------------------------- one Stockham pass
// Input element (a + rp*b)*l + k, output element (a*p + d)*l + k, twiddle (a, d).
// XI / YI: x / y is interleaved (im == re + 1), which the compiler then addresses off one
// base register instead of two (the radix-8 butterfly runs out of registers otherwise).
template <class V, bool XI, bool YI>
void run_pass_t(const fft_detail::CPass<typename V::T>& P, CBuf<V> x, CBuf<V> y) {
    using T = typename V::T;
    const std::size_t l = P.l, rp = P.rp, xs = x.s, ys = y.s;
    const std::size_t p = static_cast<std::size_t>(P.radix);
    const std::size_t xb = rp * l * xs;  // distance between the inputs of one butterfly
    const std::size_t yd = l * ys;  // distance between its outputs
    const T* twr = P.twr.data();
    const T* twi = P.twi.data();
    switch (P.radix) {
        case 8: {
            const V r2 = V::set1(T(0.70710678118654752440084436210484904L));
            for (std::size_t a = 0; a < rp; ++a) {
                const V* xr = x.re + a * l * xs;
                const V* xi = XI ? xr + 1 : x.im + a * l * xs;
                V* yr = y.re + a * 8 * l * ys;
                V* yi = YI ? yr + 1 : y.im + a * 8 * l * ys;
                if (a == 0) {
                    for (std::size_t k = 0; k < l; ++k)
                        bfly8<V, false>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, nullptr, nullptr,
                                        r2);
                } else {
                    const T* wr = twr + 7 * a;
                    const T* wi = twi + 7 * a;
                    for (std::size_t k = 0; k < l; ++k)
                        bfly8<V, true>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, wr, wi, r2);
                }
            }
            break;
        }
        case 4: {
            for (std::size_t a = 0; a < rp; ++a) {
                const V* xr = x.re + a * l * xs;
                const V* xi = XI ? xr + 1 : x.im + a * l * xs;
                V* yr = y.re + a * 4 * l * ys;
                V* yi = YI ? yr + 1 : y.im + a * 4 * l * ys;
                if (a == 0) {
                    for (std::size_t k = 0; k < l; ++k)
                        bfly4<V, false>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, nullptr, nullptr);
                } else {
                    const T* wr = twr + 3 * a;
                    const T* wi = twi + 3 * a;
                    for (std::size_t k = 0; k < l; ++k)
                        bfly4<V, true>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, wr, wi);
                }
            }
            break;
        }
        case 2: {
            for (std::size_t a = 0; a < rp; ++a) {
                const V* xr = x.re + a * l * xs;
                const V* xi = XI ? xr + 1 : x.im + a * l * xs;
                V* yr = y.re + a * 2 * l * ys;
                V* yi = YI ? yr + 1 : y.im + a * 2 * l * ys;
                if (a == 0) {
                    const V z = V::zero();
                    for (std::size_t k = 0; k < l; ++k)
                        bfly2<V, false>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, z, z);
                } else {
                    const V w1r = V::set1(twr[a]), w1i = V::set1(twi[a]);
                    for (std::size_t k = 0; k < l; ++k)
                        bfly2<V, true>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, w1r, w1i);
                }
            }
            break;
        }
        case 3: {
            const V half = V::set1(T(0.5));
            const V s3 = V::set1(T(0.86602540378443864676372317075293618L));
            for (std::size_t a = 0; a < rp; ++a) {
                const V* xr = x.re + a * l * xs;
                const V* xi = XI ? xr + 1 : x.im + a * l * xs;
                V* yr = y.re + a * 3 * l * ys;
                V* yi = YI ? yr + 1 : y.im + a * 3 * l * ys;
                if (a == 0) {
                    for (std::size_t k = 0; k < l; ++k)
                        bfly3<V, false>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, nullptr, nullptr,
                                        half, s3);
                } else {
                    const T* wr = twr + 2 * a;
                    const T* wi = twi + 2 * a;
                    for (std::size_t k = 0; k < l; ++k)
                        bfly3<V, true>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, wr, wi, half, s3);
                }
            }
            break;
        }
        case 5: {
            Consts5<V> c;
            c.c1 = V::set1(T(0.30901699437494742410229341718281906L));  // cos(2pi/5)
            c.c2 = V::set1(T(-0.80901699437494742410229341718281906L));  // cos(4pi/5)
            c.s1 = V::set1(T(0.95105651629515357211643933337938214L));  // sin(2pi/5)
            c.s2 = V::set1(T(0.58778525229247312916870595463907277L));  // sin(4pi/5)
            for (std::size_t a = 0; a < rp; ++a) {
                const V* xr = x.re + a * l * xs;
                const V* xi = XI ? xr + 1 : x.im + a * l * xs;
                V* yr = y.re + a * 5 * l * ys;
                V* yi = YI ? yr + 1 : y.im + a * 5 * l * ys;
                if (a == 0) {
                    for (std::size_t k = 0; k < l; ++k)
                        bfly5<V, false>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, nullptr, nullptr,
                                        c);
                } else {
                    const T* wr = twr + 4 * a;
                    const T* wi = twi + 4 * a;
                    for (std::size_t k = 0; k < l; ++k)
                        bfly5<V, true>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, wr, wi, c);
                }
            }
            break;
        }
        default: {
            const int ip = P.radix;
            for (std::size_t a = 0; a < rp; ++a) {
                const V* xr = x.re + a * l * xs;
                const V* xi = XI ? xr + 1 : x.im + a * l * xs;
                V* yr = y.re + a * p * l * ys;
                V* yi = YI ? yr + 1 : y.im + a * p * l * ys;
                const T* wr = a == 0 ? nullptr : twr + a * (p - 1);
                const T* wi = a == 0 ? nullptr : twi + a * (p - 1);
                for (std::size_t k = 0; k < l; ++k)
                    bfly_generic<V>(xr + k * xs, xi + k * xs, xb, yr + k * ys, yi + k * ys, yd, ip, P.cs.data(),
                                    P.sn.data(), wr, wi);
            }
            break;
        }
    }
}

template <class V>
void run_pass(const fft_detail::CPass<typename V::T>& P, CBuf<V> x, CBuf<V> y) {
    const bool xi = x.im == x.re + 1, yi = y.im == y.re + 1;
    if (xi && yi)
        run_pass_t<V, true, true>(P, x, y);
    else if (xi)
        run_pass_t<V, true, false>(P, x, y);
    else
        run_pass_t<V, false, false>(P, x, y);
}

template <class V>
void cfft(const fft_detail::ComplexPlan<typename V::T>& P, CBuf<V> src, CBuf<V> dst, CBuf<V> t0, CBuf<V> t1,
          V* scratch);

// Bluestein: X[k] = w[k] sum_t (x[t] w[t]) conj(w[k - t]), w[j] = exp(-i pi j^2 / m).
// load(j, re, im) fetches input j < m; store(j, re, im) receives output j < nout.
template <class V, class Load, class Store>
void bluestein_io(const fft_detail::ComplexPlan<typename V::T>& P, Load load, std::size_t nout, Store store,
                  V* scratch) {
    using T = typename V::T;
    const std::size_t m = P.m, bm = P.big_m;
    const fft_detail::ComplexPlan<T>& S = *P.sub;
    const std::size_t k = S.num_passes();
    // interleaved (re, im) packs: one element is one contiguous run, which keeps the
    // power-of-two strides of the passes from thrashing the L1 sets
    const CBuf<V> A{scratch, scratch + 1, 2}, B{scratch + 2 * bm, scratch + 2 * bm + 1, 2};
    V* extra = scratch + 4 * bm;
    const CBuf<V> first = (k % 2 == 1) ? A : B;
    const T* cr = P.chirp_re.data();
    const T* ci = P.chirp_im.data();
    for (std::size_t j = 0; j < m; ++j) {
        V r, i;
        load(j, r, i);
        cmul(r, i, V::set1(cr[j]), V::set1(ci[j]));
        st(first.re + 2 * j, r);
        st(first.im + 2 * j, i);
    }
    const V z = V::zero();
    for (std::size_t j = 2 * m; j < 2 * bm; ++j) st(first.re + j, z);
    cfft<V>(S, first, B, A, B, extra);
    const T* fr = P.filt_re.data();
    const T* fi = P.filt_im.data();
    for (std::size_t j = 0; j < bm; ++j) {
        V r = ld(B.re + 2 * j), i = ld(B.im + 2 * j);
        cmul(r, i, V::set1(fr[j]), V::set1(fi[j]));
        st(B.re + 2 * j, r);
        st(B.im + 2 * j, i);
    }
    // inverse through swapped re / im
    const CBuf<V> sA{A.im, A.re, 2}, sB{B.im, B.re, 2};
    CBuf<V> R;
    if (k % 2 == 1) {
        cfft<V>(S, sB, sA, sB, sA, extra);
        R = A;
    } else {
        cfft<V>(S, sB, sB, sA, sB, extra);
        R = B;
    }
    for (std::size_t j = 0; j < nout; ++j) {
        V r = ld(R.re + 2 * j), i = ld(R.im + 2 * j);
        cmul(r, i, V::set1(cr[j]), V::set1(ci[j]));
        store(j, r, i);
    }
}

template <class V>
void bluestein(const fft_detail::ComplexPlan<typename V::T>& P, CBuf<V> src, CBuf<V> dst, V* scratch) {
    bluestein_io<V>(
        P,
        [&](std::size_t j, V& r, V& i) {
            r = ld(src.re + j * src.s);
            i = ld(src.im + j * src.s);
        },
        P.m,
        [&](std::size_t j, V r, V i) {
            st(dst.re + j * dst.s, r);
            st(dst.im + j * dst.s, i);
        },
        scratch);
}

// A split plan pays once the direct passes' two ping-pong buffers of m interleaved (re, im)
// packs leave L2 (this many bytes each): below, the passes stream from L2 well enough that the
// split's extra twiddle sweep and per-column calls cost more than they save (cachegrind and
// timings on a 512 KiB-L2 Zen 3: 8 float lanes split from n_fft 8192 up).
constexpr std::size_t kSplitBytes = std::size_t(128) << 10;

static_assert(2 * fft_detail::kSplitOnly * sizeof(float) > kSplitBytes, "kSplitOnly plans must always split");

template <class V>
inline bool use_split(const fft_detail::ComplexPlan<typename V::T>& P) {
    return P.m1 != 0 && (P.passes.empty() || 2 * P.m * sizeof(V) > kSplitBytes);
}

// Four-step: column FFTs (length m1, stride m2) into t0 in place, twiddled; then row FFTs
// (length m2) into dst with stride m1. Both run in two local buffers of m2 elements.
template <class V>
void cfft_split(const fft_detail::ComplexPlan<typename V::T>& P, CBuf<V> src, CBuf<V> dst, CBuf<V> T, V* scratch) {
    using TT = typename V::T;
    const std::size_t m1 = P.m1, m2 = P.m2;
    const CBuf<V> La{scratch, scratch + 1, 2}, Lb{scratch + 2 * m2, scratch + 2 * m2 + 1, 2};
    V* extra = scratch + 4 * m2;
    const TT* twr = P.stw_re.data();
    const TT* twi = P.stw_im.data();
    for (std::size_t t2 = 0; t2 < m2; ++t2) {
        const CBuf<V> col{src.re + t2 * src.s, src.im + t2 * src.s, src.s * m2};
        cfft<V>(*P.sub1, col, La, Lb, La, extra);
        V* tre = T.re + t2 * T.s;
        V* tim = T.im + t2 * T.s;
        const std::size_t ts = T.s * m2;
        if (t2 == 0) {
            for (std::size_t k1 = 0; k1 < m1; ++k1) {
                st(tre + k1 * ts, ld(La.re + 2 * k1));
                st(tim + k1 * ts, ld(La.im + 2 * k1));
            }
            continue;
        }
        const TT* wr = twr + (t2 - 1) * m1;
        const TT* wi = twi + (t2 - 1) * m1;
        for (std::size_t k1 = 0; k1 < m1; ++k1) {
            V r = ld(La.re + 2 * k1), i = ld(La.im + 2 * k1);
            cmul(r, i, V::set1(wr[k1]), V::set1(wi[k1]));
            st(tre + k1 * ts, r);
            st(tim + k1 * ts, i);
        }
    }
    for (std::size_t k1 = 0; k1 < m1; ++k1) {
        const CBuf<V> row{T.re + k1 * m2 * T.s, T.im + k1 * m2 * T.s, T.s};
        const CBuf<V> out{dst.re + k1 * dst.s, dst.im + k1 * dst.s, dst.s * m1};
        cfft<V>(*P.sub2, row, out, La, Lb, extra);
    }
}

// Complex forward DFT of length P.m from src to dst. Intermediate results ping-pong between
// t0 and t1: pass i (0-based, of k) writes dst if i == k - 1, else t0 if (k - 2 - i) is even,
// else t1. So: dst must not overlap t0; src must not overlap what pass 0 writes (t1 when k
// is odd and >= 3, t0 when k is even, dst when k == 1). dst may be t1, src may be the other.
// A Bluestein plan counts as k == 1 and uses scratch (P.scratch_packs packs). A split plan
// reads src, writes t0 (which may be src) and then dst, and uses scratch likewise.
template <class V>
void cfft(const fft_detail::ComplexPlan<typename V::T>& P, CBuf<V> src, CBuf<V> dst, CBuf<V> t0, CBuf<V> t1,
          V* scratch) {
    if (P.bluestein) {
        bluestein<V>(P, src, dst, scratch);
        return;
    }
    if (use_split<V>(P)) {
        cfft_split<V>(P, src, dst, t0, scratch);
        return;
    }
    const std::size_t k = P.passes.size();
    if (k == 0) {  // m == 1
        const V r = ld(src.re), i = ld(src.im);
        st(dst.re, r);
        st(dst.im, i);
        return;
    }
    CBuf<V> cur = src;
    for (std::size_t i = 0; i < k; ++i) {
        const CBuf<V> out = (i == k - 1) ? dst : (((k - 2 - i) % 2 == 0) ? t0 : t1);
        run_pass<V>(P.passes[i], cur, out);
        cur = out;
    }
}

}  // namespace fftk

template <class V>
void rfft_forward(const RealFftPlan<typename V::T>& plan, V* in, V* out_re, V* out_im, V* scratch) {
    using T = typename V::T;
    using fftk::CBuf;
    using fftk::ld;
    using fftk::st;
    const std::size_t n = plan.n();
    const V zero = V::zero();
    if (n == 1) {
        st(out_re, ld(in));
        st(out_im, zero);
        return;
    }
    const fft_detail::ComplexPlan<T>& C = plan.cplan();
    const std::size_t k = C.num_passes();
    if (n % 2 == 0) {
        const std::size_t m = n / 2;
        // z[t] = x[2t] + i x[2t+1] is `in` read as interleaved complex. The passes work
        // on interleaved buffers (in, scratch); the last one writes the split output.
        const CBuf<V> src{in, in + 1, 2}, sc{scratch, scratch + 1, 2};
        const CBuf<V> Z{out_re, out_im, 1};
        if (k % 2 == 1)
            fftk::cfft<V>(C, src, Z, src, sc, scratch + 2 * m);
        else
            fftk::cfft<V>(C, src, Z, sc, src, scratch + 2 * m);
        // post-processing: E = (a + conj b) / 2, O = (a - conj b) / (2i), X[k] = E + w^k O,
        // X[m - k] = conj(E - w^k O).
        const V z0r = ld(Z.re), z0i = ld(Z.im);
        st(out_re, z0r + z0i);
        st(out_im, zero);
        st(out_re + m, z0r - z0i);
        st(out_im + m, zero);
        const T* hr = plan.half_re();
        const T* hi = plan.half_im();
        const V half = V::set1(T(0.5));
        for (std::size_t j = 1, jj = m - 1; j <= jj; ++j, --jj) {
            const V ar = ld(Z.re + j), ai = ld(Z.im + j);
            const V br = ld(Z.re + jj), bi = ld(Z.im + jj);
            const V er = (ar + br) * half, ei = (ai - bi) * half;
            const V ur = ai + bi, ui = br - ar;
            const V wr = V::set1(hr[j]), wi = V::set1(hi[j]);
            const V pr = fnmadd(wi, ui, wr * ur), pi = fmadd(wi, ur, wr * ui);
            st(out_re + j, er + pr);
            st(out_im + j, ei + pi);
            st(out_re + jj, er - pr);
            st(out_im + jj, pi - ei);
        }
    } else if (C.bluestein) {  // real input straight into the chirp, half the outputs
        fftk::bluestein_io<V>(
            C,
            [&](std::size_t j, V& r, V& i) {
                r = ld(in + j);
                i = zero;
            },
            n / 2 + 1,
            [&](std::size_t j, V r, V i) {
                st(out_re + j, r);
                st(out_im + j, i);
            },
            scratch);
        st(out_im, zero);
    } else {
        const CBuf<V> C0{scratch, scratch + 1, 2}, C1{scratch + 2 * n, scratch + 2 * n + 1, 2};
        const CBuf<V> src = (k % 2 == 1) ? C0 : C1;
        for (std::size_t j = 0; j < n; ++j) {
            st(src.re + 2 * j, ld(in + j));
            st(src.im + 2 * j, zero);
        }
        fftk::cfft<V>(C, src, C1, C0, C1, scratch + 4 * n);
        for (std::size_t j = 0; j <= n / 2; ++j) {
            st(out_re + j, ld(C1.re + 2 * j));
            st(out_im + j, ld(C1.im + 2 * j));
        }
        st(out_im, zero);
    }
}

template <class V>
void rfft_inverse(const RealFftPlan<typename V::T>& plan, const V* in_re, const V* in_im, V* out, V* scratch) {
    using T = typename V::T;
    using fftk::CBuf;
    using fftk::ld;
    using fftk::st;
    const std::size_t n = plan.n();
    const V zero = V::zero();
    if (n == 1) {
        st(out, ld(in_re));
        return;
    }
    const fft_detail::ComplexPlan<T>& C = plan.cplan();
    const std::size_t k = C.num_passes();
    if (n % 2 == 0) {
        const std::size_t m = n / 2;
        const CBuf<V> t0{scratch, scratch + 1, 2}, t1{out, out + 1, 2};
        const CBuf<V> S = (k >= 2 && k % 2 == 0) ? t1 : t0;
        // pre-processing: F = a + conj b, G = a - conj b, Q = i conj(w^k) G,
        // Z[k] = F + Q, Z[m - k] = conj(F - Q)
        const V x0 = ld(in_re), xm = ld(in_re + m);
        const std::size_t ss = S.s;
        st(S.re, x0 + xm);
        st(S.im, x0 - xm);
        const T* tr = plan.post_re();
        const T* ti = plan.post_im();
        for (std::size_t j = 1, jj = m - 1; j <= jj; ++j, --jj) {
            const V ar = ld(in_re + j), ai = ld(in_im + j);
            const V br = ld(in_re + jj), bi = ld(in_im + jj);
            const V fr = ar + br, fi = ai - bi;
            const V gr = ar - br, gi = ai + bi;
            const V wr = V::set1(tr[j]), wi = V::set1(ti[j]);
            const V qr = fnmadd(wr, gi, wi * gr), qi = fmadd(wr, gr, wi * gi);
            st(S.re + j * ss, fr + qr);
            st(S.im + j * ss, fi + qi);
            st(S.re + jj * ss, fr - qr);
            st(S.im + jj * ss, qi - fi);
        }
        const CBuf<V> src{S.im, S.re, ss}, dst{out + 1, out, 2};
        const CBuf<V> s0{t0.im, t0.re, 2}, s1{t1.im, t1.re, 2};
        fftk::cfft<V>(C, src, dst, s0, s1, scratch + 2 * m);
    } else if (C.bluestein) {
        // Hermitian extension read on the fly; IDFT(Z) = swap(DFT(swap(Z))), keep Re.
        const std::size_t h = n / 2;
        fftk::bluestein_io<V>(
            C,
            [&](std::size_t j, V& r, V& i) {
                if (j == 0) {
                    r = zero;
                    i = ld(in_re);
                } else if (j <= h) {
                    r = ld(in_im + j);
                    i = ld(in_re + j);
                } else {
                    r = zero - ld(in_im + (n - j));
                    i = ld(in_re + (n - j));
                }
            },
            n, [&](std::size_t j, V, V i) { st(out + j, i); }, scratch);
    } else {
        const CBuf<V> C0{scratch, scratch + 1, 2}, C1{scratch + 2 * n, scratch + 2 * n + 1, 2};
        const CBuf<V> S = (k % 2 == 1) ? C0 : C1;
        st(S.re, ld(in_re));
        st(S.im, zero);
        for (std::size_t j = 1; j <= n / 2; ++j) {
            const V r = ld(in_re + j), i = ld(in_im + j);
            st(S.re + 2 * j, r);
            st(S.im + 2 * j, i);
            st(S.re + 2 * (n - j), r);
            st(S.im + 2 * (n - j), zero - i);
        }
        // dst.re is junk (the imaginary part, ~0), written over the first half of C1
        const CBuf<V> src{S.im, S.re, 2}, dst{C1.re, out, 1};
        const CBuf<V> s0{C0.im, C0.re, 2}, s1{C1.im, C1.re, 2};
        fftk::cfft<V>(C, src, dst, s0, s1, scratch + 4 * n);
    }
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
