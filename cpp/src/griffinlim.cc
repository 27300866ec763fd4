#include "cepstra/griffinlim.h"

#include <algorithm>

#include "cepstra/threads.h"
#include "simd/rhythm_kernels.h"

namespace cepstra {

template <class T>
void griffinlim_update(const std::complex<T>* rebuilt, const std::complex<T>* tprev, const T* S, index_t n, T c, T eps,
                       std::complex<T>* angles) {
    const RhythmKernelFns<T>& k = active_rhythm_kernels().fns<T>();
    const index_t block = 1 << 14;
    const index_t tasks = (n + block - 1) / block;
    parallel_for(tasks, [&](index_t t) {
        const index_t i0 = t * block, i1 = std::min(n, i0 + block);
        k.gl_update(rebuilt + i0, tprev ? tprev + i0 : nullptr, S + i0, i1 - i0, c, eps, angles + i0);
    });
}

template void griffinlim_update<float>(const std::complex<float>*, const std::complex<float>*, const float*, index_t,
                                       float, float, std::complex<float>*);
template void griffinlim_update<double>(const std::complex<double>*, const std::complex<double>*, const double*,
                                        index_t, double, double, std::complex<double>*);

}  // namespace cepstra
