#include "cepstra/threads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if !defined(_WIN32)
#include <pthread.h>
#include <sys/mman.h>
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

// ---------------------------------------------------------------- per-thread scratch

// Buffers above the kept size are mapped directly: the allocator would keep a freed block of
// that size in the thread's arena (glibc raises its mmap threshold after such a free), so the
// memory would stay resident after release.
struct ScratchBuf {
    void* p = nullptr;
    std::size_t bytes = 0;
    bool mapped = false;
    ~ScratchBuf() { release(); }
    void allocate(std::size_t n) {
        release();
#if !defined(_WIN32)
        if (n > kKeptScratchBytes) {
            void* m = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (m == MAP_FAILED) throw std::bad_alloc();
            p = m;
            bytes = n;
            mapped = true;
            return;
        }
#endif
        p = ::operator new(n, std::align_val_t(64));
        bytes = n;
    }
    void release() {
        if (!p) return;
#if !defined(_WIN32)
        if (mapped) {
            munmap(p, bytes);
        } else
#endif
        {
            ::operator delete(p, std::align_val_t(64));
        }
        p = nullptr;
        bytes = 0;
        mapped = false;
    }
};

ScratchBuf& my_scratch() {
    thread_local ScratchBuf buf;
    return buf;
}

void trim_scratch() {
    ScratchBuf& b = my_scratch();
    if (b.bytes > kKeptScratchBytes) b.release();
}

// ---------------------------------------------------------------- cancellation

thread_local bool (*t_cancel_check)(void*) = nullptr;
thread_local void* t_cancel_ctx = nullptr;

// ---------------------------------------------------------------- jobs and the pool

struct Job {
    const std::function<void(index_t)>* fn = nullptr;
    index_t n = 0;
    int max_helpers = 0;
    std::atomic<index_t> next{0};
    std::atomic<index_t> finished{0};
    std::atomic<int> helpers{0};
    std::atomic<bool> stop{false};  // a task failed, or the caller cancelled: skip the rest
    std::mutex m;
    std::condition_variable cv;
    std::exception_ptr error;

    // Runs one claimed task (or skips it once stopped); false when none was left to claim.
    bool run_one() {
        const index_t i = next.fetch_add(1);
        if (i >= n) return false;
        if (!stop.load(std::memory_order_relaxed)) {
            try {
                (*fn)(i);
            } catch (...) {
                std::lock_guard<std::mutex> lk(m);
                if (!error) error = std::current_exception();
                stop = true;
            }
        }
        if (finished.fetch_add(1) + 1 == n) {
            std::lock_guard<std::mutex> lk(m);
            cv.notify_all();
        }
        return true;
    }
    void work() {
        while (run_one()) {}
    }
    // Once stopped, the unclaimed tasks are claimed and counted without running them, so the
    // waiters are released as soon as the running ones end.
    void drain() {
        stop = true;
        while (run_one()) {}
    }
};

// Each worker owns a retire flag; lowering the thread count sets the flags of the surplus
// workers, which end as soon as they are idle (their thread-local scratch goes with them).
struct WorkerSlot {
    std::atomic<bool> retire{false};
};

class Pool {
  public:
    // Grows the pool to `count` workers, or retires the workers beyond it.
    void resize(int count) {
        std::lock_guard<std::mutex> lk(m_);
        while (int(slots_.size()) < count) {
            auto slot = std::make_shared<WorkerSlot>();
            slots_.push_back(slot);
            std::thread([this, slot] { loop(*slot); }).detach();  // the pool lives until exit
        }
        if (int(slots_.size()) > count) {
            while (int(slots_.size()) > count) {
                slots_.back()->retire = true;
                slots_.pop_back();
            }
            cv_.notify_all();  // the retired ones must see their flag; the others go back to sleep
        }
    }
    void ensure_workers(int count) {
        {
            std::lock_guard<std::mutex> lk(m_);
            if (int(slots_.size()) >= count) return;
        }
        resize(count);
    }
    void submit(const std::shared_ptr<Job>& job) {
        {
            std::lock_guard<std::mutex> lk(m_);
            queue_.push_back(job);
        }
        // Wake only as many idle workers as the job can use: a small call on a large pool
        // must not stir every thread.
        for (int i = 0; i < job->max_helpers; ++i) cv_.notify_one();
    }
    int size() {
        std::lock_guard<std::mutex> lk(m_);
        return int(slots_.size());
    }

