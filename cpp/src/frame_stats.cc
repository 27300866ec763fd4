// Frame RMS and zero crossings (see cepstra/frame_stats.h).
#include "cepstra/frame_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "cepstra/threads.h"

namespace cepstra {

namespace {

// numpy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src) of the squares, in T.
template <class T>
T pairwise_sum_sq(const T* a, index_t n) {
    if (n < 8) {
        T res = T(0);
        for (index_t i = 0; i < n; ++i) res += a[i] * a[i];
        return res;
    }
    if (n <= 128) {
        T r[8];
        for (int j = 0; j < 8; ++j) r[j] = a[j] * a[j];
        index_t i = 8;
        for (; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; ++j) r[j] += a[i + j] * a[i + j];
        T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) res += a[i] * a[i];
        return res;
    }
    index_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum_sq(a, n2) + pairwise_sum_sq(a + n2, n - n2);
}

// The pairwise tree above the 128-sample leaves, for a power-of-two number of leaves.
template <class T>
T tree_sum(const T* leaf, index_t m) {
    if (m == 1) return leaf[0];
    return tree_sum(leaf, m / 2) + tree_sum(leaf + m / 2, m / 2);
}

// Samples [s, s + len) of the zero-padded row (padded coordinates): a pointer into the row when
// they lie inside it, else a copy with the padding's zeros in buf.
template <class T>
const T* padded_span(const T* x, index_t n, index_t pad, index_t s, index_t len, std::vector<T>& buf) {
    const index_t a = s - pad;
    if (a >= 0 && a + len <= n) return x + a;
    buf.assign(std::size_t(len), T(0));
    for (index_t i = std::max<index_t>(0, -a); i < len && a + i < n; ++i) buf[std::size_t(i)] = x[a + i];
    return buf.data();
}

constexpr index_t kLeaf = 128;

// Whether every frame's pairwise tree splits into whole 128-sample leaves that start on the
// 128-sample grid of the padded row: frame_length = 128 * 2^k and hop a multiple of 128 (the
// default 2048 / 512). The frames then share their leaves: each leaf is summed once.
bool shared_leaves(index_t frame_length, index_t hop) {
    if (frame_length % kLeaf != 0 || hop % kLeaf != 0) return false;
    const index_t m = frame_length / kLeaf;
    return (m & (m - 1)) == 0;
}

}  // namespace

template <class T>
void run_frame_rms(const T* y, index_t rows, index_t n, index_t pad, index_t frame_length, index_t hop, T* out) {
    require(frame_length >= 1 && hop >= 1 && pad >= 0, "bad frame parameters");
    const index_t total = checked_add(n, checked_mul(pad, 2, "padding"), "padding");
    require(total >= frame_length, "signal shorter than frame_length");
    const index_t F = 1 + (total - frame_length) / hop;
    const index_t per = 256;  // frames per task
    const index_t chunks = (F + per - 1) / per;
    const bool shared = shared_leaves(frame_length, hop);
    parallel_for(checked_mul(rows, chunks, "task count"), [&](index_t t) {
        const index_t r = t / chunks, f0 = (t % chunks) * per, f1 = std::min(F, f0 + per);
        const T* x = y + r * n;
        std::vector<T> buf;
        if (shared) {
            const index_t step = hop / kLeaf, m = frame_length / kLeaf;
            const index_t l0 = f0 * step, l1 = (f1 - 1) * step + m;
            std::vector<T> leaf(std::size_t(l1 - l0));
            for (index_t l = l0; l < l1; ++l)
                leaf[std::size_t(l - l0)] = pairwise_sum_sq(padded_span(x, n, pad, l * kLeaf, kLeaf, buf), kLeaf);
            for (index_t f = f0; f < f1; ++f) {
                const T s = tree_sum(leaf.data() + (f * step - l0), m);
                out[r * F + f] = std::sqrt(s / T(frame_length));
            }
            return;
        }
        for (index_t f = f0; f < f1; ++f) {
            const T s = pairwise_sum_sq(padded_span(x, n, pad, f * hop, frame_length, buf), frame_length);
            out[r * F + f] = std::sqrt(s / T(frame_length));
        }
    });
}

template <class T>
void run_frame_crossings(const T* y, index_t rows, index_t n, index_t pad, index_t frame_length, index_t hop,
                         T threshold, double* out) {
    require(frame_length >= 1 && hop >= 1 && pad >= 0 && n >= 1, "bad frame parameters");
    const index_t total = checked_add(n, checked_mul(pad, 2, "padding"), "padding");
    require(total >= frame_length, "signal shorter than frame_length");
    const index_t F = 1 + (total - frame_length) / hop;
    parallel_for(rows, [&](index_t r) {
        const T* x = y + r * n;
        // A sample's sign bit after |x| <= threshold is clipped to +0 (librosa's stencil).
        auto neg = [threshold](T v) {
            // for threshold >= 0, v < -threshold already means a set sign bit
            return threshold >= T(0) ? v < -threshold : ((v < -threshold) && std::signbit(v));
        };
        // Q(k): crossings between samples (i-1, i) of the row for 1 <= i <= k. Frame f holds the
        // padded pairs (i-1, i), f*hop < i < f*hop + frame_length, i.e. the row's pairs up to
        // f*hop + frame_length - 1 - pad, after f*hop - pad; the edge padding repeats the end
        // samples, so it adds none. Both ends grow with f: one merged walk finds every Q.
        auto clamp = [n](index_t k) { return std::min(std::max<index_t>(k, 0), n - 1); };
        auto count = [&](index_t from, index_t to) {  // pairs from < i <= to
            index_t c = 0;
            for (index_t i = from + 1; i <= to; ++i) c += index_t(neg(x[i]) != neg(x[i - 1]));
            return c;
        };
        std::vector<index_t> lo(std::size_t(F), 0);
        index_t ia = 0, ib = 0, cur = 0, acc = 0;
        while (ib < F) {
            const index_t a = ia < F ? clamp(ia * hop - pad) : n;
            const index_t b = clamp(ib * hop + frame_length - 1 - pad);
            if (ia < F && a <= b) {
                acc += count(cur, a);
                cur = a;
                lo[std::size_t(ia++)] = acc;
            } else {
                acc += count(cur, b);
                cur = b;
                out[r * F + ib] = double(acc - lo[std::size_t(ib)]);
                ++ib;
            }
        }
    });
}

#define CEPSTRA_INSTANTIATE(T)                                                                 \
    template void run_frame_rms<T>(const T*, index_t, index_t, index_t, index_t, index_t, T*); \
    template void run_frame_crossings<T>(const T*, index_t, index_t, index_t, index_t, index_t, T, double*);
CEPSTRA_INSTANTIATE(float)
CEPSTRA_INSTANTIATE(double)
#undef CEPSTRA_INSTANTIATE

}  // namespace cepstra
