// Orchestration: plans, frame layout, tasks on the scheduler, and the two-phase top_db floor of
// MFCC. The arithmetic itself lives in the ISA kernels.
#include "cepstra/pipeline.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cepstra/scheduler.h"
#include "cepstra/threads.h"
#include "simd/kernels.h"

namespace cepstra {

index_t frame_count(index_t length, index_t n_fft, index_t hop, bool center, PadMode pad) {
    return make_frame_layout(length, n_fft, hop, center, pad).n_frames;
}

template <class T>
std::shared_ptr<const SpectralPlan<T>> make_spectral_plan(Stage stage, index_t n_fft, index_t hop, bool center,
                                                          PadMode pad, const std::vector<double>& window, double power,
                                                          const MelSpec* mel, const std::vector<double>* dct,
                                                          index_t n_dct_out, double amin, double ref_db,
                                                          double top_db) {
    require(n_fft >= 1, "n_fft must be positive");
    require(hop >= 1, "hop_length must be positive");
    require(index_t(window.size()) == n_fft, "window must have n_fft=" + std::to_string(n_fft) + " values");
    auto p = std::make_shared<SpectralPlan<T>>();
    p->stage = stage;
    p->n_fft = n_fft;
    p->hop = hop;
    p->center = center;
    p->pad = pad;
    p->window.assign(window.begin(), window.end());
    // Only the window's non-zero support is gathered: a short win_length costs nothing extra.
    index_t lo = 0, hi = n_fft;
    while (lo < hi && p->window[lo] == T(0)) ++lo;
    while (hi > lo && p->window[hi - 1] == T(0)) --hi;
    p->win_lo = lo;
    p->win_hi = hi;
    p->fft = real_fft_plan<T>(std::size_t(n_fft));
    p->power = power;
    p->n_out = p->n_bins();
    if (stage != Stage::Stft) {
        require(mel != nullptr, "mel parameters missing");
        require(mel->n_fft == n_fft, "mel n_fft mismatch");
        const auto dense = mel_filterbank(*mel, /*float32=*/true);
        p->mel = SparseFilterbank<T>::from_dense(dense, mel->n_mels, p->n_bins());
        p->n_out = mel->n_mels;
        // librosa counts a band without weight as empty unless its lower edge is 0 Hz, which only
        // band 0 can have (when fmin = 0).
        for (index_t m = 0; m < mel->n_mels; ++m)
            if (p->mel->count[std::size_t(m)] == 0 && (m > 0 || mel->fmin != 0.0)) ++p->empty_mel_bands;
    }
    if (stage == Stage::Mfcc) {
        require(dct != nullptr && n_dct_out >= 1, "DCT matrix missing");
        require(index_t(dct->size()) == checked_mul(n_dct_out, mel->n_mels, "dct"), "DCT matrix has the wrong size");
        p->dct.assign(dct->begin(), dct->end());
        p->n_out = n_dct_out;
        p->amin = amin;
        p->ref_db = ref_db;
        p->top_db = top_db;
    }
    return p;
}

template <class T>
void run_spectral_items(const SpectralPlan<T>& plan, const std::vector<SignalBatch<T>>& items,
                        const std::vector<void*>& outs, const std::vector<OutStrides>* strides) {
    require(items.size() == outs.size(), "one output per item");
    require(!strides || strides->size() == outs.size(), "one output layout per item");
    const std::size_t n_items = items.size();
    std::vector<FrameLayout> layouts;
    std::vector<index_t> rows(n_items), frames(n_items), per_row(n_items), row_stride(n_items);
    layouts.reserve(n_items);
    for (std::size_t i = 0; i < n_items; ++i) {
        layouts.push_back(make_frame_layout(items[i].length, plan.n_fft, plan.hop, plan.center, plan.pad));
        rows[i] = items[i].count;
        frames[i] = layouts[i].n_frames;
        per_row[i] = strides ? (*strides)[i].batch_stride : checked_mul(plan.n_out, frames[i], "output size");
        row_stride[i] = strides ? (*strides)[i].row_stride : frames[i];
    }
    const FrameSchedule schedule(rows, frames);
    const index_t tasks = schedule.tasks();
    const KernelFns<T>& k = active_kernels().fns<T>();
    const bool complex_out = plan.stage == Stage::Stft;
    auto run = [&](index_t task, T clip, T* mn, T* mx) {
        const FrameTask t = schedule.task(task);
        const SignalBatch<T>& sig = items[t.item];
        void* o = complex_out
                      ? static_cast<void*>(static_cast<std::complex<T>*>(outs[t.item]) + t.row * per_row[t.item])
                      : static_cast<void*>(static_cast<T*>(outs[t.item]) + t.row * per_row[t.item]);
        k.spectral_frames(plan, layouts[t.item], sig.x + t.row * sig.batch_stride, sig.stride, t.f0, t.f1, o,
                          row_stride[t.item], 0, clip, mn, mx);
    };
    const T no_clip = -std::numeric_limits<T>::infinity();
    if (plan.stage != Stage::Mfcc || plan.top_db < 0) {
        run_tasks(schedule, [&](index_t t) { run(t, no_clip, nullptr, nullptr); });
        return;
    }
    // librosa floors the dB mel at (max - top_db) before the DCT. The max is only known once
    // every frame is done, so phase 1 computes everything unfloored and records each block's
    // lowest dB value (a block: the kernel's `lanes` frames); phase 2 recomputes just the blocks
    // that reach below their item's floor (the floor is a no-op on the others). Memory stays
    // O(frames / lanes), not a stored mel spectrogram; per block rather than per task, a clip
    // with a quiet stretch redoes that stretch, not the whole task around it.
    const index_t W = k.lanes;
    std::vector<index_t> first_block(static_cast<std::size_t>(tasks) + 1, 0);
    for (index_t t = 0; t < tasks; ++t) {
        const FrameTask ft = schedule.task(t);
        first_block[t + 1] = first_block[t] + (ft.f1 - ft.f0 + W - 1) / W;
    }
    std::vector<T> mins(static_cast<std::size_t>(first_block[tasks])), maxs(static_cast<std::size_t>(tasks));
    run_tasks(schedule, [&](index_t t) { run(t, no_clip, &mins[first_block[t]], &maxs[t]); });
    std::vector<T> floor_db(n_items);
    for (std::size_t i = 0; i < n_items; ++i) {
        T gmax = -std::numeric_limits<T>::infinity();
        for (index_t t = schedule.first_task(i); t < schedule.first_task(i + 1); ++t) gmax = std::max(gmax, maxs[t]);
        floor_db[i] = gmax - T(plan.top_db);
    }
    std::vector<std::pair<index_t, index_t>> redo;  // (task, block)
    for (index_t t = 0; t < tasks; ++t)
        for (index_t b = first_block[t]; b < first_block[t + 1]; ++b)
            if (mins[b] < floor_db[schedule.item_of(t)]) redo.emplace_back(t, b - first_block[t]);
    std::vector<index_t> redo_ids(redo.size());
    for (std::size_t r = 0; r < redo.size(); ++r) redo_ids[r] = index_t(r);
    run_tasks(redo_ids, [&](index_t r) {
        const auto [t, b] = redo[std::size_t(r)];
        const FrameTask ft = schedule.task(t);
        const index_t g0 = ft.f0 + b * W, g1 = std::min(ft.f1, g0 + W);
        const SignalBatch<T>& sig = items[ft.item];
        T* o = static_cast<T*>(outs[ft.item]) + ft.row * per_row[ft.item];
        k.spectral_frames(plan, layouts[ft.item], sig.x + ft.row * sig.batch_stride, sig.stride, g0, g1, o,
                          row_stride[ft.item], 0, floor_db[ft.item], nullptr, nullptr);
    });
}

template <class T>
void run_spectral_frames(const SpectralPlan<T>& plan, const T* segment, index_t seg_start, index_t seg_len,
                         index_t total_len, index_t f0, index_t f1, void* out) {
    const FrameLayout L = make_frame_layout(total_len, plan.n_fft, plan.hop, plan.center, plan.pad);
    require(f0 >= 0 && f0 <= f1 && f1 <= L.n_frames, "frame range out of bounds");
    require(plan.stage != Stage::Mfcc || plan.top_db < 0, "frame ranges of an MFCC need top_db=None");
    // Every sample the frames read (their support, plus where padding mirrors to) must lie in
    // the segment.
    require_segment_covers(
        seg_start, seg_len, total_len, f0, f1,
        [&](index_t f) { return std::make_pair(L.start(f) + plan.win_lo, L.start(f) + plan.win_hi); },
        [&](index_t f, index_t t) { return L.source_index(f, t); });
    const KernelFns<T>& k = active_kernels().fns<T>();
    // The kernel indexes samples from the signal's start; the segment begins at seg_start.
    const T* origin = segment - seg_start;
    const T no_clip = -std::numeric_limits<T>::infinity();
    run_frame_range(f0, f1, [&](index_t a, index_t b) {
        k.spectral_frames(plan, L, origin, 1, a, b, out, f1 - f0, f0, no_clip, nullptr, nullptr);
    });
}

template <class T>
void run_istft(const std::complex<T>* spec, index_t count, index_t n_frames, index_t n_fft, index_t hop,
               const std::vector<double>& window, bool center, index_t out_len, T* out) {
    require(index_t(window.size()) == n_fft, "window must have n_fft values");
    const auto fft = real_fft_plan<T>(std::size_t(n_fft));
    const index_t start = center ? n_fft / 2 : 0;
    std::vector<T> wscaled(static_cast<std::size_t>(n_fft)), w2(static_cast<std::size_t>(n_fft));
    for (index_t i = 0; i < n_fft; ++i) {
        wscaled[i] = T(window[i] / double(n_fft));  // irfft's 1/n folded into the window
        w2[i] = T(window[i] * window[i]);
    }
    // librosa.filters.window_sumsquare at output sample j: the frames covering it, summed in frame
    // order in the output precision as librosa does (so bit-identical), computed per sample
    // instead of stored: an output-sized buffer would double the peak memory of a long istft.
    auto wss = [&](index_t j) {
        const index_t t = j + start;
        const index_t f_lo = t >= n_fft ? (t - n_fft) / hop + 1 : 0, f_hi = std::min(n_frames - 1, t / hop);
        T s = T(0);
        for (index_t f = f_lo; f <= f_hi; ++f) s += w2[t - f * hop];
        return s;
    };
    const KernelFns<T>& k = active_kernels().fns<T>();
    const T tiny = std::numeric_limits<T>::min();
    const index_t bins = n_fft / 2 + 1;
    parallel_for(count, [&](index_t b) {
        T* y = out + b * out_len;
        std::fill(y, y + out_len, T(0));
        k.istft_signal(*fft, spec + b * bins * n_frames, n_frames, wscaled.data(), hop, start, out_len, y);
        for (index_t j = 0; j < out_len; ++j) {
            const T s = wss(j);
            if (s > tiny) y[j] /= s;
        }
    });
}

template <class T>
void run_rfft_rows(const T* in, index_t rows, index_t n, std::complex<T>* out) {
    const auto fft = real_fft_plan<T>(std::size_t(n));
    const KernelFns<T>& k = active_kernels().fns<T>();
    const index_t per = 256;  // rows per task
    const index_t tasks = (rows + per - 1) / per;
    parallel_for(tasks, [&](index_t t) {
        const index_t r0 = t * per, r1 = std::min(rows, r0 + per);
        k.rfft_rows(*fft, in + r0 * n, r1 - r0, out + r0 * (n / 2 + 1));
    });
}

template <class T>
void run_irfft_rows(const std::complex<T>* in, index_t rows, index_t n, T* out) {
    const auto fft = real_fft_plan<T>(std::size_t(n));
    const KernelFns<T>& k = active_kernels().fns<T>();
    const index_t per = 256;
    const index_t tasks = (rows + per - 1) / per;
    parallel_for(tasks, [&](index_t t) {
        const index_t r0 = t * per, r1 = std::min(rows, r0 + per);
        k.irfft_rows(*fft, in + r0 * (n / 2 + 1), r1 - r0, out + r0 * n);
    });
}

template <class T>
bool all_finite(const SignalBatch<T>& sig) {
    // A zero stride repeats one value: read it once.
    const index_t rows = sig.batch_stride == 0 ? std::min<index_t>(sig.count, 1) : sig.count;
    const index_t n = sig.stride == 0 ? std::min<index_t>(sig.length, 1) : sig.length;
    return active_kernels().fns<T>().all_finite(sig.x, rows, n, sig.batch_stride, sig.stride);
}

#define CEPSTRA_INSTANTIATE(T)                                                                                         \
    template std::shared_ptr<const SpectralPlan<T>> make_spectral_plan<T>(                                             \
        Stage, index_t, index_t, bool, PadMode, const std::vector<double>&, double, const MelSpec*,                    \
        const std::vector<double>*, index_t, double, double, double);                                                  \
    template void run_spectral_items<T>(const SpectralPlan<T>&, const std::vector<SignalBatch<T>>&,                    \
                                        const std::vector<void*>&, const std::vector<OutStrides>*);                    \
    template void run_spectral_frames<T>(const SpectralPlan<T>&, const T*, index_t, index_t, index_t, index_t,         \
                                         index_t, void*);                                                              \
    template void run_istft<T>(const std::complex<T>*, index_t, index_t, index_t, index_t, const std::vector<double>&, \
                               bool, index_t, T*);                                                                     \
    template void run_rfft_rows<T>(const T*, index_t, index_t, std::complex<T>*);                                      \
    template void run_irfft_rows<T>(const std::complex<T>*, index_t, index_t, T*);                                     \
    template bool all_finite<T>(const SignalBatch<T>&);
CEPSTRA_INSTANTIATE(float)
CEPSTRA_INSTANTIATE(double)
#undef CEPSTRA_INSTANTIATE

}  // namespace cepstra
