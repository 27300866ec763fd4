#include "cepstra/db.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cepstra {

template <class T>
void power_to_db(const T* x, index_t n, T* out, double amin, double ref, double top_db, bool square_input) {
    require(amin > 0, "amin must be strictly positive");
    const T a = T(amin);
    // librosa subtracts the reference in the array's precision. NaN propagates as in numpy
    // (np.maximum keeps NaN; std::max(amin, NaN) would return amin): a NaN value stays NaN, a
    // NaN reference or a NaN anywhere under top_db (whose floor is the global maximum) makes
    // the affected outputs NaN.
    const T ref_db = T(10.0 * std::log10(ref < amin ? amin : ref));
    T mx = -std::numeric_limits<T>::infinity();
    bool nan = false;
    for (index_t i = 0; i < n; ++i) {
        T v = square_input ? x[i] * x[i] : x[i];
        v = v < a ? a : v;
        const T d = T(10) * T(std::log10(v)) - ref_db;
        out[i] = d;
        nan |= d != d;
        mx = d > mx ? d : mx;
    }
    if (top_db >= 0 && n > 0) {
        const T floor_db = nan ? std::numeric_limits<T>::quiet_NaN() : mx - T(top_db);
        for (index_t i = 0; i < n; ++i) out[i] = (out[i] < floor_db || nan) ? floor_db : out[i];
    }
}

template void power_to_db<float>(const float*, index_t, float*, double, double, double, bool);
template void power_to_db<double>(const double*, index_t, double*, double, double, double, bool);

}  // namespace cepstra
