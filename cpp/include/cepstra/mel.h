// Mel filterbanks: librosa's dense construction (for filters.mel) and a sparse plan (for the
// pipeline) in which each band stores only its non-zero FFT bins.
#pragma once

#include <memory>
#include <vector>

#include "cepstra/common.h"

namespace cepstra {

double hz_to_mel(double hz, bool htk);
double mel_to_hz(double mel, bool htk);

enum class MelNorm { None, Slaney, Lp };

struct MelSpec {
    double sr = 22050.0;
    index_t n_fft = 2048;
    index_t n_mels = 128;
    double fmin = 0.0;
    double fmax = 11025.0;
    bool htk = false;
    MelNorm norm = MelNorm::Slaney;
    double p = 2.0;  // for MelNorm::Lp; +inf for the max norm
};

// Row-major (n_mels, 1 + n_fft/2) weights exactly as librosa.filters.mel builds them with the
// given dtype: with float32=true every intermediate rounding of librosa's float32 path is
// reproduced (the values returned are float32 numbers held in doubles). librosa's
// melspectrogram always uses the float32 basis, even for float64 input, so the pipeline does too.
std::vector<double> mel_filterbank(const MelSpec& spec, bool float32);

// Sparse, immutable plan: band m covers bins [first[m], first[m] + count[m]).
template <class T>
struct MelBank {
    index_t n_mels = 0;
    index_t n_bins = 0;
    std::vector<index_t> first, count, offset;  // offset into weights
    std::vector<T> weights;
    static std::shared_ptr<const MelBank> from_dense(const std::vector<double>& dense, index_t n_mels,
                                                     index_t n_bins);
};

// out[m, f] = sum_k W[m, k] S[k, f] for a (n_bins, n_frames) S with arbitrary element strides and
// a C-contiguous (n_mels, n_frames) out.
template <class T>
void apply_mel_bank(const MelBank<T>& bank, const T* S, index_t s_row, index_t s_col, index_t n_frames, T* out);

}  // namespace cepstra
