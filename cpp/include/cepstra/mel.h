// librosa's mel scale and its dense mel filterbank (filters.mel); the pipeline keeps it as a
// SparseFilterbank (filterbank.h).
#pragma once

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

}  // namespace cepstra
