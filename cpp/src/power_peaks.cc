// Power spectrogram plus piptrack peaks, block by block (see cepstra/power_peaks.h).
#include "cepstra/power_peaks.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include "cepstra/threads.h"
#include "simd/kernels.h"
#include "simd/spectral_reduce.h"

namespace cepstra {

namespace {

constexpr index_t kBlock = 32;

// Arithmetic of librosa's numba stencil (_pi_stencil) for S = float: the neighbours' sum and
// difference are float32, the rest float64 (numba promotes int64 * float32 to float64).
template <class S>
S parabolic_shift(S lo, S mid, S hi) {
    const double a = double(S(hi + lo)) - 2.0 * double(mid);
    const double b = double(S(hi - lo)) / 2.0;
    if (std::fabs(b) >= std::fabs(a)) return S(0);
    return S(-b / a);
}

template <class S>
void block_peaks(const PeakSpec& spec, index_t n_fft, const S* p, index_t bins, index_t nf, std::vector<S>& pitch,
                 std::vector<S>& mag) {
    // p[b * nf + j]: power of bin b, frame j. Loops run over bins outside and the block's frames
    // inside (contiguous). The peaks' order (bin-major per block) is fixed: the median and the
    // histogram that use them do not depend on it, and it does not depend on the thread count.
    // np.fft.rfftfreq(n_fft, d=1/sr): bin b at b * (1 / (n_fft * (1/sr))), librosa's frequencies
    const double step = 1.0 / (double(n_fft) * (1.0 / spec.sr));
    const double fmin = std::max(spec.fmin, 0.0), fmax = std::min(spec.fmax, spec.sr / 2.0);
    index_t b_lo = 1, b_hi = bins;  // bins with fmin <= freq < fmax (freq increases with b)
    while (b_lo < bins && !(fmin <= double(b_lo) * step)) ++b_lo;
    while (b_hi > b_lo && !(double(b_hi - 1) * step < fmax)) --b_hi;
    S ref[kBlock];
    for (index_t j = 0; j < nf; ++j) ref[j] = p[j];
    for (index_t b = 1; b < bins; ++b)
        for (index_t j = 0; j < nf; ++j) ref[j] = std::max(ref[j], p[b * nf + j]);
    for (index_t j = 0; j < nf; ++j) ref[j] = S(spec.threshold) * ref[j];
    for (index_t b = b_lo; b < b_hi; ++b) {
        const S* lo = p + (b - 1) * nf;
        const S* cur = p + b * nf;
        const bool last = b == bins - 1;
        const S* hi = last ? cur : p + (b + 1) * nf;
        for (index_t j = 0; j < nf; ++j) {
            const S x = cur[j] > ref[j] ? cur[j] : S(0);
            const S xl = lo[j] > ref[j] ? lo[j] : S(0);
            const S xh = hi[j] > ref[j] ? hi[j] : S(0);
            const bool peak = last ? x > xl : (x > xl && x >= xh);
            if (!peak) continue;
            const S v = cur[j];
            S shift = S(0), avg;
            if (last) {
                avg = S(v - lo[j]);
            } else {
                shift = parabolic_shift<S>(lo[j], v, hi[j]);
                avg = S(S(hi[j] - lo[j]) / S(2));
            }
            const S dskew = S(S(S(0.5) * avg) * shift);
            pitch.push_back(S((double(b) + double(shift)) * spec.sr / double(n_fft)));
            mag.push_back(S(v + dskew));
        }
    }
}

template <class S>
auto power_fn(const SpectralReduceFns& r) {
    if constexpr (sizeof(S) == sizeof(float))
        return r.power_f32;
    else
        return r.power_f64;
}

}  // namespace

template <class S>
void run_power_peaks(const SpectralPlan<double>& plan, const PeakSpec& spec, const SignalBatch<double>& sig, S* power,
                     std::vector<S>& pitches, std::vector<S>& mags) {
    require(plan.stage == Stage::Stft, "power_peaks needs an STFT plan");
    const FrameLayout L = make_frame_layout(sig.length, plan.n_fft, plan.hop, plan.center, plan.pad);
    const index_t F = L.n_frames, bins = plan.n_bins();
    const index_t chunks = (F + kBlock - 1) / kBlock;
    const index_t tasks = checked_mul(sig.count, chunks, "task count");
    std::vector<std::vector<S>> tp(static_cast<std::size_t>(tasks)), tm(static_cast<std::size_t>(tasks));
    const KernelFns<double>& k = active_kernels().fns<double>();
    const double no_clip = -std::numeric_limits<double>::infinity();
    // The AVX2 build transforms each block straight to powers (no staged complex spectrum).
    const SpectralReduceFns& reduce = spectral_reduce_active();
    auto fused = plan.n_fft < (index_t(1) << 16) ? power_fn<S>(reduce) : nullptr;
    parallel_for(tasks, [&](index_t t) {
        const index_t row = t / chunks, f0 = (t % chunks) * kBlock, f1 = std::min(F, f0 + kBlock), nf = f1 - f0;
        thread_local std::vector<S> p;
        p.resize(std::size_t(bins * nf));
        S* out = power + row * bins * F;
        const double* x = sig.x + row * sig.batch_stride;
        if (fused) {
            fused(plan, L, x, sig.stride, f0, f1, p.data());
            for (index_t b = 0; b < bins; ++b) std::copy(p.data() + b * nf, p.data() + (b + 1) * nf, out + b * F + f0);
        } else {
            thread_local std::vector<std::complex<double>> buf;
            buf.resize(std::size_t(bins * nf));
            k.spectral_frames(plan, L, x, sig.stride, f0, f1, buf.data(), nf, f0, no_clip, nullptr, nullptr);
            for (index_t b = 0; b < bins; ++b) {
                for (index_t j = 0; j < nf; ++j) {
                    const std::complex<double> z = buf[std::size_t(b * nf + j)];
                    const double re = double(S(z.real())), im = double(S(z.imag()));
                    const S m = S(std::sqrt(re * re + im * im));
                    const S v = S(m * m);
                    p[std::size_t(b * nf + j)] = v;
                    out[b * F + f0 + j] = v;
                }
            }
        }
        block_peaks<S>(spec, plan.n_fft, p.data(), bins, nf, tp[std::size_t(t)], tm[std::size_t(t)]);
    });
    for (index_t t = 0; t < tasks; ++t) {
        pitches.insert(pitches.end(), tp[std::size_t(t)].begin(), tp[std::size_t(t)].end());
        mags.insert(mags.end(), tm[std::size_t(t)].begin(), tm[std::size_t(t)].end());
    }
}

template void run_power_peaks<float>(const SpectralPlan<double>&, const PeakSpec&, const SignalBatch<double>&, float*,
                                     std::vector<float>&, std::vector<float>&);
template void run_power_peaks<double>(const SpectralPlan<double>&, const PeakSpec&, const SignalBatch<double>&, double*,
                                      std::vector<double>&, std::vector<double>&);

}  // namespace cepstra
