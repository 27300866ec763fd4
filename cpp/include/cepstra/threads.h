// A persistent worker pool: threads are created once (lazily) and reused by every call.
#pragma once

#include <functional>

#include "cepstra/common.h"

namespace cepstra {

// Number of threads used by parallel_for (>= 1). Default: CEPSTRA_NUM_THREADS if set, else the
// CPUs this process may run on (sched affinity).
int get_num_threads();
void set_num_threads(int n);

// Runs task(i) for i in [0, n_tasks) on up to get_num_threads() threads (the caller included),
// returning when all are done. The first exception thrown by a task is rethrown here after
// every task has finished or been skipped. Calls from several Python threads at once are safe:
// they queue on the pool. After fork() the child starts with a fresh, empty pool.
void parallel_for(index_t n_tasks, const std::function<void(index_t)>& task);

}  // namespace cepstra
