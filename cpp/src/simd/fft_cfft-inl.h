// Complex FFTs on packs: Stockham passes, Bluestein's chirp-z, and the executor that picks
// between them (cfft). Part of fft-inl.h (included from there).
#pragma once

#include <cstddef>

#include "cepstra/fft.h"
#include "simd/fft_bfly-inl.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {
namespace fftk {

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

// Complex forward DFT of length P.m from src to dst. Intermediate results ping-pong between
// t0 and t1: pass i (0-based, of k) writes dst if i == k - 1, else t0 if (k - 2 - i) is even,
// else t1. So: dst must not overlap t0; src must not overlap what pass 0 writes (t1 when k
// is odd and >= 3, t0 when k is even, dst when k == 1). dst may be t1, src may be the other.
// A Bluestein plan counts as k == 1 and uses scratch (P.scratch_packs packs).
template <class V>
void cfft(const fft_detail::ComplexPlan<typename V::T>& P, CBuf<V> src, CBuf<V> dst, CBuf<V> t0, CBuf<V> t1,
          V* scratch) {
    if (P.bluestein) {
        bluestein<V>(P, src, dst, scratch);
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
}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
