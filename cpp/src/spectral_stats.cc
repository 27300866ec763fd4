// Spectral descriptors from blocks of STFT frames; frame RMS and zero crossings.
#include "cepstra/spectral_stats.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>

#include "cepstra/threads.h"
#include "simd/kernels.h"

namespace cepstra {

namespace {

// Frames per task (and per STFT block): the block's spectrum stays in the core's cache.
constexpr index_t kBlock = 32;

// Reduces the magnitudes of a block (mag[b * nf + j]: bin b of frame j, already rounded to S,
// librosa's spectrogram dtype) to the requested rows of out. Loops run over bins outside and
// frames inside, so every per-frame sum keeps librosa's bin order and vectorises across frames.
template <class S>
void reduce_block(const SpectralStatsSpec& spec, const double* mag, index_t bins, index_t nf, double* out,
                  index_t out_stride) {
    const double* f = spec.freq.data();
    double L[kBlock] = {}, C[kBlock] = {}, B[kBlock] = {};
    index_t row = 0;
    if (spec.stats & (kStatCentroid | kStatBandwidth)) {
        for (index_t b = 0; b < bins; ++b) {
            const double* m = mag + b * nf;
            const double fb = f[b];
            for (index_t j = 0; j < nf; ++j) {
                L[j] += m[j];
                C[j] += fb * m[j];
            }
        }
        // librosa.util.normalize leaves a column whose sum is below tiny(S) unnormalised.
        const double tiny = double(std::numeric_limits<S>::min());
        for (index_t j = 0; j < nf; ++j) {
            if (!(L[j] >= tiny)) L[j] = 1.0;
            C[j] /= L[j];
        }
        if (spec.stats & kStatCentroid) {
            std::copy(C, C + nf, out + row * out_stride);
            ++row;
        }
        if (spec.stats & kStatBandwidth) {
            for (index_t b = 0; b < bins; ++b) {
                const double* m = mag + b * nf;
                const double fb = f[b];
                for (index_t j = 0; j < nf; ++j) {
                    const double d = fb - C[j];
                    B[j] += m[j] * (d * d);
                }
            }
            double* o = out + row * out_stride;
            for (index_t j = 0; j < nf; ++j) o[j] = std::sqrt(B[j] / L[j]);
            ++row;
        }
    }
    if (spec.stats & kStatRolloff) {
        // np.cumsum in S; threshold S(roll_percent) * total in S; the first bin reaching it
        // (librosa's nanmin over the qualifying bins' frequencies, for increasing frequencies).
        S total[kBlock] = {};
        for (index_t b = 0; b < bins; ++b) {
            const double* m = mag + b * nf;
            for (index_t j = 0; j < nf; ++j) total[j] += S(m[j]);
        }
        double* o = out + row * out_stride;
        for (index_t j = 0; j < nf; ++j) {
            const S thr = S(spec.roll_percent) * total[j];
            S cum = S(0);
            index_t b = 0;
            for (; b < bins; ++b) {
                cum += S(mag[b * nf + j]);
                if (cum >= thr) break;
            }
            double best = std::numeric_limits<double>::quiet_NaN();
            if (b < bins) {
                best = f[b];
                for (index_t q = b + 1; q < bins; ++q) best = std::min(best, f[q]);
            }
            o[j] = best;
        }
        ++row;
    }
    if (spec.stats & kStatFlatness) {
        // sum(log x) as the log of a running product kept in [0.5, 1) by frexp every 8 bins
        // (x lies in [amin, |X|max^2], so 8 factors cannot overflow a double): one log per frame.
        const S amin = S(spec.amin);
        double prod[kBlock], ar[kBlock] = {};
        long expo[kBlock] = {};
        std::fill(prod, prod + nf, 1.0);
        for (index_t b = 0; b < bins; ++b) {
            const double* m = mag + b * nf;
            for (index_t j = 0; j < nf; ++j) {
                const S mj = S(m[j]);
                const S x = std::max(amin, S(mj * mj));
                prod[j] *= double(x);
                ar[j] += double(x);
            }
            if ((b & 7) == 7 || b == bins - 1) {
                for (index_t j = 0; j < nf; ++j) {
                    int e = 0;
                    prod[j] = std::frexp(prod[j], &e);
                    expo[j] += e;
                }
            }
        }
        double* o = out + row * out_stride;
        const double ln2 = 0.69314718055994530942;
        for (index_t j = 0; j < nf; ++j) {
            const double mean_log = (std::log(prod[j]) + double(expo[j]) * ln2) / double(bins);
            const S gmean = std::exp(S(mean_log));
            const S amean = S(ar[j] / double(bins));
            o[j] = double(S(gmean / amean));
        }
        ++row;
    }
}

// numpy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src) in T.
template <class T>
T pairwise_sum_sq(const T* a, index_t n) {
    if (n < 8) {
        T res = T(0);
        for (index_t i = 0; i < n; ++i) res += a[i] * a[i];
        return res;
    }
    if (n <= 128) {
        T r[8];
        for (int j = 0; j < 8; ++j) r[j] = a[j] * a[j];
        index_t i = 8;
        for (; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; ++j) r[j] += a[i + j] * a[i + j];
        T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) res += a[i] * a[i];
        return res;
    }
    index_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum_sq(a, n2) + pairwise_sum_sq(a + n2, n - n2);
}

}  // namespace

