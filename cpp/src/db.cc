#include "cepstra/db.h"

#include <algorithm>
#include <cmath>

namespace cepstra {

template <class T>
void power_to_db(const T* x, index_t n, T* out, double amin, double ref, double top_db, bool square_input) {
    require(amin > 0, "amin must be strictly positive");
    const T a = T(amin);
    // librosa subtracts the reference in the array's precision.
    const T ref_db = T(10.0 * std::log10(std::max(amin, ref)));
    T mx = -std::numeric_limits<T>::infinity();
    for (index_t i = 0; i < n; ++i) {
        T v = square_input ? x[i] * x[i] : x[i];
        v = std::max(a, v);
        const T d = T(10) * T(std::log10(v)) - ref_db;
        out[i] = d;
        mx = std::max(mx, d);
    }
    if (top_db >= 0 && n > 0) {
        const T floor_db = mx - T(top_db);
        for (index_t i = 0; i < n; ++i) out[i] = std::max(out[i], floor_db);
    }
}

template void power_to_db<float>(const float*, index_t, float*, double, double, double, bool);
template void power_to_db<double>(const double*, index_t, double*, double, double, double, bool);

}  // namespace cepstra
