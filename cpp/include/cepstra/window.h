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
// periodic=false is the symmetric window (denominator n-1).
std::vector<double> make_window(WindowKind kind, std::size_t n, bool periodic);

}  // namespace cepstra
