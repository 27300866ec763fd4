// Ellis' dynamic-programming beat tracker with librosa 0.11's exact arithmetic (its numba
// kernels __beat_local_score, __beat_track_dp, __last_beat, __dp_backtrack, __trim_beats),
// including its corners: the local score never reads onset frame 0; the tightness arrives
// rounded to float32; the penalty and best score are computed in double and stored in T.
#pragma once

#include "cepstra/common.h"

namespace cepstra {

// onsets: the normalised onset envelope (n frames). fpb: frames per beat, 1 value (constant
// tempo) or n values. hann5: numpy's hanning(5), used for the trim threshold.
// beats: n flags, written. Scratch is allocated here (O(n)).
template <class T>
void beat_track_dp(const T* onsets, index_t n, const T* fpb, index_t n_fpb, float tightness, bool trim,
                   const double* hann5, bool* beats);

}  // namespace cepstra
