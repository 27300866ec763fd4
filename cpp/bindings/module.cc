// The _core extension: conversion and validation of arrays, allocation of outputs, release of
// the GIL. All numerical work happens in the C++ pipeline and kernels.
#include <pybind11/pybind11.h>

#include <new>
#include <stdexcept>

namespace py = pybind11;

namespace cepstra::bind {
void bind_fft(py::module_& m);
void bind_filters(py::module_& m);
void bind_spectral(py::module_& m);
void bind_runtime(py::module_& m);
void bind_kaldi(py::module_& m);
}  // namespace cepstra::bind

PYBIND11_MODULE(_core, m) {
    m.doc() = "cepstra's C++ core (internal: use the cepstra package)";
    // C++ preconditions (std::invalid_argument) surface as the exception type the package hands
    // over with set_parameter_error (cepstra.ParameterError); ValueError until then. The
    // extension never imports the package: dependencies point one way.
    static PyObject* parameter_error = PyExc_ValueError;
    m.def("set_parameter_error", [](const py::object& type) {
        if (!PyType_Check(type.ptr()) || !PyObject_IsSubclass(type.ptr(), PyExc_ValueError))
            throw py::type_error("the parameter error type must be a subclass of ValueError");
        Py_INCREF(type.ptr());  // kept for the life of the process, as the translator may run until exit
        parameter_error = type.ptr();
    }, py::arg("type"));
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const std::invalid_argument& e) {
            PyErr_SetString(parameter_error, e.what());
        }
    });
    cepstra::bind::bind_fft(m);
    cepstra::bind::bind_filters(m);
    cepstra::bind::bind_spectral(m);
    cepstra::bind::bind_runtime(m);
    cepstra::bind::bind_kaldi(m);
}
