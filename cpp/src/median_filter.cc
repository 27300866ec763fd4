#include "cepstra/median_filter.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "cepstra/threads.h"
#include "simd/rhythm_kernels.h"

namespace cepstra {

namespace {

// scipy's "reflect" index for position p of a line of length n: period 2n, mirrored halves.
inline index_t reflect_index(index_t p, index_t n) {
    const index_t period = 2 * n;
    index_t m = p % period;
    if (m < 0) m += period;
    return m < n ? m : period - 1 - m;
}

// Binary searches without data-dependent branches (the window is small and the comparisons are
// unpredictable, so mispredictions would dominate).
template <class T>
inline T* branchless_lower_bound(T* base, index_t len, T v) {
    if (len == 0) return base;
    while (len > 1) {
        const index_t half = len / 2;
        base = (base[half - 1] < v) ? base + half : base;
        len -= half;
    }
    return base + (*base < v ? 1 : 0);
}

template <class T>
inline T* branchless_upper_bound(T* base, index_t len, T v) {
    if (len == 0) return base;
    while (len > 1) {
        const index_t half = len / 2;
        base = (v < base[half - 1]) ? base : base + half;
        len -= half;
    }
    return base + (v < *base ? 0 : 1);
}

// One line: `padded` holds n + size - 1 samples; `win` is scratch of `size` elements. The
// window is kept sorted; each step replaces the outgoing sample by the incoming one with a
// single shift of the elements between their positions (O(size) worst case, no re-sort).
template <class T>
void median_line(const T* padded, index_t n, index_t size, T* win, T* out, index_t out_stride) {
    const index_t rank = size / 2;
    std::copy(padded, padded + size, win);
    std::sort(win, win + size);
    out[0] = win[rank];
    for (index_t i = 1; i < n; ++i) {
        const T gone = padded[i - 1];
        const T come = padded[i + size - 1];
        if (!(gone != come)) {
            out[i * out_stride] = win[rank];
            continue;
        }
        T* p = branchless_lower_bound(win, size, gone);
        if (come > gone) {
            T* q = branchless_upper_bound(p + 1, index_t(win + size - (p + 1)), come);
            std::memmove(p, p + 1, std::size_t(q - p - 1) * sizeof(T));
            *(q - 1) = come;
        } else {
            T* q = branchless_upper_bound(win, index_t(p - win), come);
            std::memmove(q + 1, q, std::size_t(p - q) * sizeof(T));
            *q = come;
        }
        out[i * out_stride] = win[rank];
    }
}

// Windows up to this size take the lane kernel (O(size) vertical compares per output); longer
// ones the sorted window (O(log size) search plus one memmove per output).
constexpr index_t kLaneKernelMaxSize = 256;

// Lines filtered `lanes` at a time by the ISA kernel. Along columns (axis 1) the lanes are
// adjacent columns: the kernel reads each padded row in place and writes the output in place.
// Along rows (axis 2) the lanes are adjacent rows, gathered lane-interleaved into scratch and
// scattered back. A short last group goes through scratch too, repeating its last line.
template <class T>
void median_lanes_3d(const T* x, index_t batch, index_t rows, index_t cols, int axis, index_t size,
                     const std::vector<index_t>& src, T* out) {
    const RhythmKernelFns<T>& k = active_rhythm_kernels().fns<T>();
    const index_t L = k.lanes;
    const index_t n = axis == 2 ? cols : rows;
    const index_t lines_per_item = axis == 2 ? rows : cols;
    const index_t groups_per_item = (lines_per_item + L - 1) / L;
    const index_t n_groups = checked_mul(batch, groups_per_item, "median filter groups");
    const index_t plen = n + size - 1;
    parallel_for(n_groups, [&](index_t g) {
        std::vector<const T*> in(static_cast<std::size_t>(plen));
        std::vector<T> scratch(static_cast<std::size_t>(2 * size * L));
        const index_t b = g / groups_per_item, j0 = (g % groups_per_item) * L;
        const index_t w = std::min(L, lines_per_item - j0);
        const T* item = x + b * rows * cols;
        T* o = out + b * rows * cols;
        if (axis == 1 && w == L) {
            for (index_t p = 0; p < plen; ++p) in[std::size_t(p)] = item + src[std::size_t(p)] * cols + j0;
            k.median_lanes(in.data(), n, size, o + j0, cols, scratch.data());
            return;
        }
        std::vector<T> padded(static_cast<std::size_t>(plen * L)), res(static_cast<std::size_t>(n * L));
        for (index_t p = 0; p < plen; ++p) in[std::size_t(p)] = &padded[std::size_t(p * L)];
        if (axis == 2) {
            for (index_t l = 0; l < L; ++l) {
                const T* line = item + (j0 + std::min(l, w - 1)) * cols;
                for (index_t p = 0; p < plen; ++p) padded[std::size_t(p * L + l)] = line[src[std::size_t(p)]];
            }
        } else {
            for (index_t p = 0; p < plen; ++p) {
                const T* row = item + src[std::size_t(p)] * cols + j0;
                for (index_t l = 0; l < L; ++l) padded[std::size_t(p * L + l)] = row[std::min(l, w - 1)];
            }
        }
        k.median_lanes(in.data(), n, size, res.data(), L, scratch.data());
        if (axis == 2) {
            for (index_t l = 0; l < w; ++l) {
                T* line = o + (j0 + l) * cols;
                for (index_t i = 0; i < n; ++i) line[i] = res[std::size_t(i * L + l)];
            }
        } else {
            for (index_t i = 0; i < n; ++i) std::copy_n(&res[std::size_t(i * L)], w, o + i * cols + j0);
        }
    });
}

}  // namespace

template <class T>
void median_filter_3d(const T* x, index_t batch, index_t rows, index_t cols, int axis, index_t size, T* out) {
    require(axis == 1 || axis == 2, "median filter axis must be 1 or 2");
    require(size >= 1, "median filter size must be positive");
    if (batch == 0 || rows == 0 || cols == 0) return;
    const index_t n = axis == 2 ? cols : rows;  // line length
    const index_t lines_per_item = axis == 2 ? rows : cols;
    const index_t left = size / 2;
    std::vector<index_t> src(static_cast<std::size_t>(n + size - 1));
    for (index_t p = 0; p < n + size - 1; ++p) src[std::size_t(p)] = reflect_index(p - left, n);
    if (size <= kLaneKernelMaxSize) {
        median_lanes_3d(x, batch, rows, cols, axis, size, src, out);
        return;
    }
    const index_t n_lines = checked_mul(batch, lines_per_item, "median filter lines");
    // Tasks of a few lines each: enough to balance threads, few enough to amortise scratch.
    const index_t per_task = std::max<index_t>(1, std::min<index_t>(64, n_lines / 64));
    const index_t tasks = (n_lines + per_task - 1) / per_task;
    if (axis == 2) {
        parallel_for(tasks, [&](index_t t) {
            std::vector<T> padded(static_cast<std::size_t>(n + size - 1)), win(static_cast<std::size_t>(size));
            const index_t l0 = t * per_task, l1 = std::min(n_lines, l0 + per_task);
            for (index_t l = l0; l < l1; ++l) {
                const index_t b = l / lines_per_item, j = l % lines_per_item;
                const T* line = x + b * rows * cols + j * cols;
                for (index_t p = 0; p < n + size - 1; ++p) padded[std::size_t(p)] = line[src[std::size_t(p)]];
                median_line<T>(padded.data(), n, size, win.data(), out + b * rows * cols + j * cols, 1);
            }
        });
        return;
    }
    // Along columns: gather a block of adjacent columns row by row (contiguous reads), filter
    // each as a line, scatter the results back row by row.
    constexpr index_t kBlock = 16;
    const index_t blocks_per_item = (cols + kBlock - 1) / kBlock;
    const index_t n_blocks = checked_mul(batch, blocks_per_item, "median filter blocks");
    const index_t plen = n + size - 1;
    parallel_for(n_blocks, [&](index_t t) {
        std::vector<T> padded(static_cast<std::size_t>(kBlock * plen)), res(static_cast<std::size_t>(kBlock * n));
        std::vector<T> win(static_cast<std::size_t>(size));
        const index_t b = t / blocks_per_item, j0 = (t % blocks_per_item) * kBlock;
        const index_t w = std::min(kBlock, cols - j0);
        const T* item = x + b * rows * cols;
        for (index_t p = 0; p < plen; ++p) {
            const T* row = item + src[std::size_t(p)] * cols + j0;
            for (index_t c = 0; c < w; ++c) padded[std::size_t(c * plen + p)] = row[c];
        }
        for (index_t c = 0; c < w; ++c)
            median_line<T>(&padded[std::size_t(c * plen)], n, size, win.data(), &res[std::size_t(c * n)], 1);
        T* o = out + b * rows * cols + j0;
        for (index_t i = 0; i < n; ++i)
            for (index_t c = 0; c < w; ++c) o[i * cols + c] = res[std::size_t(c * n + i)];
    });
}

template void median_filter_3d<float>(const float*, index_t, index_t, index_t, int, index_t, float*);
template void median_filter_3d<double>(const double*, index_t, index_t, index_t, int, index_t, double*);

}  // namespace cepstra
