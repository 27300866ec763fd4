// Kaldi fbank / MFCC: the immutable plan (window, mel banks in Kaldi's mel-domain form, DCT with
// the lifter folded in, output column layout), the dither generator and the orchestration over
// the thread pool. The per-block arithmetic is in simd/kaldi-inl.h.
#include "cepstra/kaldi.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cepstra/dct.h"
#include "cepstra/scheduler.h"
#include "cepstra/window.h"
#include "simd/kaldi_kernels.h"
#include "simd/kernels.h"

namespace cepstra {

namespace {

constexpr index_t kMaxWindow = index_t(1) << 24;

std::string num(double v) {
    std::string s = std::to_string(v);
    // trim "25.000000" to "25.0"
    if (s.find('.') != std::string::npos) {
        while (s.size() > 1 && s.back() == '0') s.pop_back();
        if (s.back() == '.') s.push_back('0');
    }
    return s;
}

void require_finite(double v, const char* name) {
    if (!std::isfinite(v)) fail(std::string(name) + "=" + num(v) + " must be finite");
}

double kaldi_mel(double hz) { return 1127.0 * std::log(1.0 + hz / 700.0); }

inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// (0, 1]: never 0, so log() is finite.
inline double unit_open0(std::uint64_t& state) { return double((splitmix64(state) >> 11) + 1) * 0x1.0p-53; }

// The dither stream of row b of a signal batch seeded with `seed`.
inline std::uint64_t row_key(std::uint64_t seed, index_t b) {
    std::uint64_t key = seed ^ (std::uint64_t(b) * 0x9E3779B97F4A7C15ull);
    return splitmix64(key);
}

}  // namespace

const KaldiKernelTable& active_kaldi_kernels() {
    const std::string isa = active_kernels().name;
#if defined(CEPSTRA_HAVE_X86_KERNELS)
    if (isa == "sse2") return kaldi_kernels_sse2();
    if (isa == "avx2") return kaldi_kernels_avx2();
    if (isa == "avx512") return kaldi_kernels_avx512();
#endif
    return kaldi_kernels_generic();  // "generic", or "neon" (the portable file on AArch64)
}

KaldiWindow parse_kaldi_window(const std::string& name) {
    if (name == "povey") return KaldiWindow::Povey;
    if (name == "hanning") return KaldiWindow::Hanning;
    if (name == "hamming") return KaldiWindow::Hamming;
    if (name == "rectangular") return KaldiWindow::Rectangular;
    if (name == "blackman") return KaldiWindow::Blackman;
    fail("window_type='" + name + "' is not supported; expected one of 'povey', 'hanning', 'hamming', "
         "'rectangular', 'blackman'");
}

std::vector<double> kaldi_mel_banks(index_t num_bins, index_t padded, double sr, double low_freq, double high_freq) {
    const index_t n_fft_bins = padded / 2;  // Nyquist excluded, as Kaldi
    const index_t cols = padded / 2 + 1;
    const double nyquist = 0.5 * sr;
    const double high = high_freq > 0.0 ? high_freq : nyquist + high_freq;
    const double bin_width = sr / double(padded);
    const double mel_low = kaldi_mel(low_freq), mel_high = kaldi_mel(high);
    const double delta = (mel_high - mel_low) / double(num_bins + 1);
    std::vector<double> dense(std::size_t(checked_mul(num_bins, cols, "mel banks")), 0.0);
    for (index_t m = 0; m < num_bins; ++m) {
        const double left = mel_low + double(m) * delta;
        const double center = mel_low + double(m + 1) * delta;
        const double right = mel_low + double(m + 2) * delta;
        for (index_t k = 0; k < n_fft_bins; ++k) {
            const double mel = kaldi_mel(bin_width * double(k));
            if (mel > left && mel < right) {
                dense[std::size_t(m * cols + k)] =
                    mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center);
            }
        }
    }
    return dense;
}

