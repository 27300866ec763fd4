// The pipeline's block kernels, written once against the pack interface of vec.h and compiled
// once per ISA (see kernels_<isa>.cc). Lane l of every pack belongs to frame l of the block, so
// windowing, power, mel and DCT are vertical arithmetic, and an output row (one band over
// consecutive frames) is a contiguous store.
//
// Include after vec.h and fft-inl.h, with CEPSTRA_ISA_NS defined.

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "cepstra/pipeline.h"
#include "cepstra/threads.h"
#include "simd/dbmath.h"
#include "simd/gather-inl.h"
#include "simd/kernels.h"
#include "simd/shuffle.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

// Per-thread scratch (cepstra/threads.h): no allocation per block and O(threads x block)
// memory; buffers above a small cap are released when the call returns, so one odd call (a huge
// n_fft) does not pin memory to each pool thread for the rest of the process. One Scratch at a
// time per thread: the buffer is shared.
template <class V>
class Scratch {
  public:
    explicit Scratch(std::size_t packs) : data_(static_cast<V*>(thread_scratch(packs * sizeof(V)))) {}
    V* data() const { return data_; }

  private:
    V* data_;
};

// Stores the first `count` lanes of a pack (count == W: one full store).
template <class V>
inline void store_partial(typename V::T* dst, V v, int count) {
    if (count == V::W) {
        V::store(dst, v);
        return;
    }
    alignas(64) typename V::T tmp[V::W];
    V::store(tmp, v);
    for (int l = 0; l < count; ++l) dst[l] = tmp[l];
}

template <class V>
void power_spectrum(V* re, const V* im, index_t nb, double power) {
    using T = typename V::T;
    if (power == 2.0) {
        for (index_t k = 0; k < nb; ++k) re[k] = fmadd(re[k], re[k], im[k] * im[k]);
    } else if (power == 1.0) {
        for (index_t k = 0; k < nb; ++k) re[k] = vsqrt(fmadd(re[k], re[k], im[k] * im[k]));
    } else {
        for (index_t k = 0; k < nb; ++k) {
            re[k] = vsqrt(fmadd(re[k], re[k], im[k] * im[k]));
            T* r = lanes(&re[k]);
            for (int l = 0; l < V::W; ++l) r[l] = T(std::pow(r[l], T(power)));
        }
    }
}

// Each band's sum runs over its bins in order (so the bits never depend on how bands are
// grouped), but four bands advance together: one FMA chain per band would wait on the FMA
// latency at every bin, and that wait was half the time of this stage.
template <class V>
void mel_project(const SparseFilterbank<typename V::T>& bank, const V* spec, V* mel) {
    using T = typename V::T;
    const index_t n_out = bank.n_out;
    index_t m = 0;
    for (; m + 4 <= n_out; m += 4) {
        const T* w[4];
        const V* s[4];
        index_t c[4];
        V acc[4];
        for (int q = 0; q < 4; ++q) {
            w[q] = bank.weights.data() + bank.offset[m + q];  // empty bands: offset == size
            s[q] = spec + bank.first[m + q];
            c[q] = bank.count[m + q];
            acc[q] = V::zero();
        }
        const index_t common = std::min(std::min(c[0], c[1]), std::min(c[2], c[3]));
        for (index_t j = 0; j < common; ++j)
            for (int q = 0; q < 4; ++q) acc[q] = fmadd(V::set1(w[q][j]), s[q][j], acc[q]);
        for (int q = 0; q < 4; ++q) {
            for (index_t j = common; j < c[q]; ++j) acc[q] = fmadd(V::set1(w[q][j]), s[q][j], acc[q]);
            mel[m + q] = acc[q];
        }
    }
    for (; m < n_out; ++m) {
        const T* w = bank.weights.data() + bank.offset[m];
        const V* s = spec + bank.first[m];
        V acc = V::zero();
        const index_t c = bank.count[m];
        for (index_t j = 0; j < c; ++j) acc = fmadd(V::set1(w[j]), s[j], acc);
        mel[m] = acc;
    }
}

// out row k = sum_j M[k, j] db[j] for k < n_out, each row summed in j order; four rows advance
// together for the same reason as mel_project's bands.
template <class V>
void dct_rows(const typename V::T* M, index_t n_out, index_t n_in, const V* db, typename V::T* out, index_t F,
              int count) {
    index_t k = 0;
    for (; k + 4 <= n_out; k += 4) {
        V acc[4] = {V::zero(), V::zero(), V::zero(), V::zero()};
        for (index_t j = 0; j < n_in; ++j) {
            const V d = db[j];
            for (int q = 0; q < 4; ++q) acc[q] = fmadd(V::set1(M[(k + q) * n_in + j]), d, acc[q]);
        }
        for (int q = 0; q < 4; ++q) store_partial<V>(out + (k + q) * F, acc[q], count);
    }
    for (; k < n_out; ++k) {
        const typename V::T* row = M + k * n_in;
        V acc = V::zero();
        for (index_t j = 0; j < n_in; ++j) acc = fmadd(V::set1(row[j]), db[j], acc);
        store_partial<V>(out + k * F, acc, count);
    }
}

