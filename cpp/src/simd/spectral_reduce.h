// Reduction of a block of STFT frames to the spectral descriptors (see cepstra/spectral_stats.h),
// compiled once per ISA (spectral_reduce_<isa>.cc); spectral_stats.cc picks the table that matches
// the active pipeline kernels. Every ISA gives the same bits: the loops vectorise across frames
// only, so each frame's sums keep their order, and no file contracts a * b + c into an FMA.
#pragma once

#include <complex>

#include "cepstra/pipeline.h"
#include "cepstra/spectral_stats.h"

namespace cepstra {

struct SpectralReduceArgs {
    const SpectralStatsSpec* spec;
    const double* suffix_min_freq;  // min(freq[b:]) for each b (librosa's nanmin over the bins)
    index_t bins, nf;  // the block: z[b * nf + j] is bin b of frame j, nf <= 32
    double* mag;  // scratch, bins * nf
    double* out;  // row r of the requested statistics at out + r * out_stride
    index_t out_stride;
};

struct SpectralReduceFns {
    void (*f32)(const SpectralReduceArgs&, const std::complex<float>* z);
    void (*f64)(const SpectralReduceArgs&, const std::complex<double>* z);
    // Frames [f0, f1) of x transformed and reduced in one go (nullptr: use spectral_frames and
    // f32/f64). Only for P.n_fft < 65536 (the pack kernels' range).
    void (*fused_f32)(const SpectralPlan<float>& P, const FrameLayout& L, const float* x, index_t stride, index_t f0,
                      index_t f1, const SpectralReduceArgs&);
    void (*fused_f64)(const SpectralPlan<double>& P, const FrameLayout& L, const double* x, index_t stride, index_t f0,
                      index_t f1, const SpectralReduceArgs&);
    // power_peaks' block: p[b * (f1 - f0) + j] = S(|X|)**2 in S with librosa's rounding (S(|X|) of
    // the float64 STFT rounded to S), from a float64 transform of frames [f0, f1) (nullptr:
    // spectral_frames, then power_peaks.cc's loop). Same n_fft range as the fused reductions.
    void (*power_f32)(const SpectralPlan<double>& P, const FrameLayout& L, const double* x, index_t stride, index_t f0,
                      index_t f1, float* p);
    void (*power_f64)(const SpectralPlan<double>& P, const FrameLayout& L, const double* x, index_t stride, index_t f0,
                      index_t f1, double* p);
    // chroma_project's frames [t0, t0 + nt) of one (bins, frames) page, with the filters
    // transposed (fbt: bins x n_out).
    void (*project_f32)(const double* fbt, index_t n_out, const float* P, index_t bins, index_t frames, index_t t0,
                        index_t nt, float* out);
    void (*project_f64)(const double* fbt, index_t n_out, const double* P, index_t bins, index_t frames, index_t t0,
                        index_t nt, double* out);
};

const SpectralReduceFns& spectral_reduce_generic();
const SpectralReduceFns& spectral_reduce_active();  // AVX2 when the active pipeline kernels are
#if defined(CEPSTRA_HAVE_X86_KERNELS)
const SpectralReduceFns& spectral_reduce_avx2();
#endif

}  // namespace cepstra