template <class T>
std::shared_ptr<const KaldiPlan<T>> make_kaldi_plan(const KaldiOptions& o) {
    require_finite(o.sample_frequency, "sample_frequency");
    if (!(o.sample_frequency > 0)) fail("sample_frequency=" + num(o.sample_frequency) + " must be > 0");
    require_finite(o.frame_length, "frame_length");
    require_finite(o.frame_shift, "frame_shift");
    if (!(o.frame_length > 0)) fail("frame_length=" + num(o.frame_length) + " must be > 0 (milliseconds)");
    if (!(o.frame_shift > 0)) fail("frame_shift=" + num(o.frame_shift) + " must be > 0 (milliseconds)");
    // Kaldi's WindowSize()/WindowShift(): truncation, in this order of operations.
    const double win_d = o.sample_frequency * 0.001 * o.frame_length;
    const double shift_d = o.sample_frequency * 0.001 * o.frame_shift;
    if (win_d >= double(kMaxWindow)) fail("frame_length=" + num(o.frame_length) + " gives too long a window");
    if (shift_d >= 9.0e15) fail("frame_shift=" + num(o.frame_shift) + " is too large");
    const index_t win = index_t(win_d), shift = index_t(shift_d);
    if (win < 2)
        fail("frame_length=" + num(o.frame_length) + " ms gives a window of " + std::to_string(win) +
             " samples at sample_frequency=" + num(o.sample_frequency) + "; at least 2 are needed");
    if (shift < 1)
        fail("frame_shift=" + num(o.frame_shift) + " ms gives a shift of 0 samples at sample_frequency=" +
             num(o.sample_frequency));
    require_finite(o.dither, "dither");
    if (o.dither < 0) fail("dither=" + num(o.dither) + " must be >= 0");
    require_finite(o.preemphasis_coefficient, "preemphasis_coefficient");
    if (o.preemphasis_coefficient < 0 || o.preemphasis_coefficient > 1)
        fail("preemphasis_coefficient=" + num(o.preemphasis_coefficient) + " must be in [0, 1]");
    require_finite(o.blackman_coeff, "blackman_coeff");
    if (o.num_mel_bins < 3)
        fail("num_mel_bins=" + std::to_string(o.num_mel_bins) + " must be >= 3 (Kaldi's minimum)");
    if (o.num_mel_bins > (index_t(1) << 20)) fail("num_mel_bins=" + std::to_string(o.num_mel_bins) + " is too large");
    require_finite(o.low_freq, "low_freq");
    require_finite(o.high_freq, "high_freq");
    const double nyquist = 0.5 * o.sample_frequency;
    if (o.low_freq < 0) fail("low_freq=" + num(o.low_freq) + " must be >= 0");
    if (o.high_freq > nyquist)
        fail("high_freq=" + num(o.high_freq) + " is above the Nyquist frequency " + num(nyquist));
    const double high = o.high_freq > 0 ? o.high_freq : nyquist + o.high_freq;
    if (high <= 0)
        fail("high_freq=" + num(o.high_freq) + " gives an upper edge of " + num(high) + " Hz (<= 0 means " +
             "an offset from the Nyquist frequency " + num(nyquist) + ")");
    if (!(o.low_freq < high))
        fail("low_freq=" + num(o.low_freq) + " must be below the upper edge " + num(high) + " Hz (high_freq=" +
             num(o.high_freq) + ")");
    require_finite(o.energy_floor, "energy_floor");
    if (o.energy_floor < 0) fail("energy_floor=" + num(o.energy_floor) + " must be >= 0");
    if (o.mfcc) {
        if (o.num_ceps < 1) fail("num_ceps=" + std::to_string(o.num_ceps) + " must be >= 1");
        if (o.num_ceps > o.num_mel_bins)
            fail("num_ceps=" + std::to_string(o.num_ceps) + " must be <= num_mel_bins=" +
                 std::to_string(o.num_mel_bins));
        require_finite(o.cepstral_lifter, "cepstral_lifter");
    }

    auto p = std::make_shared<KaldiPlan<T>>();
    p->opts = o;
    p->win = win;
    p->shift = shift;
    index_t padded = win;
    if (o.round_to_power_of_two) {
        padded = 1;
        while (padded < win) padded *= 2;
    }
    p->padded = padded;

    // Symmetric windows (denominator win - 1) from window.cc, computed in double and rounded once;
    // povey is Kaldi's own: the symmetric Hann window to the power 0.85.
    const std::size_t W = std::size_t(win);
    std::vector<double> w;
    switch (o.window_type) {
        case KaldiWindow::Hanning: w = make_window(WindowKind::Hann, W, false); break;
        case KaldiWindow::Povey:
            w = make_window(WindowKind::Hann, W, false);
            for (double& v : w) v = std::pow(v, 0.85);
            break;
        case KaldiWindow::Hamming: w = make_window(WindowKind::Hamming, W, false); break;
        case KaldiWindow::Rectangular: w = make_window(WindowKind::Boxcar, W, false); break;
        case KaldiWindow::Blackman:
            w = make_window(WindowKind::Blackman, W, false, o.blackman_coeff, 0.5 - o.blackman_coeff);
            break;
    }
    p->window.assign(w.begin(), w.end());
    p->fft = real_fft_plan<T>(std::size_t(padded));

    const index_t nb = padded / 2 + 1;
    const auto dense = kaldi_mel_banks(o.num_mel_bins, padded, o.sample_frequency, o.low_freq, o.high_freq);
    p->mel = SparseFilterbank<T>::from_dense(dense, o.num_mel_bins, nb);
    p->empty_bins = p->mel->empty_bands();

    p->need_energy = o.use_energy;
    p->has_energy_floor = o.use_energy && o.energy_floor > 0.0;
    if (p->has_energy_floor) p->log_energy_floor = T(std::log(o.energy_floor));

    const index_t N = o.num_mel_bins;
    if (!o.mfcc) {
        p->n_out = N + (o.use_energy ? 1 : 0);
        if (o.use_energy) {
            p->energy_col = o.htk_compat ? N : 0;
            p->mel_col0 = o.htk_compat ? 0 : 1;
        }
        return p;
    }
    // MFCC: Kaldi's ComputeDctMatrix rows 0..num_ceps-1, times the lifter coefficients.
    const index_t C = o.num_ceps;
    p->n_out = C;
    // Kaldi's ComputeDctMatrix is the orthonormal DCT-II (dct.cc); its lifter leaves c0 unchanged
    // (librosa's shifts by one), so it is applied here.
    const std::vector<double> D = dct_matrix(2, N, C, /*ortho=*/true, /*lifter=*/0.0);
    auto add_row = [&](index_t k, index_t col, double scale) {
        double lift = 1.0;
        if (o.cepstral_lifter != 0.0)
            lift = 1.0 + 0.5 * o.cepstral_lifter * std::sin(kPi * double(k) / o.cepstral_lifter);
        for (index_t j = 0; j < N; ++j) p->dct.push_back(T(D[std::size_t(k * N + j)] * lift * scale));
        p->dct_col.push_back(col);
    };
    if (o.use_energy)
        p->energy_col = o.htk_compat ? C - 1 : 0;  // c0 is replaced by the log energy
    else
        add_row(0, o.htk_compat ? C - 1 : 0, o.htk_compat ? std::sqrt(2.0) : 1.0);
    for (index_t k = 1; k < C; ++k) add_row(k, o.htk_compat ? k - 1 : k, 1.0);
    return p;
}

