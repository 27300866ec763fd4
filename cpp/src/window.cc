#include "cepstra/window.h"

#include <cmath>

#include "cepstra/common.h"

namespace cepstra {

WindowKind parse_window(const std::string& name) {
    if (name == "hann" || name == "hanning" || name == "han") return WindowKind::Hann;
    if (name == "hamming" || name == "hamm" || name == "ham") return WindowKind::Hamming;
    if (name == "blackman" || name == "black" || name == "blk") return WindowKind::Blackman;
    if (name == "boxcar" || name == "box" || name == "ones" || name == "rect" || name == "rectangular")
        return WindowKind::Boxcar;
    fail("window='" + name + "' is not a known window name");
}

std::vector<double> make_window(WindowKind kind, std::size_t n, bool periodic, double blackman_a0,
                                double blackman_a2) {
    std::vector<double> w(n, 1.0);
    if (n <= 1 || kind == WindowKind::Boxcar) return w;  // scipy: a length-1 window is [1.0]
    // scipy's periodic window is the symmetric window of length n+1 without its last point.
    const double denom = periodic ? double(n) : double(n - 1);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = 2.0 * kPi * double(i) / denom;
        switch (kind) {
            case WindowKind::Hann: w[i] = 0.5 - 0.5 * std::cos(x); break;
            case WindowKind::Hamming: w[i] = 0.54 - 0.46 * std::cos(x); break;
            case WindowKind::Blackman:
                w[i] = blackman_a0 - 0.5 * std::cos(x) + blackman_a2 * std::cos(2.0 * x);
                break;
            case WindowKind::Boxcar: break;
        }
    }
    return w;
}

}  // namespace cepstra