// Frames per STFT staging run (a multiple of every pack width).
constexpr index_t kStftStage = 64;

template <class V>
void spectral_frames(const SpectralPlan<typename V::T>& P, const FrameLayout& L, const typename V::T* x, index_t stride,
                     index_t f0, index_t f1, void* out_v, index_t out_stride, index_t out_f0, typename V::T clip,
                     typename V::T* min_db, typename V::T* max_db) {
    using T = typename V::T;
    constexpr int W = V::W;
    const index_t n_fft = P.n_fft, nb = P.n_bins(), F = out_stride;
    const index_t n_mels = P.mel ? P.mel->n_out : 0;
    // A one-lane pack is the large-transform path (large-inl.h): no staging beyond one frame.
    constexpr index_t kStage = W == 1 ? 1 : kStftStage;
    const std::size_t stage_packs = P.stage == Stage::Stft ? std::size_t((2 * nb * kStage + W - 1) / W) : 0;
    // One pack per window sample stages the edge blocks' frames (gather_frames); the one-lane
    // large-transform path gathers in place.
    const std::size_t row_packs = W == 1 ? 0 : std::size_t(P.win_hi - P.win_lo);
    const std::size_t need =
        std::size_t(n_fft + 2 * nb + P.fft->scratch_elems() + 2 * n_mels + 1) + stage_packs + row_packs;
    Scratch<V> scratch(need);
    V* time = scratch.data();
    V* re = time + n_fft;
    V* im = re + nb;
    V* fscr = im + nb;
    V* mel = fscr + P.fft->scratch_elems();
    V* db = mel + n_mels;
    std::complex<T>* stage = reinterpret_cast<std::complex<T>*>(db + n_mels + 1);
    T* rows = row_packs ? lanes(db + n_mels + 1 + stage_packs) : nullptr;
    index_t stage_f0 = f0;
    T hi_db = -std::numeric_limits<T>::infinity();

    for (index_t fb = f0; fb < f1; fb += W) {
        const int count = int(std::min<index_t>(W, f1 - fb));
        gather_frames<V>(P, L, x, stride, fb, count, time, rows);
        rfft_forward<V>(*P.fft, time, re, im, fscr);
        if (P.stage == Stage::Stft) {
            // Stage kStftStage frames, then copy each bin's run out in one piece: the output has
            // one row per bin, so block-by-block stores would touch n_fft/2+1 far-apart lines
            // per block; longer contiguous runs are far kinder to the memory system.
            const index_t col = fb - stage_f0;
            for (index_t k = 0; k < nb; ++k) {
                std::complex<T>* o = stage + k * kStage + col;
                if (count == W) {
                    store_interleaved(reinterpret_cast<T*>(o), re[k], im[k]);
                    continue;
                }
                const T* r = lanes(&re[k]);
                const T* i = lanes(&im[k]);
                for (int l = 0; l < count; ++l) o[l] = std::complex<T>(r[l], i[l]);
            }
            const index_t filled = col + count;
            if (filled == kStage || fb + count >= f1) {
                std::complex<T>* out = static_cast<std::complex<T>*>(out_v) + (stage_f0 - out_f0);
                for (index_t k = 0; k < nb; ++k)
                    std::copy(stage + k * kStage, stage + k * kStage + filled, out + k * F);
                stage_f0 += filled;
            }
            continue;
        }
        power_spectrum<V>(re, im, nb, P.power);
        mel_project<V>(*P.mel, re, mel);
        T* out = static_cast<T*>(out_v) + (fb - out_f0);
        if (P.stage == Stage::Mel) {
            for (index_t m = 0; m < n_mels; ++m) store_partial<V>(out + m * F, mel[m], count);
            continue;
        }
        // Mfcc. Lanes past `count` hold silent frames, whose dB value (that of amin) is the
        // lowest possible: it cannot raise the maximum, and lowering the minimum only makes
        // phase 2 recompute a block whose floor then changes nothing.
        to_db(lanes(mel), n_mels * W, T(P.amin), T(P.ref_db));
        const V vclip = V::set1(clip);
        V vmx = V::set1(hi_db), vneg_mn = V::set1(-std::numeric_limits<T>::infinity()), vbad = V::zero();
        for (index_t m = 0; m < n_mels; ++m) {
            vmx = vmax(vmx, mel[m]);
            vneg_mn = vmax(vneg_mn, V::zero() - mel[m]);
            vbad = vbad + (mel[m] - mel[m]);  // 0, or NaN once a value is inf or NaN
            db[m] = vmax(vclip, mel[m]);  // vmax returns its second operand for NaN: kept
        }
        {
            alignas(64) T a[W], b[W], bad[W];
            V::store(a, vmx);
            V::store(b, vneg_mn);
            V::store(bad, vbad);
            T block_lo = std::numeric_limits<T>::infinity();
            for (int l = 0; l < W; ++l) {
                hi_db = std::max(hi_db, a[l]);
                block_lo = std::min(block_lo, -b[l]);
                // An overflowed (inf) or NaN dB value: librosa's floor max(dB) - top_db is then
                // inf or NaN, which makes every output of the signal non-finite. Reporting an
                // infinite maximum makes the caller's phase 2 do the same (clip = inf).
                if (l < count && bad[l] != T(0)) hi_db = std::numeric_limits<T>::infinity();
            }
            if (min_db) min_db[(fb - f0) / W] = block_lo;
        }
        dct_rows<V>(P.dct.data(), P.n_out, n_mels, db, out, F, count);
    }
    if (max_db) *max_db = hi_db;
}