template <class T>
void kaldi_dither_frame(std::uint64_t key, index_t frame, index_t n, double dither, T* x, index_t stride) {
    std::uint64_t state = key;
    state ^= std::uint64_t(frame) * 0xD1B54A32D192ED03ull;
    splitmix64(state);  // decorrelate neighbouring frames
    for (index_t i = 0; i < n; i += 2) {
        const double u1 = unit_open0(state), u2 = unit_open0(state);
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double t = 2.0 * kPi * u2;
        x[i * stride] += T(dither * r * std::cos(t));
        if (i + 1 < n) x[(i + 1) * stride] += T(dither * r * std::sin(t));
    }
}

template <class T>
void run_kaldi(const KaldiPlan<T>& plan, const SignalBatch<T>& sig, std::uint64_t seed, T* out) {
    run_kaldi_items<T>(plan, std::vector<SignalBatch<T>>{sig}, std::vector<std::uint64_t>{seed},
                       std::vector<T*>{out});
}

template <class T>
void run_kaldi_items(const KaldiPlan<T>& plan, const std::vector<SignalBatch<T>>& items,
                     const std::vector<std::uint64_t>& seeds, const std::vector<T*>& outs) {
    require(items.size() == outs.size() && items.size() == seeds.size(), "one output and one seed per item");
    const std::size_t n_items = items.size();
    std::vector<index_t> rows(n_items), frames(n_items), per_row(n_items);
    for (std::size_t i = 0; i < n_items; ++i) {
        rows[i] = items[i].count;
        frames[i] = plan.frame_count(items[i].length);
        per_row[i] = checked_mul(frames[i], plan.n_out, "output size");
    }
    const FrameSchedule schedule(rows, frames);
    if (schedule.tasks() == 0) return;
    const KaldiKernelFns<T>& k = active_kaldi_kernels().fns<T>();
    run_tasks(schedule, [&](index_t task) {
        const FrameTask t = schedule.task(task);
        const SignalBatch<T>& sig = items[t.item];
        k.frames(plan, sig.x + t.row * sig.batch_stride, sig.length, sig.stride, t.f0, t.f1,
                 row_key(seeds[t.item], t.row), outs[t.item] + t.row * per_row[t.item], 0);
    });
}

