// Frame layout of a (possibly centred) STFT, reproducing librosa 0.11's exact frame count and
// its edge padding, without ever materialising the padded signal.
#pragma once

#include <string>

#include "cepstra/common.h"

namespace cepstra {

enum class PadMode { Constant, Reflect, Edge, Symmetric };

PadMode parse_pad_mode(const std::string& name);

// Where frame f reads its samples: frame f covers signal positions [start(f), start(f)+n_fft).
// Positions outside [0, n) are padding. librosa pads two *pieces* of the signal, not the whole
// signal: the first frames see np.pad(y[:head_len], (n_fft//2, 0)), the last frames see
// np.pad(y[tail_lo:], (0, n_fft//2)). With reflect/symmetric padding and hop > n_fft/2 the tail
// piece can be shorter than the pad, and numpy then reflects *within the piece*; we reproduce
// that by mapping each padded position against the piece that librosa padded.
struct FrameLayout {
    index_t n = 0;  // signal length
    index_t n_fft = 0;
    index_t hop = 0;
    bool center = true;
    PadMode pad = PadMode::Constant;
    index_t n_frames = 0;
    index_t offset = 0;  // start(f) = f*hop - offset
    // Padding pieces (only meaningful when center).
    index_t head_frames = 0;  // frames [0, head_frames) use piece [0, head_hi)
    index_t head_hi = 0;
    index_t tail_first = 0;  // frames >= tail_first use piece [tail_lo, n)
    index_t tail_lo = 0;

    index_t start(index_t f) const { return f * hop - offset; }
    bool inside(index_t f) const { return start(f) >= 0 && start(f) + n_fft <= n; }
    // The signal index that padded position t (outside [0,n)) of frame f takes its value from,
    // or -1 for a zero (constant padding).
    index_t source_index(index_t f, index_t t) const;
};

// Throws std::invalid_argument (naming n_fft) for a signal too short for center=False.
FrameLayout make_frame_layout(index_t n, index_t n_fft, index_t hop, bool center, PadMode pad);

}  // namespace cepstra
