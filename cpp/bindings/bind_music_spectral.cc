// Binding of the spectral descriptors (cepstra/spectral_stats.h): array checks, allocation of
// outputs, the GIL released through without_gil only.
#include <tuple>

#include "arrays.h"
#include "cepstra/chroma_project.h"
#include "cepstra/frame_stats.h"
#include "cepstra/power_peaks.h"
#include "cepstra/spectral_stats.h"

namespace cepstra::bind {

namespace {

// An immutable STFT plan plus the statistics to reduce it to, cached by the Python layer.
struct StatsPlanHandle {
    std::shared_ptr<const SpectralPlan<float>> f32;
    std::shared_ptr<const SpectralPlan<double>> f64;
    SpectralStatsSpec spec;
};

template <class T>
py::list stats_run(const SpectralPlan<T>& plan, const SpectralStatsSpec& spec, const std::vector<py::array>& ys) {
    std::vector<SignalBatch<T>> items;
    std::vector<double*> outs;
    py::list result;
    for (const py::array& y : ys) {
        if (!has_dtype<T>(y)) throw py::type_error("all signals must have the plan's dtype");
        items.push_back(signal_view<T>(y, "y"));
        const index_t F = frame_count(items.back().length, plan.n_fft, plan.hop, plan.center, plan.pad);
        auto a = new_array<double>({items.back().count, spec.n_stats(), F});
        outs.push_back(a.mutable_data());
        result.append(std::move(a));
    }
    without_gil([&] { run_spectral_stats<T>(plan, spec, items, outs); });
    return result;
}

template <class T>
py::array rms_impl(const py::array& y, index_t frame_length, index_t hop, index_t pad) {
    require_ndim(y, 2, "y");
    require_c_contiguous(y, "y");
    const index_t rows = y.shape(0), n = y.shape(1);
    if (frame_length < 1 || hop < 1 || pad < 0) throw std::invalid_argument("bad frame parameters");
    if (n + 2 * pad < frame_length) throw std::invalid_argument("y is shorter than frame_length");
    auto out = new_array<T>({rows, 1 + (n + 2 * pad - frame_length) / hop});
    const T* x = static_cast<const T*>(y.data());
    T* o = out.mutable_data();
    without_gil([&] { run_frame_rms<T>(x, rows, n, pad, frame_length, hop, o); });
    return std::move(out);
}

template <class T>
py::array crossings_impl(const py::array& y, index_t frame_length, index_t hop, double threshold, index_t pad) {
    require_ndim(y, 2, "y");
    require_c_contiguous(y, "y");
    const index_t rows = y.shape(0), n = y.shape(1);
    if (frame_length < 1 || hop < 1 || pad < 0 || n < 1) throw std::invalid_argument("bad frame parameters");
    if (n + 2 * pad < frame_length) throw std::invalid_argument("y is shorter than frame_length");
    auto out = new_array<double>({rows, 1 + (n + 2 * pad - frame_length) / hop});
    const T* x = static_cast<const T*>(y.data());
    double* o = out.mutable_data();
    without_gil([&] { run_frame_crossings<T>(x, rows, n, pad, frame_length, hop, T(threshold), o); });
    return std::move(out);
}

template <class S>
py::tuple power_peaks_impl(const SpectralPlan<double>& plan, const PeakSpec& spec, const py::array& y) {
    if (!has_dtype<double>(y)) throw py::type_error("y must be float64");
    const SignalBatch<double> sig = signal_view<double>(y, "y");
    const index_t F = frame_count(sig.length, plan.n_fft, plan.hop, plan.center, plan.pad);
    auto P = new_array<S>({sig.count, plan.n_bins(), F});
    S* o = P.mutable_data();
    std::vector<S> pitches, mags;
    without_gil([&] { run_power_peaks<S>(plan, spec, sig, o, pitches, mags); });
    auto pa = new_array<S>({index_t(pitches.size())});
    auto ma = new_array<S>({index_t(mags.size())});
    std::copy(pitches.begin(), pitches.end(), pa.mutable_data());
    std::copy(mags.begin(), mags.end(), ma.mutable_data());
    return py::make_tuple(std::move(P), std::move(pa), std::move(ma));
}

template <class S>
py::array project_impl(const py::array& fb, const py::array& P) {
    require_ndim(fb, 2, "fb");
    require_c_contiguous(fb, "fb");
    require_ndim(P, 3, "P");
    require_c_contiguous(P, "P");
    const index_t n_out = fb.shape(0), bins = fb.shape(1), rows = P.shape(0), frames = P.shape(2);
    if (P.shape(1) != bins) throw std::invalid_argument("fb and P disagree on the number of bins");
    if (n_out < 1 || bins < 1) throw std::invalid_argument("fb is empty");
    auto out = new_array<S>({rows, n_out, frames});
    const double* w = static_cast<const double*>(fb.data());
    const S* p = static_cast<const S*>(P.data());
    S* o = out.mutable_data();
    without_gil([&] { run_chroma_project<S>(w, n_out, p, rows, bins, frames, o); });
    return std::move(out);
}

}  // namespace

void bind_music_spectral(py::module_& m) {
    py::class_<StatsPlanHandle, std::shared_ptr<StatsPlanHandle>>(m, "SpectralStatsPlan")
        .def_property_readonly("n_stats", [](const StatsPlanHandle& h) { return h.spec.n_stats(); })
        .def(
            "run_list",
            [](const StatsPlanHandle& h, const std::vector<py::array>& ys) -> py::list {
                return h.f32 ? stats_run<float>(*h.f32, h.spec, ys) : stats_run<double>(*h.f64, h.spec, ys);
            },
            py::arg("ys"), "Descriptors of several 2-D (rows, n) arrays in one parallel pass: (rows, n_stats, t) each.")
        .def(
            "power_peaks",
            [](const StatsPlanHandle& h, const py::array& y, double sr, double fmin, double fmax, double threshold,
               bool float32) -> py::tuple {
                if (!h.f64) throw std::invalid_argument("power_peaks needs a float64 plan");
                PeakSpec spec;
                spec.sr = sr;
                spec.fmin = fmin;
                spec.fmax = fmax;
                spec.threshold = threshold;
                return float32 ? power_peaks_impl<float>(*h.f64, spec, y) : power_peaks_impl<double>(*h.f64, spec, y);
            },
            py::arg("y").noconvert(), py::arg("sr"), py::arg("fmin"), py::arg("fmax"), py::arg("threshold"),
            py::arg("float32"),
            "Power spectrogram (rows, bins, t) of a float64 (rows, n) array and its piptrack peaks (pitches, mags).");

    m.def(
        "make_spectral_stats_plan",
        [](const std::string& dtype, index_t n_fft, index_t hop, bool center, const std::string& pad_mode,
           const std::vector<double>& window, const std::vector<double>& freq, unsigned stats, double roll_percent,
           double amin, bool float_magnitudes, const std::vector<std::tuple<index_t, index_t, index_t>>& bands) {
            if (dtype != "float32" && dtype != "float64")
                throw std::invalid_argument("dtype must be float32 or float64");
            if (stats > 15u || (stats == 0 && bands.empty()))
                throw std::invalid_argument("stats must be a non-empty set of descriptors");
            for (const auto& [lo, hi, q] : bands)
                if (!(0 <= lo && lo < hi && hi <= n_fft / 2 + 1 && 1 <= q && q <= hi - lo))
                    throw std::invalid_argument("bad contrast band");
            if (index_t(freq.size()) != n_fft / 2 + 1)
                throw std::invalid_argument("freq must have n_fft//2 + 1 values");
            const PadMode pad = parse_pad_mode(pad_mode);
            auto h = std::make_shared<StatsPlanHandle>();
            h->spec.stats = stats;
            h->spec.freq = freq;
            h->spec.roll_percent = roll_percent;
            h->spec.amin = amin;
            h->spec.float_magnitudes = float_magnitudes;
            for (const auto& [lo, hi, q] : bands) h->spec.bands.push_back({lo, hi, q});
            without_gil([&] {
                if (dtype == "float32")
                    h->f32 = make_spectral_plan<float>(Stage::Stft, n_fft, hop, center, pad, window, 1.0, nullptr,
                                                       nullptr, 0, 1e-10, 0.0, -1.0);
                else
                    h->f64 = make_spectral_plan<double>(Stage::Stft, n_fft, hop, center, pad, window, 1.0, nullptr,
                                                        nullptr, 0, 1e-10, 0.0, -1.0);
            });
            return h;
        },
        py::arg("dtype"), py::arg("n_fft"), py::arg("hop"), py::arg("center"), py::arg("pad_mode"), py::arg("window"),
        py::arg("freq"), py::arg("stats"), py::arg("roll_percent"), py::arg("amin"), py::arg("float_magnitudes"),
        py::arg("bands") = std::vector<std::tuple<index_t, index_t, index_t>>{});

    m.def(
        "chroma_project",
        [](const py::array& fb, const py::array& P) -> py::array {
            if (!has_dtype<double>(fb)) throw py::type_error("fb must be float64");
            if (has_dtype<float>(P)) return project_impl<float>(fb, P);
            if (has_dtype<double>(P)) return project_impl<double>(fb, P);
            throw py::type_error("P must be float32 or float64");
        },
        py::arg("fb").noconvert(), py::arg("P").noconvert(),
        "fb (n_out, bins) float64 times each (bins, frames) page of P (rows, bins, frames), summed in double in bin "
        "order and rounded to P's dtype: (rows, n_out, frames).");

    m.def(
        "frame_rms",
        [](const py::array& y, index_t frame_length, index_t hop, index_t pad) -> py::array {
            if (has_dtype<float>(y)) return rms_impl<float>(y, frame_length, hop, pad);
            if (has_dtype<double>(y)) return rms_impl<double>(y, frame_length, hop, pad);
            throw py::type_error("y must be float32 or float64");
        },
        py::arg("y").noconvert(), py::arg("frame_length"), py::arg("hop"), py::arg("pad") = 0,
        "sqrt(mean(frame**2)) of each frame of a C-contiguous (rows, n) array zero-padded by pad samples on each "
        "side, numpy's pairwise sum.");

    m.def(
        "frame_crossings",
        [](const py::array& y, index_t frame_length, index_t hop, double threshold, index_t pad) -> py::array {
            if (has_dtype<float>(y)) return crossings_impl<float>(y, frame_length, hop, threshold, pad);
            if (has_dtype<double>(y)) return crossings_impl<double>(y, frame_length, hop, threshold, pad);
            throw py::type_error("y must be float32 or float64");
        },
        py::arg("y").noconvert(), py::arg("frame_length"), py::arg("hop"), py::arg("threshold"), py::arg("pad") = 0,
        "Zero crossings inside each frame of a C-contiguous (rows, n) array edge-padded by pad samples on each side "
        "(float64 counts).");
}

}  // namespace cepstra::bind
