#include "cepstra/dct.h"

#include <cmath>

namespace cepstra {

std::vector<double> dct_matrix(int type, index_t n, index_t n_out, bool ortho, double lifter) {
    require(type >= 1 && type <= 3, "dct_type=" + std::to_string(type) + " must be 1, 2 or 3");
    require(n >= 1 && n_out >= 1 && n_out <= n, "DCT output size must be in [1, n]");
    require(type != 1 || n >= 2, "dct_type=1 needs at least 2 inputs");
    std::vector<double> M(std::size_t(checked_mul(n_out, n, "DCT matrix size")));
    const double N = double(n);
    for (index_t k = 0; k < n_out; ++k) {
        for (index_t j = 0; j < n; ++j) {
            double v = 0.0;
            if (type == 2) {
                v = 2.0 * std::cos(kPi * double(k) * double(2 * j + 1) / (2.0 * N));
                if (ortho) v *= (k == 0) ? std::sqrt(1.0 / (4.0 * N)) : std::sqrt(1.0 / (2.0 * N));
            } else if (type == 3) {
                if (j == 0) v = ortho ? 1.0 / std::sqrt(N) : 1.0;
                else v = 2.0 * std::cos(kPi * double(2 * k + 1) * double(j) / (2.0 * N)) * (ortho ? std::sqrt(1.0 / (2.0 * N)) : 1.0);
            } else {
                const double c = std::cos(kPi * double(k) * double(j) / (N - 1.0));
                if (ortho) {
                    const double ak = (k == 0 || k == n - 1) ? 1.0 / std::sqrt(2.0) : 1.0;
                    const double aj = (j == 0 || j == n - 1) ? 1.0 / std::sqrt(2.0) : 1.0;
                    v = std::sqrt(2.0 / (N - 1.0)) * ak * aj * c;
                } else if (j == 0) {
                    v = 1.0;
                } else if (j == n - 1) {
                    v = (k % 2 == 0) ? 1.0 : -1.0;
                } else {
                    v = 2.0 * c;
                }
            }
            M[k * n + j] = v;
        }
        if (lifter > 0) {
            const double li = 1.0 + (lifter / 2.0) * std::sin(kPi * double(k + 1) / lifter);
            for (index_t j = 0; j < n; ++j) M[k * n + j] *= li;
        }
    }
    return M;
}

template <class T>
void apply_matrix(const std::vector<T>& M, index_t n_out, index_t n, const T* S, index_t s_row, index_t s_col,
                  index_t n_frames, T* out) {
    for (index_t k = 0; k < n_out; ++k) {
        T* o = out + k * n_frames;
        for (index_t f = 0; f < n_frames; ++f) o[f] = T(0);
        for (index_t j = 0; j < n; ++j) {
            const T m = M[k * n + j];
            const T* src = S + j * s_row;
            for (index_t f = 0; f < n_frames; ++f) o[f] += m * src[f * s_col];
        }
    }
}

template void apply_matrix<float>(const std::vector<float>&, index_t, index_t, const float*, index_t, index_t, index_t, float*);
template void apply_matrix<double>(const std::vector<double>&, index_t, index_t, const double*, index_t, index_t, index_t, double*);

}  // namespace cepstra