// The packs of inverse real FFTs: spectrum (re, im), time samples and the FFT's own scratch.
template <class V>
struct InverseFftPacks {
    explicit InverseFftPacks(const RealFftPlan<typename V::T>& fft)
        : nb(index_t(fft.n()) / 2 + 1), scratch(std::size_t(2 * nb + index_t(fft.n()) + index_t(fft.scratch_elems()))) {
        re = scratch.data();
        im = re + nb;
        time = im + nb;
        scr = time + index_t(fft.n());
    }
    index_t nb;
    Scratch<V> scratch;
    V *re, *im, *time, *scr;
};

template <class V>
void istft_signal(const RealFftPlan<typename V::T>& fft, const std::complex<typename V::T>* spec, index_t n_frames,
                  const typename V::T* window, index_t hop, index_t start, index_t out_len, typename V::T* y) {
    using T = typename V::T;
    constexpr int W = V::W;
    const index_t n = index_t(fft.n());
    InverseFftPacks<V> packs(fft);
    const index_t nb = packs.nb;
    V *re = packs.re, *im = packs.im, *time = packs.time, *scr = packs.scr;
    for (index_t fb = 0; fb < n_frames; fb += W) {
        const int count = int(std::min<index_t>(W, n_frames - fb));
        for (index_t k = 0; k < nb; ++k) {
            T* r = lanes(&re[k]);
            T* i = lanes(&im[k]);
            const std::complex<T>* s = spec + k * n_frames + fb;
            for (int l = 0; l < W; ++l) {
                const std::complex<T> c = l < count ? s[l] : std::complex<T>(0, 0);
                r[l] = c.real();
                i[l] = c.imag();
            }
        }
        rfft_inverse<V>(fft, re, im, time, scr);
        const T* t = lanes(time);
        for (int l = 0; l < count; ++l) {
            const index_t base = (fb + l) * hop - start;
            const index_t i0 = std::max<index_t>(0, -base), i1 = std::min<index_t>(n, out_len - base);
            for (index_t i = i0; i < i1; ++i) y[base + i] += t[i * W + l] * window[i];
        }
    }
}

template <class V>
void rfft_rows(const RealFftPlan<typename V::T>& fft, const typename V::T* in, index_t rows,
               std::complex<typename V::T>* out) {
    using T = typename V::T;
    constexpr int W = V::W;
    const index_t n = index_t(fft.n()), nb = n / 2 + 1;
    Scratch<V> scratch(std::size_t(n + 2 * nb + fft.scratch_elems()));
    V* time = scratch.data();
    V* re = time + n;
    V* im = re + nb;
    V* scr = im + nb;
    V tr[W], ti[W];
    for (index_t r0 = 0; r0 < rows; r0 += W) {
        const int count = int(std::min<index_t>(W, rows - r0));
        T* t = lanes(time);
        index_t i = 0;
        if (count == W)
            for (; i + W <= n; i += W) load_transposed(in + r0 * n + i, n, time + i);
        for (; i < n; ++i)
            for (int l = 0; l < W; ++l) t[i * W + l] = l < count ? in[(r0 + l) * n + i] : T(0);
        rfft_forward<V>(fft, time, re, im, scr);
        index_t k = 0;
        if (count == W) {
            for (; k + W <= nb; k += W) {
                load_transposed(lanes(&re[k]), W, tr);
                load_transposed(lanes(&im[k]), W, ti);
                for (int l = 0; l < W; ++l)
                    store_interleaved(reinterpret_cast<T*>(out + (r0 + l) * nb + k), tr[l], ti[l]);
            }
        }
        for (int l = 0; l < count; ++l) {
            std::complex<T>* o = out + (r0 + l) * nb;
            for (index_t kk = k; kk < nb; ++kk) o[kk] = std::complex<T>(lanes(&re[kk])[l], lanes(&im[kk])[l]);
        }
    }
}

