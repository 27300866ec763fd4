// The power spectrogram and its piptrack peaks in one pass: what chroma_stft needs to estimate
// the tuning (librosa 0.11's estimate_tuning on |X|**2) and to project onto the chroma filters.
#pragma once

#include <vector>

#include "cepstra/common.h"
#include "cepstra/pipeline.h"

namespace cepstra {

struct PeakSpec {
    double sr = 22050;
    double fmin = 150.0, fmax = 4000.0;  // peaks kept for fmin <= bin frequency < fmax
    double threshold = 0.1;  // relative to each frame's maximum
};

// plan: a float64 Stage::Stft plan. S = double, or float for librosa's float32 path (its
// float64 STFT rounded to complex64, |.| and **2 in float32). power: C-contiguous
// (sig.count, n_fft/2 + 1, n_frames). pitches/mags receive every peak of every row (in task
// order, the same for any thread count), with librosa's parabolic interpolation and rounding.
template <class S>
void run_power_peaks(const SpectralPlan<double>& plan, const PeakSpec& spec, const SignalBatch<double>& sig, S* power,
                     std::vector<S>& pitches, std::vector<S>& mags);

}  // namespace cepstra
