#include "cepstra/framing.h"

#include <algorithm>

namespace cepstra {

PadMode parse_pad_mode(const std::string& name) {
    if (name == "constant") return PadMode::Constant;
    if (name == "reflect") return PadMode::Reflect;
    if (name == "edge") return PadMode::Edge;
    if (name == "symmetric") return PadMode::Symmetric;
    fail("pad_mode='" + name + "' is not supported (use constant, reflect, edge or symmetric)");
}

namespace {

// numpy.pad's value for position t of the piece [lo, hi) extended on either side. numpy pads a
// large reflect/symmetric region by repeated reflection, which is a periodic mirror of the piece.
index_t mirror(index_t t, index_t lo, index_t hi, PadMode mode) {
    const index_t len = hi - lo;
    index_t r = t - lo;
    switch (mode) {
        case PadMode::Constant:
            return -1;
        case PadMode::Edge:
            return r < 0 ? lo : hi - 1;
        case PadMode::Reflect: {
            if (len == 1) return lo;
            const index_t period = 2 * (len - 1);
            r %= period;
            if (r < 0) r += period;
            return lo + (r < len ? r : period - r);
        }
        case PadMode::Symmetric: {
            const index_t period = 2 * len;
            r %= period;
            if (r < 0) r += period;
            return lo + (r < len ? r : period - 1 - r);
        }
    }
    return -1;
}

}  // namespace

index_t FrameLayout::source_index(index_t f, index_t t) const {
    if (!center) return t;  // uncentred frames never leave the signal
    index_t lo = 0, hi = n;
    if (head_frames > 0 || tail_first < n_frames) {
        if (f < head_frames) {
            hi = head_hi;
        } else if (f >= tail_first) {
            lo = tail_lo;
        }
    }
    return mirror(t, lo, hi, pad);
}

FrameLayout make_frame_layout(index_t n, index_t n_fft, index_t hop, bool center, PadMode pad) {
    require(n_fft >= 1, "n_fft=" + std::to_string(n_fft) + " must be a positive integer");
    require(hop >= 1, "hop_length=" + std::to_string(hop) + " must be a positive integer");
    require(n >= 1, "the signal is empty");
    FrameLayout L;
    L.n = n;
    L.n_fft = n_fft;
    L.hop = hop;
    L.center = center;
    L.pad = pad;
    if (!center) {
        require(n_fft <= n, "n_fft=" + std::to_string(n_fft) +
                                " is too large for uncentered analysis of a signal of length " + std::to_string(n));
        L.n_frames = 1 + (n - n_fft) / hop;
        L.offset = 0;
        L.head_frames = 0;
        L.tail_first = L.n_frames;
        return L;
    }
    const index_t half = n_fft / 2;
    L.offset = half;
    // All arithmetic below is checked: sizes near 2^63 raise instead of wrapping.
    const char* what = "frame layout";
    const index_t odd = n_fft - 2 * half;  // the padded length is n + n_fft - odd
    // librosa.stft's split: frames before start_k are cut from the padded head, frames from
    // tail_k on from the padded tail, the rest straight from the signal.
    const index_t start_k = half / hop + (half % hop != 0);  // ceil(half / hop)
    const index_t tail_k = floor_div(n - (n_fft - half), hop) + 1;
    if (tail_k <= start_k) {
        // The whole signal is padded at once: every frame mirrors against [0, n).
        L.n_frames = checked_add(1, (n - odd) / hop, what);
        L.head_frames = 0;
        L.tail_first = L.n_frames;
        return L;
    }
    L.head_frames = start_k;
    L.head_hi = start_k == 0
                    ? 0  // n_fft == 1: nothing is padded
                    : std::min<index_t>(n, checked_add(checked_mul(start_k - 1, hop, what), n_fft - half + 1, what));
    const index_t mid = tail_k - start_k;
    const index_t tail_lo = checked_mul(tail_k, hop, what) - half;
    index_t post = 0;
    if (checked_add(tail_lo, n_fft - half, what) <= n) {
        const index_t piece = n - tail_lo + half;  // tail piece plus its padding
        post = checked_add(1, (piece - n_fft) / hop, what);
    }
    L.n_frames = checked_add(checked_add(start_k, mid, what), post, what);
    L.tail_first = tail_k;
    L.tail_lo = tail_lo;
    return L;
}

}  // namespace cepstra
