#include <cmath>
#include <limits>

#include "arrays.h"
#include "cepstra/db.h"
#include "cepstra/dct.h"
#include "cepstra/filterbank.h"
#include "cepstra/mel.h"
#include "cepstra/window.h"

namespace cepstra::bind {

namespace {

py::array_t<double> to_2d(const std::vector<double>& v, index_t rows, index_t cols) {
    auto out = new_array<double>({rows, cols});
    std::copy(v.begin(), v.end(), out.mutable_data());
    return out;
}

// (B, rows_in, F) view with any strides -> (B, rows_out, F) C-contiguous, per batch item.
template <class T, class Fn>
py::array batched_rows(const py::array& S, index_t rows_out, Fn&& per_item) {
    require_ndim(S, 3, "S");
    const index_t B = S.shape(0), F = S.shape(2);
    const index_t sb = elem_stride(S, 0), sr = elem_stride(S, 1), sc = elem_stride(S, 2);
    auto out = new_array<T>({B, rows_out, F});
    const T* in = static_cast<const T*>(S.data());
    T* o = out.mutable_data();
    without_gil([&] {
        for (index_t b = 0; b < B; ++b) per_item(in + b * sb, sr, sc, F, o + b * rows_out * F);
    });
    return std::move(out);
}

// A sparse filterbank of both precisions, built once from a dense matrix and kept by the
// Python plan cache, so projecting a spectrogram never re-sparsifies the bank.
struct FilterbankHandle {
    std::shared_ptr<const SparseFilterbank<float>> f32;
    std::shared_ptr<const SparseFilterbank<double>> f64;
};

template <class T>
py::array project_impl(const SparseFilterbank<T>& bank, const py::array& S) {
    require_ndim(S, 3, "S");
    if (S.shape(1) != bank.n_in) throw std::invalid_argument("S has the wrong number of frequency bins");
    return batched_rows<T>(S, bank.n_out, [&](const T* s, index_t sr, index_t sc, index_t F, T* o) {
        apply_filterbank<T>(bank, s, sr, sc, F, o);
    });
}

template <class T>
py::array matrix_apply_impl(const py::array& S, const py::array_t<double, py::array::c_style>& M) {
    const index_t n_out = M.shape(0), n_in = M.shape(1);
    if (S.shape(1) != n_in) throw std::invalid_argument("S has the wrong number of rows for the matrix");
    std::vector<T> m(M.data(), M.data() + n_out * n_in);
    return batched_rows<T>(S, n_out, [&](const T* s, index_t sr, index_t sc, index_t F, T* o) {
        apply_matrix<T>(m, n_out, n_in, s, sr, sc, F, o);
    });
}

template <class T>
py::array db_impl(const py::array& x, double amin, double ref, double top_db, bool square) {
    require_c_contiguous(x, "S");
    std::vector<py::ssize_t> shape(x.shape(), x.shape() + x.ndim());
    py::array_t<T> out(shape);
    const T* in = static_cast<const T*>(x.data());
    T* o = out.mutable_data();
    const index_t n = index_t(x.size());
    without_gil([&] {
        power_to_db<T>(in, n, o, amin, ref, top_db, square);
    });
    return std::move(out);
}

}  // namespace

void bind_filters(py::module_& m) {
    m.def("get_window", [](const std::string& name, index_t n, bool periodic) {
        if (n < 1) throw std::invalid_argument("window length must be positive");
        const auto w = make_window(parse_window(name), std::size_t(n), periodic);
        auto out = new_array<double>({n});
        std::copy(w.begin(), w.end(), out.mutable_data());
        return out;
    }, py::arg("name"), py::arg("n"), py::arg("periodic"));

    m.def("mel_filterbank", [](double sr, index_t n_fft, index_t n_mels, double fmin, double fmax, bool htk,
                               const std::string& norm, double p, bool float32) {
        MelSpec s;
        s.sr = sr; s.n_fft = n_fft; s.n_mels = n_mels; s.fmin = fmin; s.fmax = fmax; s.htk = htk;
        s.norm = norm == "slaney" ? MelNorm::Slaney : norm == "none" ? MelNorm::None : MelNorm::Lp;
        s.p = p;
        std::vector<double> w;
        without_gil([&] {
            w = mel_filterbank(s, float32);
        });
        return to_2d(w, n_mels, n_fft / 2 + 1);
    }, py::arg("sr"), py::arg("n_fft"), py::arg("n_mels"), py::arg("fmin"), py::arg("fmax"), py::arg("htk"),
       py::arg("norm"), py::arg("p"), py::arg("float32"));

    m.def("dct_matrix", [](int type, index_t n, index_t n_out, bool ortho, double lifter) {
        return to_2d(dct_matrix(type, n, n_out, ortho, lifter), n_out, n);
    }, py::arg("type"), py::arg("n"), py::arg("n_out"), py::arg("ortho"), py::arg("lifter"));

    py::class_<FilterbankHandle, std::shared_ptr<FilterbankHandle>>(m, "Filterbank")
        .def(py::init([](const py::array_t<double, py::array::c_style | py::array::forcecast>& dense) {
            if (dense.ndim() != 2) throw std::invalid_argument("dense must be a 2-D (bands, bins) matrix");
            const index_t n_out = dense.shape(0), n_in = dense.shape(1);
            const std::vector<double> d(dense.data(), dense.data() + dense.size());
            auto h = std::make_shared<FilterbankHandle>();
            h->f32 = SparseFilterbank<float>::from_dense(d, n_out, n_in);
            h->f64 = SparseFilterbank<double>::from_dense(d, n_out, n_in);
            return h;
        }), py::arg("dense"))
        .def_property_readonly("n_out", [](const FilterbankHandle& h) { return h.f64->n_out; })
        .def_property_readonly("n_in", [](const FilterbankHandle& h) { return h.f64->n_in; })
        .def("project", [](const FilterbankHandle& h, const py::array& S) -> py::array {
            if (has_dtype<float>(S)) return project_impl<float>(*h.f32, S);
            if (has_dtype<double>(S)) return project_impl<double>(*h.f64, S);
            throw py::type_error("S must be float32 or float64");
        }, py::arg("S").noconvert(), "(B, n_in, F) of any strides -> (B, n_out, F): each band over its bins.");

    m.def("matrix_apply", [](const py::array& S, const py::array_t<double, py::array::c_style>& M) -> py::array {
        if (has_dtype<float>(S)) return matrix_apply_impl<float>(S, M);
        if (has_dtype<double>(S)) return matrix_apply_impl<double>(S, M);
        throw py::type_error("S must be float32 or float64");
    }, py::arg("S").noconvert(), py::arg("M"));

    m.def("power_to_db", [](const py::array& x, double amin, double ref, double top_db, bool square) -> py::array {
        if (has_dtype<float>(x)) return db_impl<float>(x, amin, ref, top_db, square);
        if (has_dtype<double>(x)) return db_impl<double>(x, amin, ref, top_db, square);
        throw py::type_error("S must be float32 or float64");
    }, py::arg("S").noconvert(), py::arg("amin"), py::arg("ref"), py::arg("top_db"), py::arg("square"));
}

}  // namespace cepstra::bind
