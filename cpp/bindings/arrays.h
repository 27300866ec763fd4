// Array helpers shared by the bind_*.cc files: dtype/shape checks and strided views. The
// binding never copies or casts an input: the Python layer hands over arrays of the exact dtype.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <complex>
#include <string>
#include <thread>

#include "cepstra/common.h"

namespace cepstra::bind {

namespace py = pybind11;

// Equivalence, not identity: a native-order dtype built by numpy at run time is a distinct
// object from the canonical one.
[[noreturn]] inline void park_forever() {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

template <class T>
bool has_dtype(const py::array& a) {
    return py::detail::npy_api::get().PyArray_EquivTypes_(a.dtype().ptr(), py::dtype::of<T>().ptr());
}

// Element stride of axis `ax`, refusing strides that are not a whole number of elements.
inline index_t elem_stride(const py::array& a, int ax) {
    const auto s = a.strides(ax), item = a.itemsize();
    if (s % item != 0) throw std::invalid_argument("array strides must be multiples of the item size");
    return index_t(s / item);
}

inline void require_ndim(const py::array& a, int ndim, const char* name) {
    if (a.ndim() != ndim)
        throw std::invalid_argument(std::string(name) + " must be " + std::to_string(ndim) + "-D");
}

inline void require_c_contiguous(const py::array& a, const char* name) {
    if (!(a.flags() & py::array::c_style))
        throw std::invalid_argument(std::string(name) + " must be C-contiguous");
}

inline bool interpreter_finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsFinalizing();
#else
    return _Py_IsFinalizing();
#endif
}

// Runs f with the GIL released. A daemon thread that finishes its work while the interpreter is
// finalizing must not re-take the GIL: CPython < 3.14 ends such a thread with pthread_exit, whose
// forced unwind would run py::object destructors without the GIL (a crash at exit) or cross
// py::gil_scoped_release's noexcept destructor (std::terminate). Such a thread parks instead,
// as CPython 3.14 itself does, until the process ends.
template <class F>
void without_gil(F&& f) {
    PyThreadState* state = PyEval_SaveThread();
    try {
        f();
    } catch (...) {
        if (interpreter_finalizing()) park_forever();
        PyEval_RestoreThread(state);
        throw;
    }
    if (interpreter_finalizing()) park_forever();
    PyEval_RestoreThread(state);
}

// Allocates a C-contiguous result after checking that its byte size is sane.
template <class T>
py::array_t<T> new_array(std::initializer_list<index_t> shape) {
    index_t total = index_t(sizeof(T));
    for (index_t d : shape) total = checked_mul(total, d, "output size");
    std::vector<py::ssize_t> sh(shape.begin(), shape.end());
    return py::array_t<T>(sh);
}

}  // namespace cepstra::bind
