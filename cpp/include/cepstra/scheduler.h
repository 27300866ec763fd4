// The one task splitter of every pipeline (librosa-style spectral and Kaldi): work is cut into
// chunks of frames of one row of one item, run on the thread pool (threads.h). It also holds the
// check that a streamed segment covers every sample a frame range reads.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "cepstra/common.h"

namespace cepstra {

// Frames per task: enough to amortise scheduling, few enough to balance threads on short
// signals. A multiple of every pack width, so a task never splits a SIMD block.
inline constexpr index_t kChunkFrames = 64;

// One task: frames [f0, f1) of row `row` of item `item`.
struct FrameTask {
    std::size_t item = 0;
    index_t row = 0, f0 = 0, f1 = 0;
};

// Items (independent signals, or batches of equally long rows) with rows[i] rows of frames[i]
// frames each, cut into tasks so that the pool balances frames across all of them.
class FrameSchedule {
  public:
    FrameSchedule(const std::vector<index_t>& rows, const std::vector<index_t>& frames);

    index_t tasks() const { return first_.back(); }
    FrameTask task(index_t t) const;
    std::size_t item_of(index_t t) const;
    // Tasks of item i are [first_task(i), first_task(i + 1)).
    index_t first_task(std::size_t i) const { return first_[i]; }

  private:
    std::vector<index_t> frames_, chunks_, first_;
};

// Runs fn(t) for every task index t of the schedule, in parallel; returns when all are done.
void run_tasks(const FrameSchedule& schedule, const std::function<void(index_t)>& fn);
// Runs fn on each task index in `tasks` (a subset of a schedule's tasks), in parallel.
void run_tasks(const std::vector<index_t>& tasks, const std::function<void(index_t)>& fn);

// Splits the frame range [f0, f1) of one signal into chunks and runs fn(a, b) on each, in parallel.
void run_frame_range(index_t f0, index_t f1, const std::function<void(index_t, index_t)>& fn);

// Throws std::invalid_argument unless the segment [seg_start, seg_start + seg_len) of a signal of
// total_len samples covers every sample frames [f0, f1) read. support(f) gives frame f's span
// [lo, hi) in signal coordinates (it may reach outside [0, total_len)); source(f, t), called only
// for t outside [0, total_len), gives the sample that t stands for (padding), or -1 for none (zeros).
void require_segment_covers(index_t seg_start, index_t seg_len, index_t total_len, index_t f0, index_t f1,
                            const std::function<std::pair<index_t, index_t>(index_t)>& support,
                            const std::function<index_t(index_t, index_t)>& source);

}  // namespace cepstra
