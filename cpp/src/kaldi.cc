// Kaldi fbank / MFCC: the immutable plan (window, mel banks in Kaldi's mel-domain form, DCT with
// the lifter folded in, output column layout), the dither generator and the orchestration over
// the thread pool. The per-block arithmetic is in simd/kaldi-inl.h.
#include "cepstra/kaldi.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cepstra/threads.h"
#include "simd/kernels.h"

namespace cepstra {

namespace {

constexpr double kPi = 3.14159265358979323846;
// Frames per task, as in the spectral pipeline: a multiple of every pack width.
constexpr index_t kChunkFrames = 64;
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

    // Symmetric window (denominator win - 1), computed in double and rounded once.
    p->window.resize(std::size_t(win));
    const double a = 2.0 * kPi / double(win - 1);
    for (index_t i = 0; i < win; ++i) {
        const double c = std::cos(a * double(i));
        double w = 1.0;
        switch (o.window_type) {
            case KaldiWindow::Hanning: w = 0.5 - 0.5 * c; break;
            case KaldiWindow::Hamming: w = 0.54 - 0.46 * c; break;
            case KaldiWindow::Povey: w = std::pow(0.5 - 0.5 * c, 0.85); break;
            case KaldiWindow::Rectangular: w = 1.0; break;
            case KaldiWindow::Blackman:
                w = o.blackman_coeff - 0.5 * c + (0.5 - o.blackman_coeff) * std::cos(2.0 * a * double(i));
                break;
        }
        p->window[std::size_t(i)] = T(w);
    }
    p->fft = real_fft_plan<T>(std::size_t(padded));

    const index_t nb = padded / 2 + 1;
    const auto dense = kaldi_mel_banks(o.num_mel_bins, padded, o.sample_frequency, o.low_freq, o.high_freq);
    p->mel = MelBank<T>::from_dense(dense, o.num_mel_bins, nb);
    for (index_t m = 0; m < o.num_mel_bins; ++m)
        if (p->mel->count[std::size_t(m)] == 0) ++p->empty_bins;

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
    auto add_row = [&](index_t k, index_t col, double scale) {
        double lift = 1.0;
        if (o.cepstral_lifter != 0.0)
            lift = 1.0 + 0.5 * o.cepstral_lifter * std::sin(kPi * double(k) / o.cepstral_lifter);
        for (index_t j = 0; j < N; ++j) {
            const double d = k == 0 ? std::sqrt(1.0 / double(N))
                                    : std::sqrt(2.0 / double(N)) * std::cos(kPi / double(N) * (double(j) + 0.5) * double(k));
            p->dct.push_back(T(d * lift * scale));
        }
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
    // Task t of item i covers chunk (t - first[i]) % chunks[i] of row (t - first[i]) / chunks[i].
    std::vector<index_t> frames(n_items), chunks(n_items), per_row(n_items), first(n_items + 1, 0);
    for (std::size_t i = 0; i < n_items; ++i) {
        frames[i] = plan.frame_count(items[i].length);
        per_row[i] = checked_mul(frames[i], plan.n_out, "output size");
        chunks[i] = (frames[i] + kChunkFrames - 1) / kChunkFrames;
        first[i + 1] = checked_add(first[i], checked_mul(items[i].count, chunks[i], "task count"), "task count");
    }
    const index_t tasks = first[n_items];
    if (tasks == 0) return;
    const KernelFns<T>& k = active_kernels().fns<T>();
    parallel_for(tasks, [&](index_t task) {
        const std::size_t i =
            std::size_t(std::upper_bound(first.begin(), first.end(), task) - first.begin() - 1);
        const SignalBatch<T>& sig = items[i];
        const index_t local = task - first[i], b = local / chunks[i], c = local % chunks[i];
        const index_t f0 = c * kChunkFrames, f1 = std::min(frames[i], f0 + kChunkFrames);
        k.kaldi_frames(plan, sig.x + b * sig.batch_stride, sig.length, sig.stride, f0, f1, row_key(seeds[i], b),
                       outs[i] + b * per_row[i], 0);
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
    require(seg_start >= 0 && seg_len >= 0 && seg_start <= total_len && seg_len <= total_len - seg_start,
            "segment out of bounds");
    if (f0 == f1) return;
    // Every sample the frames read (Kaldi's ExtractWindow, reflections included) must lie in the
    // segment: checked before the kernel runs, so a caller's mistake is an exception, not a wild read.
    const index_t win = plan.win, n = total_len;
    auto covered = [&](index_t t) { return t >= seg_start && t - seg_start < seg_len; };
    for (index_t f = f0; f < f1; ++f) {
        const index_t s = plan.frame_start(f);
        if (s >= 0 && s + win <= n) {
            require(covered(s) && covered(s + win - 1), "segment does not cover the frames");
            continue;
        }
        for (index_t i = 0; i < win; ++i) {
            index_t j = s + i;
            while (j < 0 || j >= n) j = j < 0 ? -j - 1 : 2 * n - 1 - j;
            require(covered(j), "segment does not cover the frames");
        }
    }
    const KernelFns<T>& k = active_kernels().fns<T>();
    const std::uint64_t key = row_key(seed, 0);
    // The kernel indexes samples from the signal's start; the segment begins at seg_start.
    const T* origin = segment - seg_start;
    const index_t chunks = (f1 - f0 + kChunkFrames - 1) / kChunkFrames;
    parallel_for(chunks, [&](index_t c) {
        const index_t a = f0 + c * kChunkFrames, b = std::min(f1, a + kChunkFrames);
        k.kaldi_frames(plan, origin, n, 1, a, b, key, out, f0);
    });
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
