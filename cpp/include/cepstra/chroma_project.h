// chroma_stft's projection of a power spectrogram onto the chroma filters, without BLAS: one
// pass over the spectrogram in tiles of frames, each output summed over the bins in order in
// double and rounded once to the spectrogram's precision (a fixed order: the same bits for any
// thread count, and no BLAS thread pool to wake on a busy machine).
#pragma once

#include "cepstra/common.h"

namespace cepstra {

// out[r, c, t] = sum_b fb[c, b] * P[r, b, t] for C-contiguous fb (n_out, bins) double,
// P (rows, bins, frames) S and out (rows, n_out, frames) S.
template <class S>
void run_chroma_project(const double* fb, index_t n_out, const S* P, index_t rows, index_t bins, index_t frames,
                        S* out);

}  // namespace cepstra
