// DCT types 1-3 as an explicit (n_out, n) matrix, scipy.fft.dct's definitions, with librosa's
// lifter optionally folded into the rows.
#pragma once

#include <vector>

#include "cepstra/common.h"

namespace cepstra {

// Row-major (n_out, n) matrix M such that scipy.fft.dct(x, type, norm)[:n_out] == M @ x.
// lifter > 0 multiplies row k by 1 + (lifter/2) sin(pi (k+1) / lifter) (librosa's mfcc lifter).
std::vector<double> dct_matrix(int type, index_t n, index_t n_out, bool ortho, double lifter);

// out[k, f] = sum_j M[k, j] S[j, f]; S (n, n_frames) with element strides, out C-contiguous.
template <class T>
void apply_matrix(const std::vector<T>& M, index_t n_out, index_t n, const T* S, index_t s_row, index_t s_col,
                  index_t n_frames, T* out);

}  // namespace cepstra
