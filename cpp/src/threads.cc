#include "cepstra/threads.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if !defined(_WIN32)
#include <pthread.h>
#endif

namespace cepstra {

namespace {

int default_threads() {
    if (const char* env = std::getenv("CEPSTRA_NUM_THREADS")) {
        char* end = nullptr;
        const long v = std::strtol(env, &end, 10);
        if (end != env && *end == '\0' && v >= 1 && v <= 1024) return int(v);
    }
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n >= 1) return n;
    }
#endif
    const unsigned n = std::thread::hardware_concurrency();
    return n >= 1 ? int(n) : 1;
}

std::atomic<int> g_threads{0};  // 0: not yet read from the environment

struct Job {
    const std::function<void(index_t)>* fn = nullptr;
    index_t n = 0;
    int max_helpers = 0;
    std::atomic<index_t> next{0};
    std::atomic<index_t> finished{0};
    std::atomic<int> helpers{0};
    std::atomic<bool> failed{false};
    std::mutex m;
    std::condition_variable cv;
    std::exception_ptr error;

    // Claims and runs tasks until none are left; returns after the last claimed one.
    void work() {
        for (;;) {
            const index_t i = next.fetch_add(1);
            if (i >= n) return;
            if (!failed.load(std::memory_order_relaxed)) {
                try {
                    (*fn)(i);
                } catch (...) {
                    std::lock_guard<std::mutex> lk(m);
                    if (!error) error = std::current_exception();
                    failed = true;
                }
            }
            if (finished.fetch_add(1) + 1 == n) {
                std::lock_guard<std::mutex> lk(m);
                cv.notify_all();
            }
        }
    }
};

class Pool {
  public:
    void ensure_workers(int count) {
        std::lock_guard<std::mutex> lk(m_);
        while (int(workers_.size()) < count) {
            workers_.emplace_back([this] { loop(); });
            workers_.back().detach();  // never joined: the pool lives until the process ends
        }
    }
    void submit(const std::shared_ptr<Job>& job) {
        {
            std::lock_guard<std::mutex> lk(m_);
            queue_.push_back(job);
        }
        cv_.notify_all();
    }

  private:
    void loop() {
        for (;;) {
            std::shared_ptr<Job> job;
            {
                std::unique_lock<std::mutex> lk(m_);
                cv_.wait(lk, [this] { return !queue_.empty(); });
                // Drop jobs whose tasks are all claimed or that have enough helpers.
                while (!queue_.empty()) {
                    auto& front = queue_.front();
                    if (front->next.load() >= front->n || front->helpers.load() >= front->max_helpers) {
                        queue_.pop_front();
                        continue;
                    }
                    job = front;
                    break;
                }
                if (!job) continue;
                job->helpers.fetch_add(1);
            }
            job->work();
        }
    }
    std::mutex m_;
    std::condition_variable cv_;
    std::deque<std::shared_ptr<Job>> queue_;
    std::vector<std::thread> workers_;
};

Pool* g_pool = nullptr;
std::mutex g_pool_mutex;

#if !defined(_WIN32)
// A forked child has only the forking thread: abandon the parent's pool (its workers do not
// exist here) so the child builds a fresh one on first use.
void after_fork_child() {
    new (&g_pool_mutex) std::mutex();
    g_pool = nullptr;
}
#endif

Pool& pool() {
    std::lock_guard<std::mutex> lk(g_pool_mutex);
    if (!g_pool) {
#if !defined(_WIN32)
        static bool registered = false;
        if (!registered) {
            pthread_atfork(nullptr, nullptr, after_fork_child);
            registered = true;
        }
#endif
        g_pool = new Pool();  // intentionally leaked: workers may outlive static destruction
    }
    return *g_pool;
}

}  // namespace

int get_num_threads() {
    int n = g_threads.load();
    if (n == 0) {
        n = default_threads();
        g_threads.store(n);
    }
    return n;
}

void set_num_threads(int n) {
    require(n >= 1 && n <= 1024, "n=" + std::to_string(n) + " threads must be in [1, 1024]");
    g_threads.store(n);
}

void parallel_for(index_t n_tasks, const std::function<void(index_t)>& task) {
    if (n_tasks <= 0) return;
    const int threads = get_num_threads();
    if (threads <= 1 || n_tasks == 1) {
        for (index_t i = 0; i < n_tasks; ++i) task(i);
        return;
    }
    auto job = std::make_shared<Job>();
    job->fn = &task;
    job->n = n_tasks;
    job->max_helpers = int(std::min<index_t>(threads - 1, n_tasks - 1));
    Pool& p = pool();
    p.ensure_workers(job->max_helpers);
    p.submit(job);
    job->work();
    {
        std::unique_lock<std::mutex> lk(job->m);
        job->cv.wait(lk, [&] { return job->finished.load() >= job->n; });
    }
    if (job->error) std::rethrow_exception(job->error);
}

}  // namespace cepstra
