#include "cepstra/db.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "simd/kernels.h"

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
    active_kernels().fns<T>().db_values(x, n, out, a, ref_db, square_input);
    if (top_db >= 0 && n > 0) {
        T mx = -std::numeric_limits<T>::infinity();
        bool nan = false;
        for (index_t i = 0; i < n; ++i) {
            const T d = out[i];
            nan |= d != d;
            mx = d > mx ? d : mx;
        }
        const T floor_db = nan ? std::numeric_limits<T>::quiet_NaN() : mx - T(top_db);
        for (index_t i = 0; i < n; ++i) out[i] = (out[i] < floor_db || nan) ? floor_db : out[i];
    }
}

template void power_to_db<float>(const float*, index_t, float*, double, double, double, bool);
template void power_to_db<double>(const double*, index_t, double*, double, double, double, bool);

}  // namespace cepstra
