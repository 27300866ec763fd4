#include "cepstra/scheduler.h"

#include <algorithm>

#include "cepstra/threads.h"

namespace cepstra {

FrameSchedule::FrameSchedule(const std::vector<index_t>& rows, const std::vector<index_t>& frames)
    : frames_(frames), chunks_(frames.size()), first_(frames.size() + 1, 0) {
    require(rows.size() == frames.size(), "one frame count per item");
    // Task t of item i covers chunk (t - first[i]) % chunks[i] of row (t - first[i]) / chunks[i].
    for (std::size_t i = 0; i < frames.size(); ++i) {
        chunks_[i] = (frames[i] + kChunkFrames - 1) / kChunkFrames;
        first_[i + 1] = checked_add(first_[i], checked_mul(rows[i], chunks_[i], "task count"), "task count");
    }
}

std::size_t FrameSchedule::item_of(index_t t) const {
    return std::size_t(std::upper_bound(first_.begin(), first_.end(), t) - first_.begin() - 1);
}

FrameTask FrameSchedule::task(index_t t) const {
    FrameTask k;
    k.item = item_of(t);
    const index_t local = t - first_[k.item];
    k.row = local / chunks_[k.item];
    k.f0 = (local % chunks_[k.item]) * kChunkFrames;
    k.f1 = std::min(frames_[k.item], k.f0 + kChunkFrames);
    return k;
}

void run_tasks(const FrameSchedule& schedule, const std::function<void(index_t)>& fn) {
    parallel_for(schedule.tasks(), fn);
}

void run_tasks(const std::vector<index_t>& tasks, const std::function<void(index_t)>& fn) {
    parallel_for(index_t(tasks.size()), [&](index_t j) { fn(tasks[std::size_t(j)]); });
}

void run_frame_range(index_t f0, index_t f1, const std::function<void(index_t, index_t)>& fn) {
    const index_t chunks = (f1 - f0 + kChunkFrames - 1) / kChunkFrames;
    parallel_for(chunks, [&](index_t c) {
        const index_t a = f0 + c * kChunkFrames;
        fn(a, std::min(f1, a + kChunkFrames));
    });
}

void require_segment_covers(index_t seg_start, index_t seg_len, index_t total_len, index_t f0, index_t f1,
                            const std::function<std::pair<index_t, index_t>(index_t)>& support,
                            const std::function<index_t(index_t, index_t)>& source) {
    require(seg_start >= 0 && seg_len >= 0 && seg_start <= total_len && seg_len <= total_len - seg_start,
            "segment out of bounds");
    // Checked before anything is read, so a caller's mistake is an exception, not a wild read.
    auto covered = [&](index_t t) { return t >= seg_start && t - seg_start < seg_len; };
    for (index_t f = f0; f < f1; ++f) {
        const auto [lo, hi] = support(f);
        if (lo >= 0 && hi <= total_len) {
            require(hi <= lo || (covered(lo) && covered(hi - 1)), "segment does not cover the frames");
            continue;
        }
        for (index_t t = lo; t < hi; ++t) {
            const index_t src = (t < 0 || t >= total_len) ? source(f, t) : t;
            require(src < 0 || covered(src), "segment does not cover the frames");
        }
    }
}

}  // namespace cepstra