  private:
    void loop(WorkerSlot& slot) {
        for (;;) {
            std::shared_ptr<Job> job;
            {
                std::unique_lock<std::mutex> lk(m_);
                cv_.wait(lk, [&] { return slot.retire.load() || !queue_.empty(); });
                if (slot.retire.load()) return;
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
                // More work than this helper: pass the wake-up on (notify_one may have been
                // consumed by a worker that found nothing).
                if (job->helpers.load() < job->max_helpers) cv_.notify_one();
            }
            job->work();
            job.reset();
            trim_scratch();
        }
    }
    std::mutex m_;
    std::condition_variable cv_;
    std::deque<std::shared_ptr<Job>> queue_;
    std::vector<std::shared_ptr<WorkerSlot>> slots_;
};

Pool* g_pool = nullptr;
std::mutex g_pool_mutex;

#if !defined(_WIN32)
// fork() copies only the forking thread: the parent's workers do not exist in the child, and a
// lock one of them held would stay locked forever. The prepare handler takes g_pool_mutex so it
// is never copied mid-update; the child abandons the parent's pool (leaked: its mutex may be
// held by a vanished worker) and builds a fresh one on first use.
void before_fork() { g_pool_mutex.lock(); }
void after_fork_parent() { g_pool_mutex.unlock(); }
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
            pthread_atfork(before_fork, after_fork_parent, after_fork_child);
            registered = true;
        }
#endif
        g_pool = new Pool();  // intentionally leaked: workers may outlive static destruction
    }
    return *g_pool;
}

bool cancel_requested() { return t_cancel_check && t_cancel_check(t_cancel_ctx); }

}  // namespace

void* thread_scratch(std::size_t bytes) {
    ScratchBuf& b = my_scratch();
    if (b.bytes < bytes) b.allocate(bytes);
    return b.p;
}

CancelScope::CancelScope(bool (*check)(void*), void* ctx) : prev_check_(t_cancel_check), prev_ctx_(t_cancel_ctx) {
    t_cancel_check = check;
    t_cancel_ctx = ctx;
}

CancelScope::~CancelScope() {
    t_cancel_check = prev_check_;
    t_cancel_ctx = prev_ctx_;
}

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
    const int old = get_num_threads();
    g_threads.store(n);
    bool have_pool;
    {
        std::lock_guard<std::mutex> lk(g_pool_mutex);
        have_pool = g_pool != nullptr;
    }
    if (have_pool && n < old) pool().resize(n - 1);
}

void parallel_for(index_t n_tasks, const std::function<void(index_t)>& task) {
    if (n_tasks <= 0) return;
    const int threads = get_num_threads();
    if (threads <= 1 || n_tasks == 1) {
        struct Trim {
            ~Trim() { trim_scratch(); }
        } trim;
        for (index_t i = 0; i < n_tasks; ++i) {
            if (i > 0 && cancel_requested()) throw Cancelled();
            task(i);
        }
        return;
    }
    auto job = std::make_shared<Job>();
    job->fn = &task;
    job->n = n_tasks;
    job->max_helpers = int(std::min<index_t>(threads - 1, n_tasks - 1));
    Pool& p = pool();
    p.ensure_workers(job->max_helpers);
    p.submit(job);
    const bool polled = t_cancel_check != nullptr;
    bool cancelled = false;
    for (;;) {
        if (polled && cancel_requested()) {
            cancelled = true;
            job->drain();
            break;
        }
        if (!job->run_one()) break;
    }
    {
        std::unique_lock<std::mutex> lk(job->m);
        const auto done = [&] { return job->finished.load() >= job->n; };
        while (!done()) {
            if (!polled || cancelled) {
                job->cv.wait(lk, done);
                break;
            }
            job->cv.wait_for(lk, std::chrono::milliseconds(kCancelPollMs), done);
            if (!done()) {
                lk.unlock();
                if (cancel_requested()) {
                    cancelled = true;
                    job->drain();
                }
                lk.lock();
            }
        }
    }
    trim_scratch();
    if (job->error) std::rethrow_exception(job->error);
    if (cancelled) throw Cancelled();
}

}  // namespace cepstra
