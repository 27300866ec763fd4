#include "cepstra/median_filter.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "cepstra/threads.h"

namespace cepstra {

namespace {

// scipy's "reflect" index for position p of a line of length n: period 2n, mirrored halves.
inline index_t reflect_index(index_t p, index_t n) {
    const index_t period = 2 * n;
    index_t m = p % period;
    if (m < 0) m += period;
    return m < n ? m : period - 1 - m;
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
        T* p = std::lower_bound(win, win + size, gone);
        if (come > gone) {
            T* q = std::upper_bound(p + 1, win + size, come);
            std::memmove(p, p + 1, std::size_t(q - p - 1) * sizeof(T));
            *(q - 1) = come;
        } else {
            T* q = std::upper_bound(win, p, come);
            std::memmove(q + 1, q, std::size_t(p - q) * sizeof(T));
            *q = come;
        }
        out[i * out_stride] = win[rank];
    }
}

}  // namespace

template <class T>
void median_filter_3d(const T* x, index_t batch, index_t rows, index_t cols, int axis, index_t size, T* out) {
    require(axis == 1 || axis == 2, "median filter axis must be 1 or 2");
    require(size >= 1, "median filter size must be positive");
    if (batch == 0 || rows == 0 || cols == 0) return;
    const index_t n = axis == 2 ? cols : rows;            // line length
    const index_t lines_per_item = axis == 2 ? rows : cols;
    const index_t stride = axis == 2 ? 1 : cols;           // element stride along the line
    const index_t left = size / 2;
    const index_t n_lines = checked_mul(batch, lines_per_item, "median filter lines");
    // Tasks of a few lines each: enough to balance threads, few enough to amortise scratch.
    const index_t per_task = std::max<index_t>(1, std::min<index_t>(64, n_lines / 64));
    const index_t tasks = (n_lines + per_task - 1) / per_task;
    std::vector<index_t> src(static_cast<std::size_t>(n + size - 1));
    for (index_t p = 0; p < n + size - 1; ++p) src[std::size_t(p)] = reflect_index(p - left, n);
    parallel_for(tasks, [&](index_t t) {
        std::vector<T> padded(static_cast<std::size_t>(n + size - 1)), win(static_cast<std::size_t>(size));
        const index_t l0 = t * per_task, l1 = std::min(n_lines, l0 + per_task);
        for (index_t l = l0; l < l1; ++l) {
            const index_t b = l / lines_per_item, j = l % lines_per_item;
            const index_t base = b * rows * cols + (axis == 2 ? j * cols : j);
            const T* line = x + base;
            for (index_t p = 0; p < n + size - 1; ++p) padded[std::size_t(p)] = line[src[std::size_t(p)] * stride];
            median_line<T>(padded.data(), n, size, win.data(), out + base, stride);
        }
    });
}

template void median_filter_3d<float>(const float*, index_t, index_t, index_t, int, index_t, float*);
template void median_filter_3d<double>(const double*, index_t, index_t, index_t, int, index_t, double*);

}  // namespace cepstra