index_t SpectralStatsSpec::n_stats() const {
    index_t k = 0;
    for (unsigned bit = 1; bit <= kStatFlatness; bit <<= 1)
        if (stats & bit) ++k;
    return k;
}

template <class T>
void run_spectral_stats(const SpectralPlan<T>& plan, const SpectralStatsSpec& spec,
                        const std::vector<SignalBatch<T>>& items, const std::vector<double*>& outs) {
    require(plan.stage == Stage::Stft, "spectral stats need an STFT plan");
    require(items.size() == outs.size(), "one output per item");
    const index_t bins = plan.n_bins();
    require(index_t(spec.freq.size()) == bins, "freq must have n_fft/2 + 1 values");
    const index_t K = spec.n_stats();
    require(K >= 1, "no statistic requested");
    const std::size_t n_items = items.size();
    std::vector<FrameLayout> layouts;
    std::vector<index_t> chunks(n_items), first(n_items + 1, 0);
    for (std::size_t i = 0; i < n_items; ++i) {
        layouts.push_back(make_frame_layout(items[i].length, plan.n_fft, plan.hop, plan.center, plan.pad));
        chunks[i] = (layouts[i].n_frames + kBlock - 1) / kBlock;
        first[i + 1] = checked_add(first[i], checked_mul(items[i].count, chunks[i], "task count"), "task count");
    }
    const KernelFns<T>& k = active_kernels().fns<T>();
    const T no_clip = -std::numeric_limits<T>::infinity();
    parallel_for(first[n_items], [&](index_t task) {
        const std::size_t i = std::size_t(std::upper_bound(first.begin(), first.end(), task) - first.begin() - 1);
        const SignalBatch<T>& sig = items[i];
        const index_t local = task - first[i], row = local / chunks[i], c = local % chunks[i];
        const index_t F = layouts[i].n_frames;
        const index_t f0 = c * kBlock, f1 = std::min(F, f0 + kBlock), nf = f1 - f0;
        thread_local std::vector<std::complex<T>> spec_buf;
        thread_local std::vector<double> mag;
        spec_buf.resize(std::size_t(bins * nf));
        mag.resize(std::size_t(bins * nf));
        k.spectral_frames(plan, layouts[i], sig.x + row * sig.batch_stride, sig.stride, f0, f1, spec_buf.data(), nf, f0,
                          no_clip, nullptr, nullptr);
        const std::size_t total = spec_buf.size();
        if (spec.float_magnitudes) {
            for (std::size_t e = 0; e < total; ++e) {
                const double re = double(float(spec_buf[e].real())), im = double(float(spec_buf[e].imag()));
                mag[e] = double(float(std::sqrt(re * re + im * im)));
            }
        } else {
            for (std::size_t e = 0; e < total; ++e) {
                const double re = double(spec_buf[e].real()), im = double(spec_buf[e].imag());
                mag[e] = double(T(std::sqrt(re * re + im * im)));
            }
        }
        double* o = outs[i] + row * K * F + f0;
        if (spec.float_magnitudes || sizeof(T) == sizeof(float))
            reduce_block<float>(spec, mag.data(), bins, nf, o, F);
        else
            reduce_block<double>(spec, mag.data(), bins, nf, o, F);
    });
}