template <class V>
void irfft_rows(const RealFftPlan<typename V::T>& fft, const std::complex<typename V::T>* in, index_t rows,
                typename V::T* out) {
    using T = typename V::T;
    constexpr int W = V::W;
    const index_t n = index_t(fft.n());
    InverseFftPacks<V> packs(fft);
    const index_t nb = packs.nb;
    V *re = packs.re, *im = packs.im, *time = packs.time, *scr = packs.scr;
    const T scale = T(1.0 / double(n));
    for (index_t r0 = 0; r0 < rows; r0 += W) {
        const int count = int(std::min<index_t>(W, rows - r0));
        for (index_t k = 0; k < nb; ++k) {
            T* r = lanes(&re[k]);
            T* i = lanes(&im[k]);
            for (int l = 0; l < W; ++l) {
                const std::complex<T> c = l < count ? in[(r0 + l) * nb + k] : std::complex<T>(0, 0);
                r[l] = c.real();
                i[l] = c.imag();
            }
        }
        rfft_inverse<V>(fft, re, im, time, scr);
        const T* t = lanes(time);
        for (int l = 0; l < count; ++l)
            for (index_t i = 0; i < n; ++i) out[(r0 + l) * n + i] = t[i * W + l] * scale;
    }
}

// x * 0 is 0 for finite x and NaN for inf or NaN, so one accumulated sum tells them apart
// without comparisons or a mask the size of the signal.
template <class V>
bool all_finite(const typename V::T* x, index_t rows, index_t n, index_t row_stride, index_t stride) {
    using T = typename V::T;
    constexpr int W = V::W;
    // Four chains: one would wait on the FMA latency at every pack.
    V acc0 = V::zero(), acc1 = V::zero(), acc2 = V::zero(), acc3 = V::zero();
    T sacc = T(0);
    const V zero = V::zero();
    for (index_t r = 0; r < rows; ++r) {
        const T* row = x + r * row_stride;
        index_t i = 0;
        if (stride == 1) {
            for (; i + 4 * W <= n; i += 4 * W) {
                acc0 = fmadd(V::load(row + i), zero, acc0);
                acc1 = fmadd(V::load(row + i + W), zero, acc1);
                acc2 = fmadd(V::load(row + i + 2 * W), zero, acc2);
                acc3 = fmadd(V::load(row + i + 3 * W), zero, acc3);
            }
        }
        for (; i < n; ++i) sacc += row[i * stride] * T(0);
    }
    alignas(64) T lanes0[W];
    V::store(lanes0, (acc0 + acc1) + (acc2 + acc3));
    for (int l = 0; l < W; ++l) sacc += lanes0[l];
    return sacc == T(0);
}

// dbmath's vectorised log instead of a libm call per value (which made power_to_db cost half a
// mel spectrogram); chunks keep the squared copy in cache for the log pass.
template <class V>
void db_values(const typename V::T* x, index_t n, typename V::T* out, typename V::T amin, typename V::T ref_db,
               bool square) {
    constexpr index_t kChunk = 4096;
    for (index_t i0 = 0; i0 < n; i0 += kChunk) {
        const index_t m = std::min(kChunk, n - i0);
        const typename V::T* a = x + i0;
        typename V::T* o = out + i0;
        if (square) {
            for (index_t i = 0; i < m; ++i) o[i] = a[i] * a[i];
        } else if (o != a) {
            std::copy(a, a + m, o);
        }
        to_db(o, m, amin, ref_db);
    }
}

template <class V>
KernelFns<typename V::T> make_fns() {
    KernelFns<typename V::T> k;
    k.lanes = V::W;
    k.spectral_frames = &spectral_frames<V>;
    k.istft_signal = &istft_signal<V>;
    k.rfft_rows = &rfft_rows<V>;
    k.irfft_rows = &irfft_rows<V>;
    k.all_finite = &all_finite<V>;
    k.db_values = &db_values<V>;
    k.rfft_packs = [](const RealFftPlan<typename V::T>& fft, typename V::T* in, typename V::T* re, typename V::T* im,
                      typename V::T* scratch) {
        rfft_forward<V>(fft, reinterpret_cast<V*>(in), reinterpret_cast<V*>(re), reinterpret_cast<V*>(im),
                        reinterpret_cast<V*>(scratch));
    };
    return k;
}

inline KernelTable make_table(const char* name) { return KernelTable{name, make_fns<VF>(), make_fns<VD>()}; }

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
