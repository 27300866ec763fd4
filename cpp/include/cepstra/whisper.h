// openai-whisper's log-mel normalisation, applied to a mel power spectrogram computed by the
// spectral pipeline (centred, reflect padding, n_fft 400, hop 160, periodic Hann, Slaney mel).
#pragma once

#include "cepstra/common.h"

namespace cepstra {

// mel: C-contiguous (count, n_mels, n_in) power; out: C-contiguous (count, n_mels, n_in - 1)
// (whisper drops the last STFT frame). out = (max(L, max(L) - 8) + 4) / 4 with
// L = log10(max(mel, 1e-10)), the maximum taken per item (batch_max = false) or over the whole
// batch (batch_max = true, as whisper's batched torch code). Requires n_in >= 2.
template <class T>
void whisper_log_mel(const T* mel, index_t count, index_t n_mels, index_t n_in, bool batch_max, T* out);

}  // namespace cepstra
