#include "cepstra/griffinlim.h"

#include <algorithm>
#include <cmath>

#include "cepstra/threads.h"

namespace cepstra {

template <class T>
void griffinlim_update(const std::complex<T>* rebuilt, const std::complex<T>* tprev, const T* S, index_t n, T c, T eps,
                       std::complex<T>* angles) {
    const index_t block = 1 << 14;
    const index_t tasks = (n + block - 1) / block;
    parallel_for(tasks, [&](index_t t) {
        const index_t i0 = t * block, i1 = std::min(n, i0 + block);
        for (index_t i = i0; i < i1; ++i) {
            T re = rebuilt[i].real(), im = rebuilt[i].imag();
            if (tprev) {
                re -= c * tprev[i].real();
                im -= c * tprev[i].imag();
            }
            const T m = std::hypot(re, im) + eps;
            // numpy's complex / real and complex * real reduce to these component operations
            angles[i] = std::complex<T>((re / m) * S[i], (im / m) * S[i]);
        }
    });
}

template void griffinlim_update<float>(const std::complex<float>*, const std::complex<float>*, const float*, index_t,
                                       float, float, std::complex<float>*);
template void griffinlim_update<double>(const std::complex<double>*, const std::complex<double>*, const double*,
                                        index_t, double, double, std::complex<double>*);

}  // namespace cepstra
