#include "cepstra/hpss.h"

#include <algorithm>
#include <limits>

#include "cepstra/threads.h"

namespace cepstra {

namespace {

// librosa.util.softmask(X, X_ref, power, split_zeros) at one pixel.
template <class T>
inline T softmask(T x, T x_ref, int power, bool split_zeros) {
    const T z = std::max(x, x_ref);
    if (z < std::numeric_limits<T>::min()) return split_zeros ? T(0.5) : T(0);
    T m = x / z, r = x_ref / z;
    if (power == 2) {
        m = m * m;
        r = r * r;
    }
    return m / (m + r);
}

}  // namespace

template <class T>
void hpss_apply(const std::complex<T>* D, const T* mag_in, const T* harm, const T* perc, index_t n, T margin_harm,
                T margin_perc, int power, bool split_zeros, std::complex<T>* H, std::complex<T>* P) {
    require(power == 1 || power == 2, "hpss_apply: power must be 1 or 2");
    const index_t block = 1 << 14;
    const index_t tasks = (n + block - 1) / block;
    parallel_for(tasks, [&](index_t t) {
        const index_t i0 = t * block, i1 = std::min(n, i0 + block);
        for (index_t i = i0; i < i1; ++i) {
            const T re = D[i].real(), im = D[i].imag();
            const T mag = mag_in[i];
            // librosa.magphase: phase = D / |D|, 1 where |D| == 0
            const T zero = mag == T(0) ? T(1) : T(0);
            const T nz = mag + zero;
            const T ph_re = re / nz + zero, ph_im = im / nz;
            const T h = harm[i], p = perc[i];
            const T mh = softmask(h, p * margin_harm, power, split_zeros);
            const T mp = softmask(p, h * margin_perc, power, split_zeros);
            const T sh = mag * mh, sp = mag * mp;
            H[i] = std::complex<T>(sh * ph_re, sh * ph_im);
            P[i] = std::complex<T>(sp * ph_re, sp * ph_im);
        }
    });
}

template void hpss_apply<float>(const std::complex<float>*, const float*, const float*, const float*, index_t, float,
                                float, int, bool, std::complex<float>*, std::complex<float>*);
template void hpss_apply<double>(const std::complex<double>*, const double*, const double*, const double*, index_t,
                                 double, double, int, bool, std::complex<double>*, std::complex<double>*);

}  // namespace cepstra
