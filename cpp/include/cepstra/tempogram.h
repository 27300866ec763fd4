// Autocorrelation tempogram with max-normalised columns (librosa.feature.tempogram, norm=inf):
// each window of the (already padded) onset envelope, times the window function, is
// autocorrelated by a zero-padded real FFT (|X|^2, inverse), the first w lags kept and divided
// by their largest magnitude (columns below DBL_MIN are left unscaled). A block of frames at a
// time, so the FFT buffers stay in cache.
#pragma once

#include "cepstra/common.h"

namespace cepstra {

// env: rows x len (C order); out: rows x w x n_frames (C order); n_pad >= 2w - 1.
void tempogram_inf(const double* env, index_t rows, index_t len, index_t n_frames, index_t w, const double* window,
                   index_t n_pad, double* out);

}  // namespace cepstra