template <class T>
void run_frame_rms(const T* y, index_t rows, index_t n, index_t frame_length, index_t hop, T* out) {
    require(frame_length >= 1 && hop >= 1 && n >= frame_length, "signal shorter than frame_length");
    const index_t F = 1 + (n - frame_length) / hop;
    const index_t per = 256;  // frames per task
    const index_t chunks = (F + per - 1) / per;
    parallel_for(checked_mul(rows, chunks, "task count"), [&](index_t t) {
        const index_t r = t / chunks, f0 = (t % chunks) * per, f1 = std::min(F, f0 + per);
        const T* x = y + r * n;
        for (index_t f = f0; f < f1; ++f) {
            const T s = pairwise_sum_sq(x + f * hop, frame_length);
            out[r * F + f] = std::sqrt(s / T(frame_length));
        }
    });
}

template <class T>
void run_frame_crossings(const T* y, index_t rows, index_t n, index_t frame_length, index_t hop, T threshold,
                         double* out) {
    require(frame_length >= 1 && hop >= 1 && n >= frame_length, "signal shorter than frame_length");
    const index_t F = 1 + (n - frame_length) / hop;
    parallel_for(rows, [&](index_t r) {
        const T* x = y + r * n;
        // neg[i]: the sample's sign bit after |x| <= threshold is clipped to +0 (librosa's
        // stencil); then the crossings of each frame.
        std::vector<std::uint8_t> neg(static_cast<std::size_t>(n));
        for (index_t i = 0; i < n; ++i) {
            const T v = x[i];
            // for threshold >= 0, v < -threshold already means a set sign bit
            neg[i] = std::uint8_t(threshold >= T(0) ? v < -threshold : ((v < -threshold) & std::signbit(v)));
        }
        // Crossings inside frame f: pairs (i-1, i) for i in (s, s + frame_length), s = f * hop.
        // Consecutive overlapping frames differ by the pairs that slide out and in (exact
        // integers), so the whole signal costs O(n) without a prefix array.
        auto cross = [&](index_t i) { return index_t(neg[std::size_t(i)] ^ neg[std::size_t(i - 1)]); };
        auto direct = [&](index_t s) {
            index_t c = 0;
            for (index_t i = s + 1; i < s + frame_length; ++i) c += cross(i);
            return c;
        };
        if (hop >= frame_length) {
            for (index_t f = 0; f < F; ++f) out[r * F + f] = double(direct(f * hop));
        } else {
            index_t c = direct(0);
            out[r * F] = double(c);
            for (index_t f = 1; f < F; ++f) {
                const index_t s = (f - 1) * hop;
                for (index_t i = s + 1; i <= s + hop; ++i) c -= cross(i);
                for (index_t i = s + frame_length; i < s + frame_length + hop; ++i) c += cross(i);
                out[r * F + f] = double(c);
            }
        }
    });
}

#define CEPSTRA_INSTANTIATE(T)                                                                            \
    template void run_spectral_stats<T>(const SpectralPlan<T>&, const SpectralStatsSpec&,                 \
                                        const std::vector<SignalBatch<T>>&, const std::vector<double*>&); \
    template void run_frame_rms<T>(const T*, index_t, index_t, index_t, index_t, T*);                     \
    template void run_frame_crossings<T>(const T*, index_t, index_t, index_t, index_t, T, double*);
CEPSTRA_INSTANTIATE(float)
CEPSTRA_INSTANTIATE(double)
#undef CEPSTRA_INSTANTIATE

}  // namespace cepstra
