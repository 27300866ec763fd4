#include "cepstra/mel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cepstra {

namespace {
constexpr double kFsp = 200.0 / 3.0;  // Slaney: linear part, Hz per mel
constexpr double kMinLogHz = 1000.0;
const double kMinLogMel = (kMinLogHz - 0.0) / kFsp;
const double kLogStep = std::log(6.4) / 27.0;

}  // namespace

double hz_to_mel(double f, bool htk) {
    if (htk) return 2595.0 * std::log10(1.0 + f / 700.0);
    if (f >= kMinLogHz) return kMinLogMel + std::log(f / kMinLogHz) / kLogStep;
    return (f - 0.0) / kFsp;
}

double mel_to_hz(double m, bool htk) {
    if (htk) return 700.0 * (std::pow(10.0, m / 2595.0) - 1.0);
    if (m >= kMinLogMel) return kMinLogHz * std::exp(kLogStep * (m - kMinLogMel));
    return 0.0 + kFsp * m;
}

std::vector<double> mel_filterbank(const MelSpec& s, bool f32) {
    require(s.sr > 0, "sr must be positive");
    require(s.n_fft >= 1, "n_fft must be positive");
    require(s.n_mels >= 1, "n_mels must be positive");
    const index_t n_bins = 1 + s.n_fft / 2;
    const index_t n_mels = s.n_mels;
    checked_mul(n_mels, n_bins, "mel filterbank");
    // np.fft.rfftfreq(n_fft, d=1/sr): k * (1 / (n_fft * (1/sr)))
    const double val = 1.0 / (double(s.n_fft) * (1.0 / s.sr));
    std::vector<double> fft_f(n_bins);
    for (index_t k = 0; k < n_bins; ++k) fft_f[k] = double(k) * val;
    // np.linspace(min_mel, max_mel, n_mels + 2) then mel_to_hz
    const index_t npts = n_mels + 2;
    const double lo = hz_to_mel(s.fmin, s.htk), hi = hz_to_mel(s.fmax, s.htk);
    const double step = (hi - lo) / double(npts - 1);
    std::vector<double> mel_f(npts);
    for (index_t i = 0; i < npts; ++i) mel_f[i] = mel_to_hz(double(i) * step + lo, s.htk);
    mel_f[npts - 1] = mel_to_hz(hi, s.htk);

    std::vector<double> w(n_mels * n_bins, 0.0);
    for (index_t m = 0; m < n_mels; ++m) {
        const double fd0 = mel_f[m + 1] - mel_f[m], fd1 = mel_f[m + 2] - mel_f[m + 1];
        double* row = &w[m * n_bins];
        for (index_t k = 0; k < n_bins; ++k) {
            const double lower = -(mel_f[m] - fft_f[k]) / fd0;
            const double upper = (mel_f[m + 2] - fft_f[k]) / fd1;
            double v = std::max(0.0, std::min(lower, upper));
            row[k] = f32 ? double(float(v)) : v;
        }
        if (s.norm == MelNorm::Slaney) {
            const double enorm = 2.0 / (mel_f[m + 2] - mel_f[m]);
            for (index_t k = 0; k < n_bins; ++k) {
                const double v = row[k] * enorm;
                row[k] = f32 ? double(float(v)) : v;
            }
        }
    }
    if (s.norm == MelNorm::Lp) {
        // librosa.util.normalize(weights, norm=p, axis=-1) measures |w| in float64 whatever the
        // basis dtype, skips rows whose norm is below tiny(dtype), and rounds w / length once.
        const double tiny = f32 ? double(std::numeric_limits<float>::min()) : std::numeric_limits<double>::min();
        for (index_t m = 0; m < n_mels; ++m) {
            double* row = &w[m * n_bins];
            double len = 0.0;
            if (std::isinf(s.p)) {
                for (index_t k = 0; k < n_bins; ++k) len = std::max(len, std::fabs(row[k]));
            } else {
                for (index_t k = 0; k < n_bins; ++k) len += s.p == 1.0 ? std::fabs(row[k]) : std::pow(std::fabs(row[k]), s.p);
                len = s.p == 1.0 ? len : s.p == 2.0 ? std::sqrt(len) : std::pow(len, 1.0 / s.p);
            }
            if (len < tiny) len = 1.0;
            for (index_t k = 0; k < n_bins; ++k) {
                const double v = row[k] / len;
                row[k] = f32 ? double(float(v)) : v;
            }
        }
    }
    return w;
}

}  // namespace cepstra
