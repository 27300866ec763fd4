// Kaldi fbank / MFCC block kernel, written once against the pack interface of vec.h and compiled
// once per ISA. Lane l of every pack is frame l of the block (as in kernels-inl.h): DC removal,
// energy, preemphasis, window, power, mel and DCT are vertical arithmetic. The output is
// time-major, so each block's packs (one per output column) are written out transposed.
//
// Include after vec.h, fft-inl.h and kernels-inl.h (it uses Scratch, lanes, mel_project and
// dbmath.h's ln_positive),
// with CEPSTRA_ISA_NS defined.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "cepstra/kaldi.h"
#include "simd/kaldi_kernels.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

template <class V>
void kaldi_frames(const KaldiPlan<typename V::T>& P, const typename V::T* x, index_t n, index_t stride, index_t f0,
                  index_t f1, std::uint64_t key, typename V::T* out, index_t out_f0) {
    using T = typename V::T;
    constexpr int W = V::W;
    const KaldiOptions& o = P.opts;
    const index_t win = P.win, padded = P.padded, nb = padded / 2 + 1;
    const index_t n_mels = o.num_mel_bins, n_out = P.n_out;
    const index_t n_dct = index_t(P.dct_col.size());
    const std::size_t fscr_n = P.fft->scratch_elems();
    Scratch<V> scratch(std::size_t(padded + 2 * nb + n_mels + n_out) + fscr_n);
    V* time = scratch.data();
    V* re = time + padded;
    V* im = re + nb;
    V* mel = im + nb;
    V* res = mel + n_mels;
    V* fscr = res + n_out;
    T* t = lanes(time);
    const T* w = P.window.data();
    // Kaldi floors with FLT_EPSILON whatever the precision.
    const T eps = T(std::numeric_limits<float>::epsilon());
    const V veps = V::set1(eps);
    const bool is_mfcc = o.mfcc;
    const bool use_log = is_mfcc || o.use_log_fbank;
    const bool magnitude = !is_mfcc && !o.use_power;
    const V pre = V::set1(T(o.preemphasis_coefficient));
    const bool rect = o.window_type == KaldiWindow::Rectangular;

    for (index_t fb = f0; fb < f1; fb += W) {
        const int count = int(std::min<index_t>(W, f1 - fb));
        // 1. gather (Kaldi's ExtractWindow: reflection at both ends when !snip_edges) + dither
        for (int l = 0; l < count; ++l) {
            const index_t f = fb + l;
            const index_t s = P.frame_start(f);
            if (s >= 0 && s + win <= n) {
                const T* src = x + s * stride;
                if (stride == 1) {
                    for (index_t i = 0; i < win; ++i) t[i * W + l] = src[i];
                } else {
                    for (index_t i = 0; i < win; ++i) t[i * W + l] = src[i * stride];
                }
            } else {
                for (index_t i = 0; i < win; ++i) {
                    index_t j = s + i;
                    while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - 1 - j;
                    t[i * W + l] = x[j * stride];
                }
            }
            if (o.dither != 0.0) kaldi_dither_frame<T>(key, f, win, o.dither, t + l, W);
        }
        if (count < W)
            for (index_t i = 0; i < win; ++i)
                for (int l = count; l < W; ++l) t[i * W + l] = T(0);
        // 2. remove the DC offset
        if (o.remove_dc_offset) {
            V sum = V::zero();
            for (index_t i = 0; i < win; ++i) sum = sum + time[i];
            T* s = lanes(&sum);
            for (int l = 0; l < W; ++l) s[l] = s[l] / T(win);
            for (index_t i = 0; i < win; ++i) time[i] = time[i] - sum;
        }
        // 3. raw energy (before preemphasis and window)
        V energy = V::zero();
        if (P.need_energy && o.raw_energy)
            for (index_t i = 0; i < win; ++i) energy = fmadd(time[i], time[i], energy);
        // 4. preemphasis inside the frame
        if (o.preemphasis_coefficient != 0.0) {
            for (index_t i = win - 1; i > 0; --i) time[i] = fnmadd(pre, time[i - 1], time[i]);
            time[0] = fnmadd(pre, time[0], time[0]);
        }
        // 5. window, zero padding
        if (!rect)
            for (index_t i = 0; i < win; ++i) time[i] = time[i] * V::set1(w[i]);
        for (index_t i = win; i < padded; ++i) time[i] = V::zero();
        if (P.need_energy && !o.raw_energy)
            for (index_t i = 0; i < win; ++i) energy = fmadd(time[i], time[i], energy);
        // 6. spectrum (bins 0 .. padded/2 - 1: Nyquist is not used)
        rfft_forward<V>(*P.fft, time, re, im, fscr);
        const index_t used = padded / 2;
        if (magnitude) {
            for (index_t k = 0; k < used; ++k) re[k] = vsqrt(fmadd(re[k], re[k], im[k] * im[k]));
        } else {
            for (index_t k = 0; k < used; ++k) re[k] = fmadd(re[k], re[k], im[k] * im[k]);
        }
        re[used] = V::zero();
        // 7. mel banks, log
        mel_project<V>(*P.mel, re, mel);
        // (ln_positive from simd/dbmath.h: a branch-free log the compiler vectorises, ~1 ulp;
        // its argument is at least FLT_EPSILON, a normal number)
        if (use_log) {
            for (index_t m = 0; m < n_mels; ++m) mel[m] = vmax(mel[m], veps);
            T* v = lanes(mel);
            const index_t nv = n_mels * W;
            for (index_t i = 0; i < nv; ++i) v[i] = ln_positive(v[i]);
        }
        // 8. log energy
        if (P.need_energy) {
            energy = vmax(energy, veps);
            T* e = lanes(&energy);
            for (int l = 0; l < W; ++l) {
                e[l] = ln_positive(e[l]);
                if (P.has_energy_floor) e[l] = std::max(e[l], P.log_energy_floor);
            }
            res[P.energy_col] = energy;
        }
        // 9. output columns
        if (!is_mfcc) {
            for (index_t m = 0; m < n_mels; ++m) res[P.mel_col0 + m] = mel[m];
        } else {
            const T* D = P.dct.data();
            for (index_t r = 0; r < n_dct; ++r) {
                const T* row = D + r * n_mels;
                V acc = V::zero();
                for (index_t j = 0; j < n_mels; ++j) acc = fmadd(V::set1(row[j]), mel[j], acc);
                res[P.dct_col[std::size_t(r)]] = acc;
            }
        }
        const T* rv = lanes(res);
        for (int l = 0; l < count; ++l) {
            T* o_row = out + (fb + l - out_f0) * n_out;
            for (index_t c = 0; c < n_out; ++c) o_row[c] = rv[c * W + l];
        }
    }
}

inline KaldiKernelTable make_kaldi_table() {
    KaldiKernelTable t;
    t.f32.frames = &kaldi_frames<VF>;
    t.f64.frames = &kaldi_frames<VD>;
    return t;
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
