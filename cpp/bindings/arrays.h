// Array helpers shared by the bind_*.cc files: dtype/shape checks and strided views. The
// binding never copies or casts an input: the Python layer hands over arrays of the exact dtype.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#if defined(__GLIBCXX__) && defined(__linux__)
#include <cxxabi.h>
#endif

#include <atomic>
#include <chrono>
#include <csignal>
#include <complex>
#include <string>
#include <thread>

#include "cepstra/common.h"
#include "cepstra/pipeline.h"
#include "cepstra/threads.h"

#if !defined(_WIN32)
#include <signal.h>
#endif

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
    if (a.ndim() != ndim) throw std::invalid_argument(std::string(name) + " must be " + std::to_string(ndim) + "-D");
}

inline void require_c_contiguous(const py::array& a, const char* name) {
    if (!(a.flags() & py::array::c_style)) throw std::invalid_argument(std::string(name) + " must be C-contiguous");
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

// Ctrl-C during a long call. Python's SIGINT handler only records the signal; the interpreter
// acts on it when the main thread next runs bytecode, which a call that holds no GIL never does.
// So, for the duration of a call on the main thread, a thin handler is chained in front of
// Python's: it raises a flag (async-signal-safe) and calls Python's handler as before. The pool
// polls the flag between tasks (cepstra::CancelScope) and abandons the call; the binding then
// lets Python run its handler (PyErr_CheckSignals), which raises KeyboardInterrupt.
inline unsigned long& main_thread_ident() {
    static unsigned long ident = 0;  // set by the module init (threading.main_thread().ident)
    return ident;
}

#if !defined(_WIN32)
inline std::atomic<bool>& sigint_flag() {
    static std::atomic<bool> flag{false};
    return flag;
}
inline struct sigaction& python_sigint_action() {
    static struct sigaction sa;
    return sa;
}
inline void chained_sigint(int sig, siginfo_t* info, void* ctx) {
    sigint_flag().store(true);
    const struct sigaction& py_sa = python_sigint_action();
    if (py_sa.sa_flags & SA_SIGINFO) {
        if (py_sa.sa_sigaction) py_sa.sa_sigaction(sig, info, ctx);
    } else if (py_sa.sa_handler != SIG_DFL && py_sa.sa_handler != SIG_IGN) {
        py_sa.sa_handler(sig);
    }
}

// Installed while alive, on the main thread only, and only over a handler that is a function
// (Python's, or an embedder's): SIG_DFL / SIG_IGN keep their meaning untouched.
class SigintWatch {
  public:
    SigintWatch() {
        if (main_thread_ident() == 0 || PyThread_get_thread_ident() != main_thread_ident()) return;
        struct sigaction cur;
        if (sigaction(SIGINT, nullptr, &cur) != 0) return;
        const bool is_function = (cur.sa_flags & SA_SIGINFO) ? cur.sa_sigaction != nullptr
                                                             : (cur.sa_handler != SIG_DFL && cur.sa_handler != SIG_IGN);
        if (!is_function || ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == &chained_sigint)) return;
        python_sigint_action() = cur;
        sigint_flag().store(false);
        struct sigaction mine = cur;
        mine.sa_flags |= SA_SIGINFO;
        mine.sa_sigaction = &chained_sigint;
        active_ = sigaction(SIGINT, &mine, nullptr) == 0;
    }
    ~SigintWatch() {
        if (active_) sigaction(SIGINT, &python_sigint_action(), nullptr);
    }
    SigintWatch(const SigintWatch&) = delete;
    SigintWatch& operator=(const SigintWatch&) = delete;
    bool active() const { return active_; }
    static bool pending(void*) { return sigint_flag().load(std::memory_order_relaxed); }
    static void clear() { sigint_flag().store(false); }

  private:
    bool active_ = false;
};
#else
class SigintWatch {
  public:
    bool active() const { return false; }
    static bool pending(void*) { return false; }
    static void clear() {}
};
#endif

// Runs f with the GIL released (by plain calls, not a noexcept RAII guard: see reacquire_gil).
// On the main thread a Ctrl-C abandons f between two of its tasks and raises KeyboardInterrupt
// (or whatever Python's SIGINT handler raises); if that handler raises nothing, f runs again
// from the start (f only writes outputs it allocated, so a rerun is complete and exact).
template <class F>
void without_gil(F&& f) {
    SigintWatch watch;
    for (;;) {
        bool cancelled = false;
        PyThreadState* state = PyEval_SaveThread();
        try {
            if (watch.active()) {
                CancelScope scope(&SigintWatch::pending, nullptr);
                f();
            } else {
                f();
            }
        } catch (const Cancelled&) {
            cancelled = true;
        } catch (...) {
            reacquire_gil(state);
            throw;
        }
        reacquire_gil(state);
        if (!cancelled) return;
        SigintWatch::clear();
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
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
