// The inverse STFT of the iterative and separating callers (Griffin-Lim, HPSS): the numbers of
// pipeline.h's run_istft (the same sums in the same order, the same divisions), with the
// overlap-add packed (simd/istft-inl.h) and the window-sum normalisation vectorised. The
// window sum is periodic in the hop wherever every frame covering a sample exists, so it is
// computed per residue there and per sample only near the ends: O(hop + n_fft) memory.
#pragma once

#include <complex>
#include <vector>

#include "cepstra/common.h"

namespace cepstra {

// spec: (count, n_fft/2+1, n_frames) C-contiguous; out: (count, out_len). As run_istft.
template <class T>
void run_istft_fast(const std::complex<T>* spec, index_t count, index_t n_frames, index_t n_fft, index_t hop,
                    const std::vector<double>& window, bool center, index_t out_len, T* out);

}  // namespace cepstra
