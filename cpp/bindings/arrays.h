// Array helpers shared by the bind_*.cc files: dtype/shape checks and strided views. The
// binding never copies or casts an input: the Python layer hands over arrays of the exact dtype.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#if defined(__GLIBCXX__) && defined(__linux__)
#include <cxxabi.h>
#endif

#include <chrono>
#include <complex>
#include <string>
#include <thread>

#include "cepstra/common.h"
#include "cepstra/pipeline.h"

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

// Re-takes the GIL. CPython < 3.14 ends a daemon thread that re-takes it during finalization
// with pthread_exit; that forced unwind would run py::object destructors in our callers without
// the GIL (a crash at exit) or cross a noexcept destructor (std::terminate). The thread parks
// instead, as CPython 3.14 itself does: up front when finalization has visibly begun, and, for
// the race where it begins meanwhile, inside the handler of the forced unwind (never leaving it,
// so the unwind neither continues nor counts as swallowed).
inline void reacquire_gil(PyThreadState* state) {
    if (interpreter_finalizing()) park_forever();
#if defined(__GLIBCXX__) && defined(__linux__)
    try {
        PyEval_RestoreThread(state);
    } catch (abi::__forced_unwind&) {
        park_forever();
    }
#else
    PyEval_RestoreThread(state);
#endif
}

// Runs f with the GIL released (by plain calls, not a noexcept RAII guard: see reacquire_gil).
template <class F>
void without_gil(F&& f) {
    PyThreadState* state = PyEval_SaveThread();
    try {
        f();
    } catch (...) {
        reacquire_gil(state);
        throw;
    }
    reacquire_gil(state);
}

// A 2-D (rows, n) array of T, any strides, as the pipeline's view of a batch of signals.
template <class T>
SignalBatch<T> signal_view(const py::array& y, const char* name) {
    require_ndim(y, 2, name);
    SignalBatch<T> sig;
    sig.x = static_cast<const T*>(y.data());
    sig.count = y.shape(0);
    sig.length = y.shape(1);
    sig.batch_stride = elem_stride(y, 0);
    sig.stride = elem_stride(y, 1);
    return sig;
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

// Releasing the GIL any other way than without_gil() is the shutdown crash reacquire_gil()
// prevents: with GCC/Clang a bind_*.cc that names another way no longer compiles
// (tests/test_layout.py greps for it on every compiler).
#if defined(__GNUC__)
#pragma GCC poison gil_scoped_release PyEval_SaveThread
#endif
