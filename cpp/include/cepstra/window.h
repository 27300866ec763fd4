// Analysis windows, computed in double precision (scipy.signal.get_window's definitions).
#pragma once

#include <string>
#include <vector>

namespace cepstra {

enum class WindowKind { Hann, Hamming, Blackman, Boxcar };

// Parses librosa/scipy names ("hann", "hanning", "hamming", "blackman", "boxcar", "rectangular",
// "rect", "ones"); throws std::invalid_argument naming the window otherwise.
WindowKind parse_window(const std::string& name);

// periodic=true is scipy's fftbins=True (denominator n, as librosa uses for the STFT);
// periodic=false is the symmetric window (denominator n-1), as Kaldi uses. Blackman is the
// generalised a0 - 0.5 cos(x) + a2 cos(2x): scipy's (and the default) a0 = 0.42, a2 = 0.08;
// Kaldi's blackman_coeff b gives a0 = b, a2 = 0.5 - b.
std::vector<double> make_window(WindowKind kind, std::size_t n, bool periodic, double blackman_a0 = 0.42,
                                double blackman_a2 = 0.08);

}  // namespace cepstra
