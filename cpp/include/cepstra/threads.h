// A persistent worker pool: threads are created lazily, reused by every call, and retired when
// the thread count is lowered.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>

#include "cepstra/common.h"

namespace cepstra {

// Number of threads used by parallel_for (>= 1). Default: CEPSTRA_NUM_THREADS if set, else the
// CPUs this process may run on (sched affinity). Lowering it retires the surplus idle workers
// (their threads end, freeing their scratch).
int get_num_threads();
void set_num_threads(int n);

// Runs task(i) for i in [0, n_tasks) on up to get_num_threads() threads (the caller included),
// returning when all are done. Only as many idle workers are woken as the call can use. The
// first exception thrown by a task is rethrown here after every task has finished or been
// skipped. Calls from several Python threads at once are safe: they queue on the pool. After
// fork() the child starts with a fresh, empty pool.
//
// Cancellation: while a CancelScope is active on the calling thread, its check is polled on that
// thread between tasks and while it waits for the workers (at least every kCancelPollMs); when it
// returns true the tasks not yet started are skipped and parallel_for throws Cancelled once the
// started ones have finished.
void parallel_for(index_t n_tasks, const std::function<void(index_t)>& task);

constexpr int kCancelPollMs = 10;

struct Cancelled : std::exception {
    const char* what() const noexcept override { return "cepstra: call cancelled"; }
};

// Installs `check` (a cheap test, e.g. of a flag set by a signal handler) for the parallel_for
// calls of this thread until destruction. Not nestable with itself on one thread.
class CancelScope {
  public:
    explicit CancelScope(bool (*check)(void*), void* ctx);
    ~CancelScope();
    CancelScope(const CancelScope&) = delete;
    CancelScope& operator=(const CancelScope&) = delete;

  private:
    bool (*prev_check_)(void*);
    void* prev_ctx_;
};

// Scratch memory private to the calling thread, at least `bytes` long and 64-byte aligned;
// valid until the next call on this thread. Reused between calls up to kKeptScratchBytes; a
// bigger buffer is released when the parallel_for that used it returns, so one large call does
// not pin memory to every pool thread for the rest of the process.
void* thread_scratch(std::size_t bytes);
constexpr std::size_t kKeptScratchBytes = std::size_t(1) << 20;

}  // namespace cepstra
