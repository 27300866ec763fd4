#include "cepstra/istft_fast.h"

#include <algorithm>
#include <limits>

#include "cepstra/fft.h"
#include "cepstra/pipeline.h"
#include "cepstra/threads.h"
#include "simd/rhythm_kernels.h"

namespace cepstra {

template <class T>
void run_istft_fast(const std::complex<T>* spec, index_t count, index_t n_frames, index_t n_fft, index_t hop,
                    const std::vector<double>& window, bool center, index_t out_len, T* out) {
    require(index_t(window.size()) == n_fft, "window must have n_fft values");
    require(hop >= 1, "hop_length must be positive");
    // From large-inl.h's kLargeFft (2^16) up, the pipeline's istft transforms one frame at a
    // time; the packed overlap-add here would hold lanes x n_fft values per thread (1 GB at
    // 2^24 in double), so those sizes take that path (the same numbers).
    if (n_fft >= (index_t(1) << 16)) {
        run_istft<T>(spec, count, n_frames, n_fft, hop, window, center, out_len, out);
        return;
    }
    const auto fft = real_fft_plan<T>(std::size_t(n_fft));
    const index_t start = center ? n_fft / 2 : 0;
    std::vector<T> wscaled(static_cast<std::size_t>(n_fft)), w2(static_cast<std::size_t>(n_fft));
    for (index_t i = 0; i < n_fft; ++i) {
        wscaled[std::size_t(i)] = T(window[std::size_t(i)] / double(n_fft));  // irfft's 1/n folded in
        w2[std::size_t(i)] = T(window[std::size_t(i)] * window[std::size_t(i)]);
    }
    // librosa.filters.window_sumsquare at padded position t: its frames' squared window values
    // summed in frame order (as run_istft). For n_fft <= t < n_frames * hop no frame is clipped
    // at either end, and the summands depend on t % hop only.
    auto wss = [&](index_t t) {
        const index_t f_lo = t >= n_fft ? (t - n_fft) / hop + 1 : 0, f_hi = std::min(n_frames - 1, t / hop);
        T s = T(0);
        for (index_t f = f_lo; f <= f_hi; ++f) s += w2[std::size_t(t - f * hop)];
        return s;
    };
    const index_t t_lo = n_fft, t_hi = n_frames * hop;
    std::vector<T> period(static_cast<std::size_t>(hop), T(0));
    for (index_t r = 0; r < hop; ++r) {
        const index_t t = t_lo + ((r - t_lo % hop) % hop + hop) % hop;
        if (t < t_hi) period[std::size_t(t % hop)] = wss(t);
    }
    const RhythmKernelFns<T>& k = active_rhythm_kernels().fns<T>();
    const T tiny = std::numeric_limits<T>::min();
    const index_t bins = n_fft / 2 + 1;
    parallel_for(count, [&](index_t b) {
        T* y = out + b * out_len;
        std::fill(y, y + out_len, T(0));
        std::vector<T> frames(static_cast<std::size_t>(k.lanes_ola * n_fft));
        k.istft_ola(*fft, spec + b * bins * n_frames, n_frames, wscaled.data(), hop, start, out_len, y, frames.data());
        constexpr index_t kChunk = 2048;
        std::vector<T> s(static_cast<std::size_t>(kChunk));
        for (index_t j0 = 0; j0 < out_len; j0 += kChunk) {
            const index_t m = std::min(kChunk, out_len - j0);
            index_t t = j0 + start, r = t % hop;  // r = t % hop, stepped without a division
            for (index_t j = 0; j < m; ++j, ++t) {
                s[std::size_t(j)] = (t >= t_lo && t < t_hi) ? period[std::size_t(r)] : wss(t);
                if (++r == hop) r = 0;
            }
            k.divide_above(y + j0, s.data(), m, tiny);
        }
    });
}

template void run_istft_fast<float>(const std::complex<float>*, index_t, index_t, index_t, index_t,
                                    const std::vector<double>&, bool, index_t, float*);
template void run_istft_fast<double>(const std::complex<double>*, index_t, index_t, index_t, index_t,
                                     const std::vector<double>&, bool, index_t, double*);

}  // namespace cepstra
