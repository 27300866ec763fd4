#include "arrays.h"
#include "cepstra/pipeline.h"
#include "cepstra/threads.h"

namespace cepstra::bind {

void bind_runtime(py::module_& m) {
    m.def("get_num_threads", &get_num_threads);
    m.def("set_num_threads", &set_num_threads, py::arg("n"));
    m.def("active_isa", &active_isa);
    m.def("set_isa", &set_active_isa, py::arg("name"));
    m.def("isa_available", &isa_available, py::arg("name"));
#ifdef CEPSTRA_VERSION_INFO
    m.attr("build_version") = CEPSTRA_VERSION_INFO;
#endif
#if defined(__VERSION__)
    m.attr("compiler") = __VERSION__;
#elif defined(_MSC_VER)
    m.attr("compiler") = "MSVC " + std::to_string(_MSC_VER);
#endif
}

}  // namespace cepstra::bind
