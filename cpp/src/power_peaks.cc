// Power spectrogram plus piptrack peaks, block by block (see cepstra/power_peaks.h).
#include "cepstra/power_peaks.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include "cepstra/threads.h"
#include "simd/kernels.h"

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
    // p[b * nf + j]: power of bin b, frame j.
    // np.fft.rfftfreq(n_fft, d=1/sr): bin b at b * (1 / (n_fft * (1/sr))), librosa's frequencies
    const double step = 1.0 / (double(n_fft) * (1.0 / spec.sr));
    const double fmin = std::max(spec.fmin, 0.0), fmax = std::min(spec.fmax, spec.sr / 2.0);
    for (index_t j = 0; j < nf; ++j) {
        S mx = p[j];
        for (index_t b = 1; b < bins; ++b) mx = std::max(mx, p[b * nf + j]);
        const S ref = S(spec.threshold) * mx;
        auto masked = [&](index_t b) { const S v = p[b * nf + j]; return v > ref ? v : S(0); };
        for (index_t b = 1; b < bins; ++b) {
            const double fb = double(b) * step;
            if (!(fmin <= fb && fb < fmax)) continue;
            const S x = masked(b);
            bool peak;
            if (b == bins - 1)
                peak = x > masked(b - 1);
            else
                peak = x > masked(b - 1) && x >= masked(b + 1);
            if (!peak) continue;
            const S v = p[b * nf + j];
            S shift = S(0), avg;
            if (b == bins - 1) {
                avg = S(v - p[(b - 1) * nf + j]);
            } else {
                const S lo = p[(b - 1) * nf + j], hi = p[(b + 1) * nf + j];
                shift = parabolic_shift<S>(lo, v, hi);
                avg = S(S(hi - lo) / S(2));
            }
            const S dskew = S(S(S(0.5) * avg) * shift);
            pitch.push_back(S((double(b) + double(shift)) * spec.sr / double(n_fft)));
            mag.push_back(S(v + dskew));
        }
    }
}

}  // namespace

template <class S>
void run_power_peaks(const SpectralPlan<double>& plan, const PeakSpec& spec, const SignalBatch<double>& sig,
                     S* power, std::vector<S>& pitches, std::vector<S>& mags) {
    require(plan.stage == Stage::Stft, "power_peaks needs an STFT plan");
    const FrameLayout L = make_frame_layout(sig.length, plan.n_fft, plan.hop, plan.center, plan.pad);
    const index_t F = L.n_frames, bins = plan.n_bins();
    const index_t chunks = (F + kBlock - 1) / kBlock;
    const index_t tasks = checked_mul(sig.count, chunks, "task count");
    std::vector<std::vector<S>> tp(static_cast<std::size_t>(tasks)), tm(static_cast<std::size_t>(tasks));
    const KernelFns<double>& k = active_kernels().fns<double>();
    const double no_clip = -std::numeric_limits<double>::infinity();
    parallel_for(tasks, [&](index_t t) {
        const index_t row = t / chunks, f0 = (t % chunks) * kBlock, f1 = std::min(F, f0 + kBlock), nf = f1 - f0;
        thread_local std::vector<std::complex<double>> buf;
        thread_local std::vector<S> p;
        buf.resize(std::size_t(bins * nf));
        p.resize(std::size_t(bins * nf));
        k.spectral_frames(plan, L, sig.x + row * sig.batch_stride, sig.stride, f0, f1, buf.data(), nf, f0, no_clip,
                          nullptr, nullptr);
        S* out = power + row * bins * F;
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
        block_peaks<S>(spec, plan.n_fft, p.data(), bins, nf, tp[std::size_t(t)], tm[std::size_t(t)]);
    });
    for (index_t t = 0; t < tasks; ++t) {
        pitches.insert(pitches.end(), tp[std::size_t(t)].begin(), tp[std::size_t(t)].end());
        mags.insert(mags.end(), tm[std::size_t(t)].begin(), tm[std::size_t(t)].end());
    }
}

template void run_power_peaks<float>(const SpectralPlan<double>&, const PeakSpec&, const SignalBatch<double>&, float*,
                                     std::vector<float>&, std::vector<float>&);
template void run_power_peaks<double>(const SpectralPlan<double>&, const PeakSpec&, const SignalBatch<double>&,
                                      double*, std::vector<double>&, std::vector<double>&);

}  // namespace cepstra
