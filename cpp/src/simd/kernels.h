// The per-ISA kernel table. Each kernels_<isa>.cc instantiates the same templated kernels
// (kernels-inl.h) for its pack width and returns a table; dispatch.cc picks one table at run time.
#pragma once

#include <complex>
#include <cstdint>

#include "cepstra/fft.h"
#include "cepstra/framing.h"
#include "cepstra/pipeline.h"

namespace cepstra {

template <class T>
struct KernelFns {
    int lanes = 1;
    // Frames [f0, f1) of one signal (x points at its sample 0, stride in elements; only the
    // samples the frames read are touched) into `out`: n_out rows `out_stride` apart, frame f in
    // column f - out_f0. Mfcc only: dB values below `clip` are raised to it, *max_db receives
    // the largest unclipped dB value and min_db[b] the smallest of block b (frames
    // [f0 + b*lanes, f0 + (b+1)*lanes)).
    void (*spectral_frames)(const SpectralPlan<T>& plan, const FrameLayout& layout, const T* x, index_t stride,
                            index_t f0, index_t f1, void* out, index_t out_stride, index_t out_f0, T clip, T* min_db,
                            T* max_db) = nullptr;
    // Overlap-adds windowed inverse FFTs of all frames of one signal into y (zeroed by the caller):
    // frame f sample i lands at y[f*hop + i - start] when inside [0, out_len).
    void (*istft_signal)(const RealFftPlan<T>& fft, const std::complex<T>* spec, index_t n_frames, const T* window,
                         index_t hop, index_t start, index_t out_len, T* y) = nullptr;
    void (*rfft_rows)(const RealFftPlan<T>& fft, const T* in, index_t rows, std::complex<T>* out) = nullptr;
    void (*irfft_rows)(const RealFftPlan<T>& fft, const std::complex<T>* in, index_t rows, T* out) = nullptr;
    // The bare FFT kernel on `lanes` frames already in pack layout (in: n x lanes, clobbered;
    // re/im: (n/2+1) x lanes; scratch: fft.scratch_elems() x lanes). For benchmarks/fft_vs_fftw.cc.
    void (*rfft_packs)(const RealFftPlan<T>& fft, T* in, T* re, T* im, T* scratch) = nullptr;
    // out[i] = 10 log10(max(amin, v)) - ref_db, v = x[i] (or x[i]^2 with `square`), inf and NaN
    // propagating; out may alias x. librosa's power_to_db / amplitude_to_db before top_db.
    void (*db_values)(const T* x, index_t n, T* out, T amin, T ref_db, bool square) = nullptr;
    // True when every x[r*row_stride + i*stride] (r < rows, i < n) is finite: one read pass.
    bool (*all_finite)(const T* x, index_t rows, index_t n, index_t row_stride, index_t stride) = nullptr;
};

struct KernelTable {
    const char* name;
    KernelFns<float> f32;
    KernelFns<double> f64;
    template <class T>
    const KernelFns<T>& fns() const;
};
template <>
inline const KernelFns<float>& KernelTable::fns<float>() const {
    return f32;
}
template <>
inline const KernelFns<double>& KernelTable::fns<double>() const {
    return f64;
}

const KernelTable& kernels_generic();
#if defined(CEPSTRA_HAVE_X86_KERNELS)
const KernelTable& kernels_sse2();
const KernelTable& kernels_avx2();
const KernelTable& kernels_avx512();
#endif

// The table for this CPU, or the one forced by CEPSTRA_ISA (baseline|sse2|avx2|avx512|generic).
const KernelTable& active_kernels();

}  // namespace cepstra
