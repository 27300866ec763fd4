// The frame gather of the pipeline's blocks: W frames (one per SIMD lane) of window x samples,
// centre padding resolved by index (no padded copy of the signal).
//
// Included by kernels-inl.h (after vec.h and shuffle.h, with CEPSTRA_ISA_NS defined).
#pragma once

#include <algorithm>

#include "cepstra/framing.h"
#include "cepstra/pipeline.h"
#include "simd/shuffle.h"

namespace cepstra {
namespace CEPSTRA_ISA_NS {

// The values of pack p, as an array of its scalar type.
template <class V>
inline typename V::T* lanes(V* p) {
    return reinterpret_cast<typename V::T*>(p);
}

// time[i] lane l = window[i] * (padded) signal sample start(fb+l)+i, for i in the window's support.
// `rows` (W * (win_hi - win_lo) values, or null) stages the frames of a block that the fast
// path cannot read in place (a frame reaching into the padding, a strided signal, a last
// partial block): each frame is copied to its own row, padding resolved once per sample, and
// the rows go through the same register transposes as the fast path. Without it, such blocks
// took strided scalar stores and a padding lookup per sample: on a 1 s clip the two edge
// blocks cost as much as the other eleven.
template <class V>
void gather_frames(const SpectralPlan<typename V::T>& P, const FrameLayout& L, const typename V::T* x, index_t stride,
                   index_t fb, int count, V* time, typename V::T* rows) {
    using T = typename V::T;
    constexpr int W = V::W;
    const index_t lo = P.win_lo, hi = P.win_hi, span = hi - lo;
    for (index_t i = 0; i < lo; ++i) time[i] = V::zero();
    for (index_t i = hi; i < P.n_fft; ++i) time[i] = V::zero();
    T* t = lanes(time);
    const T* w = P.window.data();
    const index_t s_first = L.start(fb), s_last = L.start(fb + count - 1);
    const T* base = nullptr;
    index_t row_stride = P.hop;
    if (count == W && stride == 1 && s_first + lo >= 0 && s_last + hi <= L.n) {
        base = x + s_first + lo;  // the common case: W whole frames, hop apart, in contiguous memory
    } else if (rows != nullptr) {
        for (int l = 0; l < W; ++l) {
            T* row = rows + l * span;
            if (l >= count) {
                std::fill(row, row + span, T(0));
                continue;
            }
            const index_t f = fb + l, s = L.start(f) + lo;  // row[j] is padded sample s + j
            const index_t a = std::clamp<index_t>(-s, 0, span), b = std::clamp<index_t>(L.n - s, a, span);
            auto padded = [&](index_t j) {
                const index_t src = L.source_index(f, s + j);
                return src < 0 ? T(0) : x[src * stride];
            };
            const bool zeros = L.center && L.pad == PadMode::Constant;  // no lookup per padded sample
            for (index_t j = 0; j < a; ++j) row[j] = zeros ? T(0) : padded(j);
            if (stride == 1) {
                std::copy(x + s + a, x + s + b, row + a);
            } else {
                for (index_t j = a; j < b; ++j) row[j] = x[(s + j) * stride];
            }
            for (index_t j = b; j < span; ++j) row[j] = zeros ? T(0) : padded(j);
        }
        base = rows;
        row_stride = span;
    }
    if (base != nullptr) {
        // Transpose W x W tiles in registers instead of W scalar strided stores per sample.
        V tile[W];
        index_t i = lo;
        for (; i + W <= hi; i += W) {
            load_transposed(base + (i - lo), row_stride, tile);
            for (int j = 0; j < W; ++j) time[i + j] = tile[j] * V::set1(w[i + j]);
        }
        for (; i < hi; ++i)
            for (int l = 0; l < W; ++l) t[i * W + l] = base[l * row_stride + (i - lo)] * w[i];
        return;
    }
    if (count < W)
        for (index_t i = lo; i < hi; ++i)
            for (int l = count; l < W; ++l) t[i * W + l] = T(0);
    for (int l = 0; l < count; ++l) {
        const index_t f = fb + l;
        const index_t s = L.start(f);
        if (s + lo >= 0 && s + hi <= L.n) {
            const T* src = x + (s + lo) * stride;
            if (stride == 1) {
                for (index_t i = lo; i < hi; ++i) t[i * W + l] = src[i - lo] * w[i];
            } else {
                for (index_t i = lo; i < hi; ++i) t[i * W + l] = src[(i - lo) * stride] * w[i];
            }
        } else {
            for (index_t i = lo; i < hi; ++i) {
                const index_t pos = s + i;
                index_t src = pos;
                if (pos < 0 || pos >= L.n) src = L.source_index(f, pos);
                const T v = src < 0 ? T(0) : x[src * stride];
                t[i * W + l] = v * w[i];
            }
        }
    }
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
