// A sparse, immutable filterbank: each output band keeps only the contiguous run of input bins
// where its weights are non-zero. One type for every bank over a spectrum (librosa's mel, Kaldi's
// mel, chroma next); the banks' builders produce dense matrices and hand them here once.
#pragma once

#include <memory>
#include <vector>

#include "cepstra/common.h"

namespace cepstra {

template <class T>
struct SparseFilterbank {
    index_t n_out = 0;  // bands
    index_t n_in = 0;   // spectrum bins
    std::vector<index_t> first, count, offset;  // band m: bins [first, first + count), weights at offset
    std::vector<T> weights;

    // From a row-major (n_out, n_in) dense matrix; leading and trailing zeros of each row dropped.
    static std::shared_ptr<const SparseFilterbank> from_dense(const std::vector<double>& dense, index_t n_out,
                                                              index_t n_in);
    // Bands without any non-zero weight.
    index_t empty_bands() const;
};

// out[m, f] = sum_k W[m, k] S[k, f] for a (n_in, n_frames) S with arbitrary element strides and a
// C-contiguous (n_out, n_frames) out.
template <class T>
void apply_filterbank(const SparseFilterbank<T>& bank, const T* S, index_t s_row, index_t s_col, index_t n_frames,
                      T* out);

}  // namespace cepstra
