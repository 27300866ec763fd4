// Sliding-window median along one axis, equal to scipy.ndimage.median_filter with a size-1
// footprint on every other axis and mode="reflect" (the edge sample is repeated: d c b a | a b
// c d | d c b a, periodically for windows longer than the line). For an even size the result
// is the element of rank size/2 (the upper median), as scipy's rank filter picks it.
#pragma once

#include "cepstra/common.h"

namespace cepstra {

// x and out: C-contiguous (batch, rows, cols). axis 2 filters along each row (time for a
// spectrogram), axis 1 along each column (frequency). Inputs must be free of NaN.
// Lines are split across the thread pool; the result does not depend on the thread count.
template <class T>
void median_filter_3d(const T* x, index_t batch, index_t rows, index_t cols, int axis, index_t size, T* out);

}  // namespace cepstra
