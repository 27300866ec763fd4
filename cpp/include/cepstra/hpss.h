// The pixel-wise half of HPSS: librosa.util.softmask for both components and their product
// with the input's magnitude and phase, in librosa's operation order (float T throughout).
#pragma once

#include <complex>

#include "cepstra/common.h"

namespace cepstra {

// D: n complex values; mag: |D| as numpy computes it (its SIMD complex abs, passed in so the
// masks see the same magnitudes as the median filters); harm, perc: the filtered magnitudes.
// power is 1 or 2 (other powers go through numpy, whose pow may differ from libm's).
// H, P: n complex outputs, D's harmonic and percussive parts.
template <class T>
void hpss_apply(const std::complex<T>* D, const T* mag_in, const T* harm, const T* perc, index_t n, T margin_harm,
                T margin_perc, int power, bool split_zeros, std::complex<T>* H, std::complex<T>* P);

}  // namespace cepstra
