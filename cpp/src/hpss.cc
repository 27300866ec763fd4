#include "cepstra/hpss.h"

#include <algorithm>

#include "cepstra/threads.h"
#include "simd/rhythm_kernels.h"

namespace cepstra {

template <class T>
void hpss_apply(const std::complex<T>* D, const T* mag_in, const T* harm, const T* perc, index_t n, T margin_harm,
                T margin_perc, int power, bool split_zeros, std::complex<T>* H, std::complex<T>* P) {
    require(power == 1 || power == 2, "hpss_apply: power must be 1 or 2");
    const RhythmKernelFns<T>& k = active_rhythm_kernels().fns<T>();
    const index_t block = 1 << 14;
    const index_t tasks = (n + block - 1) / block;
    parallel_for(tasks, [&](index_t t) {
        const index_t i0 = t * block, i1 = std::min(n, i0 + block);
        k.hpss_block(D + i0, mag_in + i0, harm + i0, perc + i0, i1 - i0, margin_harm, margin_perc, power, split_zeros,
                     H + i0, P + i0);
    });
}

template void hpss_apply<float>(const std::complex<float>*, const float*, const float*, const float*, index_t, float,
                                float, int, bool, std::complex<float>*, std::complex<float>*);
template void hpss_apply<double>(const std::complex<double>*, const double*, const double*, const double*, index_t,
                                 double, double, int, bool, std::complex<double>*, std::complex<double>*);

}  // namespace cepstra