template <class T>
void run_kaldi_frames(const KaldiPlan<T>& plan, const T* segment, index_t seg_start, index_t seg_len,
                      index_t total_len, index_t f0, index_t f1, std::uint64_t seed, T* out) {
    require(total_len >= 0, "total_length must be >= 0");
    const index_t F = plan.frame_count(total_len);
    require(f0 >= 0 && f0 <= f1 && f1 <= F,
            "frame range [" + std::to_string(f0) + ", " + std::to_string(f1) + ") is out of bounds for " +
                std::to_string(F) + " frames");
    // Every sample the frames read (Kaldi's ExtractWindow, reflections included) must lie in the segment.
    const index_t win = plan.win, n = total_len;
    require_segment_covers(
        seg_start, seg_len, total_len, f0, f1,
        [&](index_t f) { return std::make_pair(plan.frame_start(f), plan.frame_start(f) + win); },
        [&](index_t, index_t j) {
            while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - 1 - j;
            return j;
        });
    if (f0 == f1) return;
    const KaldiKernelFns<T>& k = active_kaldi_kernels().fns<T>();
    const std::uint64_t key = row_key(seed, 0);
    // The kernel indexes samples from the signal's start; the segment begins at seg_start.
    const T* origin = segment - seg_start;
    run_frame_range(f0, f1, [&](index_t a, index_t b) { k.frames(plan, origin, n, 1, a, b, key, out, f0); });
}

#define CEPSTRA_INSTANTIATE(T)                                                                       \
    template std::shared_ptr<const KaldiPlan<T>> make_kaldi_plan<T>(const KaldiOptions&);           \
    template void kaldi_dither_frame<T>(std::uint64_t, index_t, index_t, double, T*, index_t);      \
    template void run_kaldi<T>(const KaldiPlan<T>&, const SignalBatch<T>&, std::uint64_t, T*);           \
    template void run_kaldi_items<T>(const KaldiPlan<T>&, const std::vector<SignalBatch<T>>&,             \
                                     const std::vector<std::uint64_t>&, const std::vector<T*>&);        \
    template void run_kaldi_frames<T>(const KaldiPlan<T>&, const T*, index_t, index_t, index_t, index_t,  \
                                      index_t, std::uint64_t, T*);
CEPSTRA_INSTANTIATE(float)
CEPSTRA_INSTANTIATE(double)
#undef CEPSTRA_INSTANTIATE

}  // namespace cepstra
