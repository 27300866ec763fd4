// Kaldi-compatible filterbank and MFCC front ends (compute-fbank-feats / compute-mfcc-feats,
// torchaudio.compliance.kaldi, kaldi-native-fbank), computed block by block like the spectral
// pipeline: frame (snip_edges / reflection) -> dither -> remove DC -> raw log energy ->
// preemphasis -> symmetric window -> zero-pad -> real FFT -> |X|^2 (or |X|) -> mel banks in the
// mel domain -> log -> [DCT + lifter] -> energy column; the output is time-major (frames, cols).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cepstra/common.h"
#include "cepstra/fft.h"
#include "cepstra/filterbank.h"
#include "cepstra/mel.h"
#include "cepstra/pipeline.h"

namespace cepstra {

enum class KaldiWindow { Povey, Hanning, Hamming, Rectangular, Blackman };

// "povey", "hanning", "hamming", "rectangular", "blackman" (Kaldi's names); throws naming window_type.
KaldiWindow parse_kaldi_window(const std::string& name);

struct KaldiOptions {
    // frame extraction
    double sample_frequency = 16000.0;
    double frame_length = 25.0;  // milliseconds
    double frame_shift = 10.0;   // milliseconds
    double dither = 0.0;
    double preemphasis_coefficient = 0.97;
    bool remove_dc_offset = true;
    KaldiWindow window_type = KaldiWindow::Povey;
    double blackman_coeff = 0.42;
    bool round_to_power_of_two = true;
    bool snip_edges = true;
    // mel banks
    index_t num_mel_bins = 23;
    double low_freq = 20.0;
    double high_freq = 0.0;  // <= 0: offset from the Nyquist frequency
    // energy and output
    bool use_energy = false;
    bool raw_energy = true;
    double energy_floor = 1.0;  // torchaudio's default (Kaldi's is 0)
    bool use_log_fbank = true;  // fbank only
    bool use_power = true;      // fbank only
    bool htk_compat = false;
    // mfcc
    bool mfcc = false;
    index_t num_ceps = 13;
    double cepstral_lifter = 22.0;
};

// Immutable, shared by all threads.
template <class T>
struct KaldiPlan {
    KaldiOptions opts;
    index_t win = 0, shift = 0, padded = 0;
    std::vector<T> window;                  // win values (symmetric)
    std::shared_ptr<const RealFftPlan<T>> fft;
    std::shared_ptr<const SparseFilterbank<T>> mel;  // over bins [0, padded/2): Nyquist excluded
    index_t empty_bins = 0;                 // mel bins without any FFT bin (their log is log(eps))
    bool need_energy = false;               // use_energy
    T log_energy_floor = T(0);              // applied only when has_energy_floor
    bool has_energy_floor = false;
    index_t energy_col = -1;                // output column of the log energy, -1: none
    index_t mel_col0 = 0;                   // fbank: output column of mel bin 0
    // mfcc: rows of the DCT (lifter folded in), each written to output column dct_col[r]
    std::vector<T> dct;                     // (dct_col.size(), num_mel_bins), row-major
    std::vector<index_t> dct_col;
    index_t n_out = 0;                      // output columns

    // Kaldi's NumFrames (flush=true) and FirstSampleOfFrame.
    index_t frame_count(index_t n) const {
        if (opts.snip_edges) return n < win ? 0 : 1 + (n - win) / shift;
        return (n + shift / 2) / shift;
    }
    index_t frame_start(index_t f) const {
        return opts.snip_edges ? f * shift : f * shift + shift / 2 - win / 2;
    }
};

// Validates the options (std::invalid_argument naming the parameter) and builds the plan.
template <class T>
std::shared_ptr<const KaldiPlan<T>> make_kaldi_plan(const KaldiOptions& opts);

// Kaldi's mel weights as a dense row-major (num_bins, padded/2 + 1) matrix (Nyquist column zero).
std::vector<double> kaldi_mel_banks(index_t num_bins, index_t padded, double sample_frequency, double low_freq,
                                    double high_freq);

// out: C-contiguous (sig.count, frame_count(sig.length), n_out). seed drives the dither noise
// (deterministic for a given seed, independent of the thread count and of the ISA path).
template <class T>
void run_kaldi(const KaldiPlan<T>& plan, const SignalBatch<T>& sig, std::uint64_t seed, T* out);

// A list of independent signals (any lengths) in one parallel pass: outs[i] is C-contiguous
// (items[i].count, frame_count(items[i].length), n_out) and item i's dither uses seeds[i] exactly
// as run_kaldi(plan, items[i], seeds[i], outs[i]) would (same result, bit for bit).
template <class T>
void run_kaldi_items(const KaldiPlan<T>& plan, const std::vector<SignalBatch<T>>& items,
                     const std::vector<std::uint64_t>& seeds, const std::vector<T*>& outs);

// Frames [f0, f1) of one signal of total_len samples, given only the contiguous segment
// [seg_start, seg_start + seg_len) of it (segment points at sample seg_start): out is C-contiguous
// (f1 - f0, n_out) and equals rows f0..f1-1 of run_kaldi on the whole signal (row 0 of the batch,
// same seed: the dither noise depends only on the seed and the global frame index). Every sample
// the frames read, reflections included, must lie in the segment (std::invalid_argument otherwise,
// checked before anything is read).
template <class T>
void run_kaldi_frames(const KaldiPlan<T>& plan, const T* segment, index_t seg_start, index_t seg_len,
                      index_t total_len, index_t f0, index_t f1, std::uint64_t seed, T* out);

// Counter-based generator of the dither noise: x[i * stride] += dither * N(0,1) for the n
// samples of frame `frame` of the signal whose stream is `key` (Box-Muller on a splitmix64
// stream seeded by key and frame), so any frame can be generated alone, on any thread.
template <class T>
void kaldi_dither_frame(std::uint64_t key, index_t frame, index_t n, double dither, T* x, index_t stride);

}  // namespace cepstra
