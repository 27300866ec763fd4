#include "cepstra/tempogram.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <vector>

#include "cepstra/pipeline.h"

namespace cepstra {

void tempogram_inf(const double* env, index_t rows, index_t len, index_t n_frames, index_t w, const double* window,
                   index_t n_pad, double* out) {
    require(w >= 1 && n_pad >= 2 * w - 1, "tempogram: bad window or FFT size");
    require(n_frames >= 0 && (n_frames == 0 || n_frames - 1 + w <= len), "tempogram: envelope too short");
    const index_t block = 64;
    const index_t n_bins = n_pad / 2 + 1;
    std::vector<double> frames(static_cast<std::size_t>(block * n_pad)), ac(static_cast<std::size_t>(block * n_pad));
    std::vector<std::complex<double>> spec(static_cast<std::size_t>(block * n_bins));
    std::vector<double> norms(static_cast<std::size_t>(block));
    for (index_t r = 0; r < rows; ++r) {
        const double* e = env + r * len;
        double* o = out + r * w * n_frames;
        for (index_t t0 = 0; t0 < n_frames; t0 += block) {
            const index_t nb = std::min(block, n_frames - t0);
            for (index_t b = 0; b < nb; ++b) {
                double* f = &frames[std::size_t(b * n_pad)];
                for (index_t k = 0; k < w; ++k) f[k] = e[t0 + b + k] * window[k];
                std::fill(f + w, f + n_pad, 0.0);
            }
            run_rfft_rows<double>(frames.data(), nb, n_pad, spec.data());
            for (index_t i = 0; i < nb * n_bins; ++i) {
                const auto z = spec[std::size_t(i)];
                spec[std::size_t(i)] = std::complex<double>(z.real() * z.real() + z.imag() * z.imag(), 0.0);
            }
            run_irfft_rows<double>(spec.data(), nb, n_pad, ac.data());
            for (index_t b = 0; b < nb; ++b) {
                const double* a = &ac[std::size_t(b * n_pad)];
                double m = 0.0;
                for (index_t k = 0; k < w; ++k) m = std::max(m, std::abs(a[k]));
                norms[std::size_t(b)] = m < std::numeric_limits<double>::min() ? 1.0 : m;
            }
            // Lag-major output: one contiguous run of nb frames per lag (a frame's lags are
            // n_frames apart; writing them frame by frame missed the cache on every value).
            for (index_t k = 0; k < w; ++k) {
                double* dst = o + k * n_frames + t0;
                for (index_t b = 0; b < nb; ++b) dst[b] = ac[std::size_t(b * n_pad + k)] / norms[std::size_t(b)];
            }
        }
    }
}

}  // namespace cepstra
