// Chroma projection (see cepstra/chroma_project.h).
#include "cepstra/chroma_project.h"

#include <algorithm>
#include <vector>

#include "cepstra/threads.h"
#include "simd/spectral_reduce.h"

namespace cepstra {

namespace {
constexpr index_t kTile = 128;  // frames per task
}  // namespace

template <class S>
void run_chroma_project(const double* fb, index_t n_out, const S* P, index_t rows, index_t bins, index_t frames,
                        S* out) {
    require(n_out >= 1 && bins >= 1 && rows >= 0 && frames >= 0, "bad projection shape");
    std::vector<double> fbt(std::size_t(checked_mul(n_out, bins, "filter size")));
    for (index_t c = 0; c < n_out; ++c)
        for (index_t b = 0; b < bins; ++b) fbt[std::size_t(b * n_out + c)] = fb[c * bins + b];
    const SpectralReduceFns& k = spectral_reduce_active();
    const index_t tiles = (frames + kTile - 1) / kTile;
    parallel_for(checked_mul(rows, tiles, "task count"), [&](index_t task) {
        const index_t r = task / tiles, t0 = (task % tiles) * kTile, nt = std::min(frames, t0 + kTile) - t0;
        const S* p = P + r * bins * frames;
        S* o = out + r * n_out * frames;
        if constexpr (sizeof(S) == sizeof(float))
            k.project_f32(fbt.data(), n_out, p, bins, frames, t0, nt, o);
        else
            k.project_f64(fbt.data(), n_out, p, bins, frames, t0, nt, o);
    });
}

template void run_chroma_project<float>(const double*, index_t, const float*, index_t, index_t, index_t, float*);
template void run_chroma_project<double>(const double*, index_t, const double*, index_t, index_t, index_t, double*);

}  // namespace cepstra
