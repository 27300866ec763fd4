#include "cepstra/beat.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace cepstra {

namespace {

template <class T>
std::vector<T> gaussian_window(T f) {
    // np.exp(-0.5 * (np.arange(-f, f + 1) * 32.0 / f) ** 2), element by element in double
    const index_t K = 2 * index_t(f) + 1;
    std::vector<T> w(std::size_t(std::max<index_t>(K, 0)));
    const double fd = double(f);
    for (index_t k = 0; k < K; ++k) {
        const double a = (-fd + double(k)) * 32.0 / fd;
        w[std::size_t(k)] = T(std::exp(-0.5 * (a * a)));
    }
    return w;
}

// localscore[i] = sum_k window[k] * onsets[i + K/2 - k] over 1 <= i + K/2 - k <= n - 1, in
// ascending k, accumulated in T (librosa's loop bounds skip onset frame 0).
template <class T>
void local_score_at(const T* onsets, index_t n, const std::vector<T>& w, index_t i, T* out) {
    const index_t K = index_t(w.size()), h = K / 2;
    T acc = T(0);
    const index_t k0 = std::max<index_t>(0, i + h - n + 1), k1 = std::min<index_t>(i + h, K);
    for (index_t k = k0; k < k1; ++k) acc += w[std::size_t(k)] * onsets[i + h - k];
    *out = acc;
}

template <class T>
T typed_log(T v) {
    return std::log(v);
}

}  // namespace

template <class T>
void beat_track_dp(const T* onsets, index_t n, const T* fpb, index_t n_fpb, float tightness, bool trim,
                   const double* hann5, bool* beats) {
    require(n >= 1, "onset envelope is empty");
    require(n_fpb == 1 || n_fpb == n, "frames per beat must have 1 or n values");
    std::vector<T> local(static_cast<std::size_t>(n));
    if (n_fpb == 1) {
        const auto w = gaussian_window(fpb[0]);
        for (index_t i = 0; i < n; ++i) local_score_at(onsets, n, w, i, &local[std::size_t(i)]);
    } else {
        for (index_t i = 0; i < n; ++i) local_score_at(onsets, n, gaussian_window(fpb[i]), i, &local[std::size_t(i)]);
    }

    // Dynamic programme.
    T lmax_score = local[0];
    for (index_t i = 1; i < n; ++i) lmax_score = std::max(lmax_score, local[std::size_t(i)]);
    const double score_thresh = 0.01 * double(lmax_score);
    std::vector<std::int32_t> backlink(static_cast<std::size_t>(n));
    std::vector<T> cum(static_cast<std::size_t>(n));
    // log(i - loc) for every distance the search can reach
    T fmax = fpb[0];
    for (index_t i = 1; i < n_fpb; ++i) fmax = std::max(fmax, fpb[i]);
    const index_t max_dist = std::min<index_t>(n, 2 * index_t(fmax) + 2);
    std::vector<double> logd(static_cast<std::size_t>(max_dist + 1));
    for (index_t d = 1; d <= max_dist; ++d) logd[std::size_t(d)] = std::log(double(d));
    const double tight = double(tightness);
    bool first_beat = true;
    const bool tv = n_fpb > 1;
    T log_f = typed_log(fpb[0]);
    for (index_t i = 0; i < n; ++i) {
        const T f = tv ? fpb[i] : fpb[0];
        if (tv) log_f = typed_log(f);
        const index_t start = i - index_t(std::nearbyint(double(f) / 2.0));
        const index_t stop = i - 2 * index_t(f) - 1;  // exclusive
        double best = -std::numeric_limits<double>::infinity();
        index_t where = -1;
        for (index_t loc = start; loc > stop; --loc) {
            if (loc < 0) break;
            const double dl = logd[std::size_t(i - loc)] - double(log_f);
            const double score = double(cum[std::size_t(loc)]) - tight * (dl * dl);
            if (score > best) {
                best = score;
                where = loc;
            }
        }
        const T s = local[std::size_t(i)];
        cum[std::size_t(i)] = where >= 0 ? T(double(s) + best) : s;
        if (first_beat && double(s) < score_thresh) {
            backlink[std::size_t(i)] = -1;
        } else {
            backlink[std::size_t(i)] = std::int32_t(where);
            first_beat = false;
        }
    }

    // Last beat: the last local maximum of the cumulative score at or above half the median
    // of all local maxima (librosa.util.localmax: frame 0 never, the last frame if > its
    // neighbour).
    std::vector<char> is_max(static_cast<std::size_t>(n), 0);
    std::vector<T> maxima;
    for (index_t i = 1; i + 1 < n; ++i)
        if (cum[std::size_t(i)] > cum[std::size_t(i - 1)] && cum[std::size_t(i)] >= cum[std::size_t(i + 1)])
            is_max[std::size_t(i)] = 1;
    if (n >= 2 && cum[std::size_t(n - 1)] > cum[std::size_t(n - 2)]) is_max[std::size_t(n - 1)] = 1;
    for (index_t i = 0; i < n; ++i)
        if (is_max[std::size_t(i)]) maxima.push_back(cum[std::size_t(i)]);
    index_t tail = n - 1;
    if (!maxima.empty()) {
        std::sort(maxima.begin(), maxima.end());
        const std::size_t m = maxima.size();
        // np.median: the middle element, or the mean of the two middle ones
        const T med = (m % 2) ? maxima[m / 2] : T((maxima[m / 2 - 1] + maxima[m / 2]) / T(2));
        const T thr = T(0.5 * double(med));
        for (index_t k = n - 1; k >= 0; --k) {
            if (is_max[std::size_t(k)] && cum[std::size_t(k)] >= thr) {
                tail = k;
                break;
            }
        }
    }
    std::fill(beats, beats + n, false);
    for (index_t k = tail; k >= 0; k = backlink[std::size_t(k)]) beats[k] = true;

    // Trim: threshold from the Hann-smoothed local score at the beats; clear from both ends
    // while the local score stays at or below it.
    double threshold = 0.0;
    if (trim) {
        std::vector<double> at;
        for (index_t i = 0; i < n; ++i)
            if (beats[i]) at.push_back(double(local[std::size_t(i)]));
        const index_t nb = index_t(at.size());
        // np.convolve(at, hann5)[2:], each output summed over the overlapping taps
        double sumsq = 0.0;
        index_t count = 0;
        for (index_t o = 2; o < std::min(nb + 4, n + 2); ++o) {
            double acc = 0.0;
            for (index_t k = 0; k < 5; ++k) {
                const index_t j = o - k;
                if (j >= 0 && j < nb) acc += at[std::size_t(j)] * hann5[k];
            }
            sumsq += acc * acc;
            ++count;
        }
        threshold = count ? 0.5 * std::sqrt(sumsq / double(count)) : 0.0;
    }
    for (index_t k = 0; k < n && double(local[std::size_t(k)]) <= threshold; ++k) beats[k] = false;
    for (index_t k = n - 1; k >= 0 && double(local[std::size_t(k)]) <= threshold; --k) beats[k] = false;
}

template void beat_track_dp<float>(const float*, index_t, const float*, index_t, float, bool, const double*, bool*);
template void beat_track_dp<double>(const double*, index_t, const double*, index_t, float, bool, const double*, bool*);

}  // namespace cepstra
