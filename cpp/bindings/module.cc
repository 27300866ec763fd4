// The _core extension: conversion and validation of arrays, allocation of outputs, release of
// the GIL. All numerical work happens in the C++ pipeline and kernels.
#include <pybind11/pybind11.h>

#include "arrays.h"

#include <new>
#include <stdexcept>

namespace py = pybind11;

namespace cepstra::bind {
void bind_fft(py::module_& m);
void bind_filters(py::module_& m);
void bind_spectral(py::module_& m);
void bind_runtime(py::module_& m);
void bind_kaldi(py::module_& m);
void bind_music_spectral(py::module_& m);
void bind_music_rhythm(py::module_& m);
}  // namespace cepstra::bind

// pybind11 keeps one set of internals per process and takes the GIL through PyGILState, which
// belongs to the main interpreter: initialising it inside a subinterpreter (mod_wsgi, other
// embedders) blocks forever on Python 3.11. The module therefore refuses subinterpreters up
// front, in either import order: the real entry point is renamed and wrapped by a guard.
#define PyInit__core cepstra_pybind11_PyInit__core
PYBIND11_MODULE(_core, m) {
    m.doc() = "cepstra's C++ core (internal: use the cepstra package)";
    // C++ preconditions (std::invalid_argument) surface as the exception type the package hands
    // over with set_parameter_error (cepstra.ParameterError); ValueError until then. The
    // extension never imports the package: dependencies point one way.
    static PyObject* parameter_error = PyExc_ValueError;
    m.def(
        "set_parameter_error",
        [](const py::object& type) {
            if (!PyType_Check(type.ptr()) || !PyObject_IsSubclass(type.ptr(), PyExc_ValueError))
                throw py::type_error("the parameter error type must be a subclass of ValueError");
            Py_INCREF(type.ptr());  // kept for the life of the process, as the translator may run until exit
            parameter_error = type.ptr();
        },
        py::arg("type"));
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const std::invalid_argument& e) {
            PyErr_SetString(parameter_error, e.what());
        }
    });
    // The SIGINT watch of without_gil (arrays.h) applies to calls on this thread only.
    cepstra::bind::main_thread_ident() =
        py::module_::import("threading").attr("main_thread")().attr("ident").cast<unsigned long>();
    cepstra::bind::bind_fft(m);
    cepstra::bind::bind_filters(m);
    cepstra::bind::bind_spectral(m);
    cepstra::bind::bind_runtime(m);
    cepstra::bind::bind_kaldi(m);
    cepstra::bind::bind_music_spectral(m);
    cepstra::bind::bind_music_rhythm(m);
}

#undef PyInit__core
extern "C" PYBIND11_EXPORT PyObject* PyInit__core() {
    if (PyInterpreterState_Get() != PyInterpreterState_Main()) {
        PyErr_SetString(PyExc_ImportError,
                        "cepstra._core cannot be imported in a subinterpreter; import cepstra in the main "
                        "interpreter instead");
        return nullptr;
    }
    return cepstra_pybind11_PyInit__core();
}
