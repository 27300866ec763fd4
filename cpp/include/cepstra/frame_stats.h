// Time-domain frame statistics with librosa 0.11's arithmetic: the frame RMS (rms(y=...)) and
// the zero crossings per frame (zero_crossing_rate). Both take the unpadded signal and the
// centre padding, so no padded copy of the signal is made.
#pragma once

#include "cepstra/common.h"

namespace cepstra {

// sqrt(mean(x**2)) of frames [f*hop, f*hop + frame_length) of each row of a C-contiguous
// (rows, n) array zero-padded by `pad` samples on each side (np.pad mode "constant"),
// accumulated in T exactly as numpy's pairwise sum over a contiguous axis (what librosa's
// np.mean over its framed signal does). out: (rows, n_frames), n_frames = 1 + (n + 2 pad -
// frame_length) / hop.
template <class T>
void run_frame_rms(const T* y, index_t rows, index_t n, index_t pad, index_t frame_length, index_t hop, T* out);

// Number of sign changes between consecutive samples inside each frame (librosa's
// zero_crossings with pad=False, zero_pos=True, |x| <= threshold counted as 0) of each row of a
// C-contiguous (rows, n) array edge-padded by `pad` samples on each side (np.pad mode "edge":
// the padding adds no crossing). Exact integer counts, O(n) per row. out: (rows, n_frames).
template <class T>
void run_frame_crossings(const T* y, index_t rows, index_t n, index_t pad, index_t frame_length, index_t hop,
                         T threshold, double* out);

}  // namespace cepstra
