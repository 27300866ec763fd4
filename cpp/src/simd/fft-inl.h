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
#include "simd/fft_bfly-inl.h"
#include "simd/fft_cfft-inl.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

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
