// Decibel conversion (librosa.power_to_db / amplitude_to_db) over a contiguous array.
#pragma once

#include "cepstra/common.h"

namespace cepstra {

// out = 10 log10(max(amin, v)) - 10 log10(max(amin, ref)), v = x (power) or x^2 (amplitude, with
// amin and ref already squared by the caller); then, if top_db >= 0, out = max(out, max(out) - top_db)
// over the whole array (librosa 0.11 takes the global maximum). out may alias x.
template <class T>
void power_to_db(const T* x, index_t n, T* out, double amin, double ref, double top_db, bool square_input);

}  // namespace cepstra
