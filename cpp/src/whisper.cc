#include "cepstra/whisper.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "cepstra/threads.h"

// dbmath.h's branch-free natural log (~1 ulp), in a namespace of its own: this file is compiled
// for the baseline ISA, and the plain loops below vectorise with it (glibc's log10 is a call
// per value and would take more time than the whole mel spectrogram).
#define CEPSTRA_ISA_NS whisper_baseline
#include "simd/dbmath.h"
#undef CEPSTRA_ISA_NS

namespace cepstra {

namespace {

// The maximum, NaN if any value is NaN (as torch.max).
template <class T>
T nan_max(const T* x, index_t n) {
    T mx = -std::numeric_limits<T>::infinity();
    bool nan = false;
    for (index_t j = 0; j < n; ++j) {
        nan |= x[j] != x[j];
        mx = x[j] > mx ? x[j] : mx;
    }
    return nan ? std::numeric_limits<T>::quiet_NaN() : mx;
}

}  // namespace

template <class T>
void whisper_log_mel(const T* mel, index_t count, index_t n_mels, index_t n_in, bool batch_max, T* out) {
    require(n_in >= 2, "whisper_log_mel needs at least 2 frames");
    const index_t n_o = n_in - 1;
    const index_t rows = checked_mul(count, n_mels, "rows");
    if (rows == 0) return;
    // Pass 1: log10 with the 1e-10 clamp, computed in T as torch does for float32 (ln / ln 10), and the
    // maximum of every row.
    std::vector<T> row_max(static_cast<std::size_t>(rows));
    const T amin = T(1e-10);
    parallel_for(rows, [&](index_t r) {
        const T* src = mel + r * n_in;
        T* dst = out + r * n_o;
        const T inv_ln10 = T(0.43429448190325182765);
        for (index_t j = 0; j < n_o; ++j) dst[j] = whisper_baseline::ln_floored(src[j], amin) * inv_ln10;
        row_max[std::size_t(r)] = nan_max(dst, n_o);
    });
    // torch's max propagates NaN, and so the floor and then every output: an overflowed
    // spectrogram must not come out as plausible numbers.
    std::vector<T> floor(static_cast<std::size_t>(count));
    for (index_t b = 0; b < count; ++b) floor[std::size_t(b)] = nan_max(row_max.data() + b * n_mels, n_mels);
    const T all = nan_max(floor.data(), count);
    for (index_t b = 0; b < count; ++b) floor[std::size_t(b)] = (batch_max ? all : floor[std::size_t(b)]) - T(8);
    // Pass 2: floor at max - 8, then (x + 4) / 4.
    parallel_for(rows, [&](index_t r) {
        T* dst = out + r * n_o;
        const T fl = floor[std::size_t(r / n_mels)];
        for (index_t j = 0; j < n_o; ++j) dst[j] = ((dst[j] < fl || fl != fl ? fl : dst[j]) + T(4)) / T(4);
    });
}

template void whisper_log_mel<float>(const float*, index_t, index_t, index_t, bool, float*);
template void whisper_log_mel<double>(const double*, index_t, index_t, index_t, bool, double*);

}  // namespace cepstra
