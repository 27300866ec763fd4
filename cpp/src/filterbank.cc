#include "cepstra/filterbank.h"

namespace cepstra {

template <class T>
std::shared_ptr<const SparseFilterbank<T>> SparseFilterbank<T>::from_dense(const std::vector<double>& dense,
                                                                           index_t n_out, index_t n_in) {
    require(index_t(dense.size()) == checked_mul(n_out, n_in, "filterbank"), "filterbank matrix has the wrong size");
    auto b = std::make_shared<SparseFilterbank<T>>();
    b->n_out = n_out;
    b->n_in = n_in;
    b->first.resize(std::size_t(n_out));
    b->count.resize(std::size_t(n_out));
    b->offset.resize(std::size_t(n_out));
    for (index_t m = 0; m < n_out; ++m) {
        const double* row = &dense[std::size_t(m * n_in)];
        index_t lo = 0, hi = n_in;
        while (lo < n_in && row[lo] == 0.0) ++lo;
        while (hi > lo && row[hi - 1] == 0.0) --hi;
        b->first[std::size_t(m)] = lo;
        b->count[std::size_t(m)] = hi - lo;
        b->offset[std::size_t(m)] = index_t(b->weights.size());
        for (index_t k = lo; k < hi; ++k) b->weights.push_back(T(row[k]));
    }
    return b;
}

template <class T>
index_t SparseFilterbank<T>::empty_bands() const {
    index_t n = 0;
    for (index_t c : count) n += c == 0 ? 1 : 0;
    return n;
}

template <class T>
void apply_filterbank(const SparseFilterbank<T>& bank, const T* S, index_t s_row, index_t s_col, index_t n_frames,
                      T* out) {
    for (index_t m = 0; m < bank.n_out; ++m) {
        T* o = out + m * n_frames;
        for (index_t f = 0; f < n_frames; ++f) o[f] = T(0);
        const T* w = bank.weights.data() + bank.offset[std::size_t(m)];  // empty bands: offset == size
        for (index_t j = 0; j < bank.count[std::size_t(m)]; ++j) {
            const T wj = w[j];
            const T* src = S + (bank.first[std::size_t(m)] + j) * s_row;
            for (index_t f = 0; f < n_frames; ++f) o[f] += wj * src[f * s_col];
        }
    }
}

template struct SparseFilterbank<float>;
template struct SparseFilterbank<double>;
template void apply_filterbank<float>(const SparseFilterbank<float>&, const float*, index_t, index_t, index_t, float*);
template void apply_filterbank<double>(const SparseFilterbank<double>&, const double*, index_t, index_t, index_t,
                                       double*);

}  // namespace cepstra
