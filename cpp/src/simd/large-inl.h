// Large transforms: one frame at a time instead of one frame per SIMD lane.
//
// The pack kernels hold W frames at once, so a block's buffers (time signal, spectrum, FFT
// scratch) cost about 5 x n_fft x W scalars per thread: for n_fft = 2^20 and 16 float lanes,
// hundreds of megabytes, and a single row (fft.rfft of one long signal) still pays for W - 1
// empty lanes. From kLargeFft points up, the same kernels run on a one-lane "pack" (plain
// scalars, which the compiler still vectorises where it can): per-thread memory is then about
// 5 x n_fft scalars, and the time of one transform is that of one transform. Below the
// threshold nothing changes.
//
// Include after kernels-inl.h and kaldi-inl.h, with CEPSTRA_ISA_NS defined.

#include <cmath>

namespace cepstra {
namespace CEPSTRA_ISA_NS {

constexpr index_t kLargeFft = index_t(1) << 16;

template <class S>
struct V1 {
    using T = S;
    static constexpr int W = 1;
    S v;
    static V1 zero() { return {S(0)}; }
    static V1 set1(S x) { return {x}; }
    static V1 load(const S* p) { return {*p}; }
    static void store(S* p, V1 a) { *p = a.v; }
};
template <class S>
inline V1<S> operator+(V1<S> a, V1<S> b) {
    return {a.v + b.v};
}
template <class S>
inline V1<S> operator-(V1<S> a, V1<S> b) {
    return {a.v - b.v};
}
template <class S>
inline V1<S> operator*(V1<S> a, V1<S> b) {
    return {a.v * b.v};
}
// Fused where the ISA has FMA (as the wide packs), plain otherwise (std::fma would be a call).
template <class S>
inline V1<S> fmadd(V1<S> a, V1<S> b, V1<S> c) {
#if defined(__FMA__)
    return {std::fma(a.v, b.v, c.v)};
#else
    return {a.v * b.v + c.v};
#endif
}
template <class S>
inline V1<S> fnmadd(V1<S> a, V1<S> b, V1<S> c) {
#if defined(__FMA__)
    return {std::fma(-a.v, b.v, c.v)};
#else
    return {c.v - a.v * b.v};
#endif
}
// As the x86 max instructions: the second operand when either is NaN.
template <class S>
inline V1<S> vmax(V1<S> a, V1<S> b) {
    return {a.v > b.v ? a.v : b.v};
}
template <class S>
inline V1<S> vsqrt(V1<S> a) {
    return {std::sqrt(a.v)};
}
template <class S>
inline void load_transposed(const S* base, index_t, V1<S>* out) {
    out[0].v = base[0];
}
template <class S>
inline void store_interleaved(S* dst, V1<S> re, V1<S> im) {
    dst[0] = re.v;
    dst[1] = im.v;
}

template <class V>
void spectral_frames_sized(const SpectralPlan<typename V::T>& P, const FrameLayout& L, const typename V::T* x,
                           index_t stride, index_t f0, index_t f1, void* out, index_t out_stride, index_t out_f0,
                           typename V::T clip, typename V::T* min_db, typename V::T* max_db) {
    if (P.n_fft >= kLargeFft)
        spectral_frames<V1<typename V::T>>(P, L, x, stride, f0, f1, out, out_stride, out_f0, clip, min_db, max_db);
    else
        spectral_frames<V>(P, L, x, stride, f0, f1, out, out_stride, out_f0, clip, min_db, max_db);
}

template <class V>
void istft_signal_sized(const RealFftPlan<typename V::T>& fft, const std::complex<typename V::T>* spec,
                        index_t n_frames, const typename V::T* window, index_t hop, index_t start, index_t out_len,
                        typename V::T* y) {
    if (index_t(fft.n()) >= kLargeFft)
        istft_signal<V1<typename V::T>>(fft, spec, n_frames, window, hop, start, out_len, y);
    else
        istft_signal<V>(fft, spec, n_frames, window, hop, start, out_len, y);
}

template <class V>
void rfft_rows_sized(const RealFftPlan<typename V::T>& fft, const typename V::T* in, index_t rows,
                     std::complex<typename V::T>* out) {
    if (index_t(fft.n()) >= kLargeFft)
        rfft_rows<V1<typename V::T>>(fft, in, rows, out);
    else
        rfft_rows<V>(fft, in, rows, out);
}

template <class V>
void irfft_rows_sized(const RealFftPlan<typename V::T>& fft, const std::complex<typename V::T>* in, index_t rows,
                      typename V::T* out) {
    if (index_t(fft.n()) >= kLargeFft)
        irfft_rows<V1<typename V::T>>(fft, in, rows, out);
    else
        irfft_rows<V>(fft, in, rows, out);
}

template <class V>
void kaldi_frames_sized(const KaldiPlan<typename V::T>& P, const typename V::T* x, index_t n, index_t stride,
                        index_t f0, index_t f1, std::uint64_t key, typename V::T* out, index_t out_f0) {
    if (P.padded >= kLargeFft)
        kaldi_frames<V1<typename V::T>>(P, x, n, stride, f0, f1, key, out, out_f0);
    else
        kaldi_frames<V>(P, x, n, stride, f0, f1, key, out, out_f0);
}

template <class V>
KernelFns<typename V::T> make_fns_sized() {
    KernelFns<typename V::T> k = make_fns<V>();
    k.spectral_frames = &spectral_frames_sized<V>;
    k.istft_signal = &istft_signal_sized<V>;
    k.rfft_rows = &rfft_rows_sized<V>;
    k.irfft_rows = &irfft_rows_sized<V>;
    return k;
}

inline KernelTable make_table_sized(const char* name) {
    return KernelTable{name, make_fns_sized<VF>(), make_fns_sized<VD>()};
}

inline KaldiKernelTable make_kaldi_table_sized() {
    KaldiKernelTable t;
    t.f32.frames = &kaldi_frames_sized<VF>;
    t.f64.frames = &kaldi_frames_sized<VD>;
    return t;
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
