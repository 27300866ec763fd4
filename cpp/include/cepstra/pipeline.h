// The fused, block-by-block feature pipeline:
//   gather frame (+centre padding, stride-aware) x window -> real FFT -> |X|^p -> sparse mel
//   -> dB -> DCT (+lifter)
// run over blocks of SIMD-width frames, each block written straight into the output. Nothing
// between input and requested output is materialised for the whole signal.
#pragma once

#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "cepstra/common.h"
#include "cepstra/fft.h"
#include "cepstra/filterbank.h"
#include "cepstra/framing.h"
#include "cepstra/mel.h"

namespace cepstra {

enum class Stage { Stft, Mel, Mfcc };

// Everything a configuration needs, built once and immutable (cached by the Python extractors).
template <class T>
struct SpectralPlan {
    Stage stage = Stage::Stft;
    index_t n_fft = 0, hop = 0;
    bool center = true;
    PadMode pad = PadMode::Constant;
    std::vector<T> window;  // n_fft long, zero outside [win_lo, win_hi)
    index_t win_lo = 0, win_hi = 0;
    std::shared_ptr<const RealFftPlan<T>> fft;
    double power = 2.0;  // |X|^power for Mel/Mfcc
    std::shared_ptr<const SparseFilterbank<T>> mel;
    index_t empty_mel_bands = 0;  // librosa's "empty filters": bands without weight, other than a band at 0 Hz
    // Mfcc: dB = 10 log10(max(amin, mel)) - ref_db, floored at max(dB) - top_db when top_db >= 0.
    double amin = 1e-10, ref_db = 0.0, top_db = 80.0;
    std::vector<T> dct;  // (n_out, n_mels) row-major, lifter folded in
    index_t n_out = 0;  // rows of the output (bins, mels or coefficients)

    index_t n_bins() const { return n_fft / 2 + 1; }
};

// window: n_fft values (already centre-padded). mel/dct only for the stages that use them.
template <class T>
std::shared_ptr<const SpectralPlan<T>> make_spectral_plan(Stage stage, index_t n_fft, index_t hop, bool center,
                                                          PadMode pad, const std::vector<double>& window, double power,
                                                          const MelSpec* mel, const std::vector<double>* dct,
                                                          index_t n_dct_out, double amin, double ref_db, double top_db);

// A batch of equally long signals: signal b, sample t is x[b*batch_stride + t*stride] (element
// strides, any sign, zero allowed).
template <class T>
struct SignalBatch {
    const T* x = nullptr;
    index_t count = 0, length = 0, batch_stride = 0, stride = 1;
};

index_t frame_count(index_t length, index_t n_fft, index_t hop, bool center, PadMode pad);

// Where an item's output goes: signal b, row k, frame f at out[b*batch_stride + k*row_stride + f]
// (element strides; frames are always adjacent). A caller's preallocated array (stft out=) can
// be wider than n_frames or a view into a bigger one.
struct OutStrides {
    index_t batch_stride = 0, row_stride = 0;
};

// Runs the plan over independent items (one array of signals, or a list of them with different
// lengths) in one parallel pass: the thread pool balances frames across all of them. Item i
// writes outs[i]: (count, n_out, n_frames) of T, or of std::complex<T> for Stage::Stft,
// C-contiguous unless `strides` gives its layout. For Stage::Mfcc the top_db floor uses each
// item's own maximum (over all its rows).
template <class T>
void run_spectral_items(const SpectralPlan<T>& plan, const std::vector<SignalBatch<T>>& items,
                        const std::vector<void*>& outs, const std::vector<OutStrides>* strides = nullptr);

// Frames [f0, f1) of a signal of total_len samples of which only the contiguous segment
// [seg_start, seg_start + seg_len) is given (it must cover every sample those frames read):
// the building block of streaming. out: (n_out, f1 - f0) C-contiguous. Not for Mfcc with top_db.
template <class T>
void run_spectral_frames(const SpectralPlan<T>& plan, const T* segment, index_t seg_start, index_t seg_len,
                         index_t total_len, index_t f0, index_t f1, void* out);

// Inverse STFT of (count, n_fft/2+1, n_frames) complex (C-contiguous) into (count, out_len).
template <class T>
void run_istft(const std::complex<T>* spec, index_t count, index_t n_frames, index_t n_fft, index_t hop,
               const std::vector<double>& window, bool center, index_t out_len, T* out);

// Real FFT of each row of a C-contiguous (rows, n) array into (rows, n/2+1); inverse likewise.
template <class T>
void run_rfft_rows(const T* in, index_t rows, index_t n, std::complex<T>* out);
template <class T>
void run_irfft_rows(const std::complex<T>* in, index_t rows, index_t n, T* out);

// True when every sample of the batch is finite (one pass, SIMD; zero strides read once).
template <class T>
bool all_finite(const SignalBatch<T>& sig);

// Name of the ISA path in use ("avx512", "avx2", "sse2", "generic").
std::string active_isa();

}  // namespace cepstra

namespace cepstra {
// Forces an ISA path ("generic", "sse2"/"baseline", "avx2", "avx512", or "best"); false if this
// CPU cannot run it. Affects calls that start afterwards.
bool set_active_isa(const std::string& name);
bool isa_available(const std::string& name);
}  // namespace cepstra
