// Frame-wise spectral descriptors (centroid, bandwidth, roll-off, flatness) reduced straight
// from blocks of STFT frames, with librosa 0.11's arithmetic (the time-domain rms and zero
// crossings are in cepstra/frame_stats.h).
// The spectrogram is never stored: each task transforms a block of frames into a small
// per-thread buffer and reduces it.
#pragma once

#include <vector>

#include "cepstra/common.h"
#include "cepstra/pipeline.h"

namespace cepstra {

// Bits of SpectralStatsSpec::stats; output rows follow this order (only the requested ones),
// then the contrast bands' rows.
enum SpectralStat : unsigned { kStatCentroid = 1u, kStatBandwidth = 2u, kStatRolloff = 4u, kStatFlatness = 8u };

struct SpectralStatsSpec {
    unsigned stats = 0;
    std::vector<double> freq;  // bin centre frequencies, n_fft/2 + 1 values
    double roll_percent = 0.85;  // spectral_rolloff
    double amin = 1e-10;  // spectral_flatness (of |X|**2)
    // Round |X| to float32 (librosa's float32 input: its float64 STFT stored as complex64, then
    // np.abs in float32); cumulative sums, thresholds and flatness then run in float32.
    bool float_magnitudes = false;
    // spectral_contrast's bands: bins [lo, hi) of band k and its quantile count q. Each adds two
    // rows after the statistics above: all valleys (mean of the q smallest |X|), then all peaks
    // (mean of the q largest), each summed in ascending order in S and divided by q in S, as
    // librosa's np.mean over its sorted band.
    struct Band {
        index_t lo, hi, q;
    };
    std::vector<Band> bands;

    index_t n_stats() const;
};

// plan must be a Stage::Stft plan. outs[i] is C-contiguous (items[i].count, n_stats, n_frames)
// double. Every frame is computed independently: results do not depend on the thread count.
template <class T>
void run_spectral_stats(const SpectralPlan<T>& plan, const SpectralStatsSpec& spec,
                        const std::vector<SignalBatch<T>>& items, const std::vector<double*>& outs);

}  // namespace cepstra
