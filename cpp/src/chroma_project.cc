// Chroma projection (see cepstra/chroma_project.h).
#include "cepstra/chroma_project.h"

#include <algorithm>
#include <vector>

#include "cepstra/threads.h"

namespace cepstra {

namespace {
constexpr index_t kTile = 128;  // frames per task: n_out x kTile accumulators stay in L1/L2
}  // namespace

template <class S>
void run_chroma_project(const double* fb, index_t n_out, const S* P, index_t rows, index_t bins, index_t frames,
                        S* out) {
    require(n_out >= 1 && bins >= 1 && rows >= 0 && frames >= 0, "bad projection shape");
    const index_t tiles = (frames + kTile - 1) / kTile;
    parallel_for(checked_mul(rows, tiles, "task count"), [&](index_t task) {
        const index_t r = task / tiles, t0 = (task % tiles) * kTile, nt = std::min(frames, t0 + kTile) - t0;
        std::vector<double> acc(std::size_t(n_out * kTile), 0.0);
        const S* p = P + r * bins * frames + t0;
        for (index_t b = 0; b < bins; ++b) {
            const S* row = p + b * frames;
            double x[kTile];
            for (index_t t = 0; t < nt; ++t) x[t] = double(row[t]);
            for (index_t c = 0; c < n_out; ++c) {
                const double w = fb[c * bins + b];
                if (w == 0.0) continue;
                double* a = acc.data() + c * kTile;
                for (index_t t = 0; t < nt; ++t) a[t] += w * x[t];
            }
        }
        S* o = out + r * n_out * frames + t0;
        for (index_t c = 0; c < n_out; ++c)
            for (index_t t = 0; t < nt; ++t) o[c * frames + t] = S(acc[std::size_t(c * kTile + t)]);
    });
}

template void run_chroma_project<float>(const double*, index_t, const float*, index_t, index_t, index_t, float*);
template void run_chroma_project<double>(const double*, index_t, const double*, index_t, index_t, index_t, double*);

}  // namespace cepstra
