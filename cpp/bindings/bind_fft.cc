#include "arrays.h"
#include "cepstra/pipeline.h"

namespace cepstra::bind {

namespace {

template <class T>
py::array rfft_impl(const py::array& x) {
    require_ndim(x, 2, "x");
    require_c_contiguous(x, "x");
    const index_t rows = x.shape(0), n = x.shape(1);
    if (n < 1) throw std::invalid_argument("n must be positive");
    auto out = new_array<std::complex<T>>({rows, n / 2 + 1});
    const T* in = static_cast<const T*>(x.data());
    std::complex<T>* o = out.mutable_data();
    without_gil([&] { run_rfft_rows<T>(in, rows, n, o); });
    return std::move(out);
}

template <class T>
py::array irfft_impl(const py::array& X, index_t n) {
    require_ndim(X, 2, "X");
    require_c_contiguous(X, "X");
    const index_t rows = X.shape(0);
    if (n < 1 || X.shape(1) != n / 2 + 1) throw std::invalid_argument("X must have n//2 + 1 columns");
    auto out = new_array<T>({rows, n});
    const auto* in = static_cast<const std::complex<T>*>(X.data());
    T* o = out.mutable_data();
    without_gil([&] { run_irfft_rows<T>(in, rows, n, o); });
    return std::move(out);
}

}  // namespace

void bind_fft(py::module_& m) {
    m.def(
        "rfft",
        [](const py::array& x) -> py::array {
            if (has_dtype<float>(x)) return rfft_impl<float>(x);
            if (has_dtype<double>(x)) return rfft_impl<double>(x);
            throw py::type_error("x must be float32 or float64");
        },
        py::arg("x").noconvert(), "Real FFT of each row of a C-contiguous 2-D array.");
    m.def(
        "irfft",
        [](const py::array& X, index_t n) -> py::array {
            if (has_dtype<std::complex<float>>(X)) return irfft_impl<float>(X, n);
            if (has_dtype<std::complex<double>>(X)) return irfft_impl<double>(X, n);
            throw py::type_error("X must be complex64 or complex128");
        },
        py::arg("X").noconvert(), py::arg("n"), "Inverse real FFT (numpy's normalisation) of each row.");
}

}  // namespace cepstra::bind
