// Speech front ends: Kaldi fbank / MFCC plans and whisper's log-mel normalisation.
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "arrays.h"
#include "cepstra/kaldi.h"
#include "cepstra/whisper.h"

namespace cepstra::bind {

namespace {

// The one table from option names (cepstra._engine.configs: KaldiOptions.plan_fields()) to the
// fields of the C++ KaldiOptions.
using OptionSetter = void (*)(KaldiOptions&, const py::handle&);

template <auto Field>
void set_option(KaldiOptions& o, const py::handle& v) {
    using F = std::remove_reference_t<decltype(o.*Field)>;
    o.*Field = v.cast<F>();
}

const std::vector<std::pair<std::string, OptionSetter>>& option_table() {
    static const std::vector<std::pair<std::string, OptionSetter>> table = {
        {"sample_frequency", &set_option<&KaldiOptions::sample_frequency>},
        {"frame_length", &set_option<&KaldiOptions::frame_length>},
        {"frame_shift", &set_option<&KaldiOptions::frame_shift>},
        {"dither", &set_option<&KaldiOptions::dither>},
        {"preemphasis_coefficient", &set_option<&KaldiOptions::preemphasis_coefficient>},
        {"remove_dc_offset", &set_option<&KaldiOptions::remove_dc_offset>},
        {"window_type", [](KaldiOptions& o, const py::handle& v) { o.window_type = parse_kaldi_window(v.cast<std::string>()); }},
        {"blackman_coeff", &set_option<&KaldiOptions::blackman_coeff>},
        {"round_to_power_of_two", &set_option<&KaldiOptions::round_to_power_of_two>},
        {"snip_edges", &set_option<&KaldiOptions::snip_edges>},
        {"num_mel_bins", &set_option<&KaldiOptions::num_mel_bins>},
        {"low_freq", &set_option<&KaldiOptions::low_freq>},
        {"high_freq", &set_option<&KaldiOptions::high_freq>},
        {"use_energy", &set_option<&KaldiOptions::use_energy>},
        {"raw_energy", &set_option<&KaldiOptions::raw_energy>},
        {"energy_floor", &set_option<&KaldiOptions::energy_floor>},
        {"use_log_fbank", &set_option<&KaldiOptions::use_log_fbank>},
        {"use_power", &set_option<&KaldiOptions::use_power>},
        {"htk_compat", &set_option<&KaldiOptions::htk_compat>},
        {"mfcc", &set_option<&KaldiOptions::mfcc>},
        {"num_ceps", &set_option<&KaldiOptions::num_ceps>},
        {"cepstral_lifter", &set_option<&KaldiOptions::cepstral_lifter>},
    };
    return table;
}

// Options not given keep KaldiOptions' defaults (fbank has no num_ceps); an unknown name is an
// error, so the Python list and this table cannot drift apart silently.
KaldiOptions options_from(const py::dict& d) {
    KaldiOptions o;
    const auto& table = option_table();
    for (const auto& item : d) {
        const std::string key = py::str(item.first);
        OptionSetter set = nullptr;
        for (const auto& entry : table)
            if (entry.first == key) set = entry.second;
        if (!set) throw std::invalid_argument("unknown Kaldi option '" + key + "'");
        set(o, item.second);
    }
    return o;
}

// An immutable Kaldi plan of either precision (cached by cepstra.kaldi).
struct KaldiPlanHandle {
    std::shared_ptr<const KaldiPlan<float>> f32;
    std::shared_ptr<const KaldiPlan<double>> f64;
    template <class F>
    auto with(F&& f) const { return f32 ? f(*f32) : f(*f64); }
};

template <class T>
py::array kaldi_impl(const KaldiPlan<T>& plan, const py::array& x, std::uint64_t seed) {
    const SignalBatch<T> sig = signal_view<T>(x, "waveform");
    const index_t F = plan.frame_count(sig.length);
    auto out = new_array<T>({sig.count, F, plan.n_out});
    T* o = out.mutable_data();
    without_gil([&] {
        run_kaldi<T>(plan, sig, seed, o);
    });
    return std::move(out);
}

// Several 2-D (rows, n_i) arrays of any lengths and strides in one parallel pass, item i seeded
// with seeds[i]; returns a list of (rows_i, frames_i, n_out) arrays.
template <class T>
py::list kaldi_list_impl(const KaldiPlan<T>& plan, const std::vector<py::array>& xs,
                         const std::vector<std::uint64_t>& seeds) {
    if (seeds.size() != xs.size()) throw std::invalid_argument("one seed per waveform is needed");
    std::vector<SignalBatch<T>> items;
    std::vector<T*> outs;
    py::list result;
    for (const py::array& x : xs) {
        if (!has_dtype<T>(x)) throw py::type_error("every waveform must have the plan's dtype");
        const SignalBatch<T> sig = signal_view<T>(x, "waveform");
        auto out = new_array<T>({sig.count, plan.frame_count(sig.length), plan.n_out});
        outs.push_back(out.mutable_data());
        items.push_back(sig);
        result.append(std::move(out));
    }
    without_gil([&] {
        run_kaldi_items<T>(plan, items, seeds, outs);
    });
    return result;
}

template <class T>
py::array kaldi_frames_impl(const KaldiPlan<T>& plan, const py::array& seg, index_t seg_start, index_t total,
                            index_t f0, index_t f1, std::uint64_t seed) {
    require_ndim(seg, 1, "segment");
    require_c_contiguous(seg, "segment");
    if (!has_dtype<T>(seg)) throw py::type_error("segment must have the plan's dtype");
    if (f1 < f0) throw std::invalid_argument("frame range is reversed");
    auto out = new_array<T>({f1 - f0, plan.n_out});
    T* o = out.mutable_data();
    const T* s = static_cast<const T*>(seg.data());
    const index_t len = seg.shape(0);
    without_gil([&] {
        run_kaldi_frames<T>(plan, s, seg_start, len, total, f0, f1, seed, o);
    });
    return std::move(out);
}

template <class T>
py::array whisper_impl(const py::array& mel, bool batch_max) {
    require_ndim(mel, 3, "mel");
    require_c_contiguous(mel, "mel");
    const index_t B = mel.shape(0), M = mel.shape(1), F = mel.shape(2);
    if (F < 2) throw std::invalid_argument("mel needs at least 2 frames");
    auto out = new_array<T>({B, M, F - 1});
    const T* in = static_cast<const T*>(mel.data());
    T* o = out.mutable_data();
    without_gil([&] {
        whisper_log_mel<T>(in, B, M, F, batch_max, o);
    });
    return std::move(out);
}

}  // namespace

void bind_kaldi(py::module_& m) {
    m.def("kaldi_option_names", [] {
        std::vector<std::string> names;
        for (const auto& entry : option_table()) names.push_back(entry.first);
        return names;
    }, "The option names make_kaldi_plan takes (each exactly once).");

    py::class_<KaldiPlanHandle, std::shared_ptr<KaldiPlanHandle>>(m, "KaldiPlan")
        .def_property_readonly("n_out", [](const KaldiPlanHandle& h) { return h.with([](auto& p) { return p.n_out; }); })
        .def_property_readonly("win", [](const KaldiPlanHandle& h) { return h.with([](auto& p) { return p.win; }); })
        .def_property_readonly("shift", [](const KaldiPlanHandle& h) { return h.with([](auto& p) { return p.shift; }); })
        .def_property_readonly("padded", [](const KaldiPlanHandle& h) { return h.with([](auto& p) { return p.padded; }); })
        .def_property_readonly("empty_bins",
                               [](const KaldiPlanHandle& h) { return h.with([](auto& p) { return p.empty_bins; }); })
        .def("frame_count", [](const KaldiPlanHandle& h, index_t n) {
            return h.with([n](auto& p) { return p.frame_count(n); });
        }, py::arg("n"))
        .def("__call__", [](const KaldiPlanHandle& h, const py::array& x, std::uint64_t seed) -> py::array {
            if (h.f32) {
                if (!has_dtype<float>(x)) throw py::type_error("this plan computes float32 input");
                return kaldi_impl<float>(*h.f32, x, seed);
            }
            if (!has_dtype<double>(x)) throw py::type_error("this plan computes float64 input");
            return kaldi_impl<double>(*h.f64, x, seed);
        }, py::arg("waveform").noconvert(), py::arg("seed"),
           "Run the plan on a 2-D (batch, n) array of any strides; returns (batch, frames, n_out).")
        .def("run_list", [](const KaldiPlanHandle& h, const std::vector<py::array>& xs,
                            const std::vector<std::uint64_t>& seeds) -> py::list {
            return h.f32 ? kaldi_list_impl<float>(*h.f32, xs, seeds) : kaldi_list_impl<double>(*h.f64, xs, seeds);
        }, py::arg("waveforms"), py::arg("seeds"),
           "Run the plan on several 2-D (batch_i, n_i) arrays (any lengths) in one parallel pass, item i "
           "seeded with seeds[i] (as __call__(waveforms[i], seeds[i])); returns a list of (batch_i, frames_i, n_out).")
        .def("frames", [](const KaldiPlanHandle& h, const py::array& seg, index_t seg_start, index_t total,
                          index_t f0, index_t f1, std::uint64_t seed) -> py::array {
            return h.f32 ? kaldi_frames_impl<float>(*h.f32, seg, seg_start, total, f0, f1, seed)
                         : kaldi_frames_impl<double>(*h.f64, seg, seg_start, total, f0, f1, seed);
        }, py::arg("segment").noconvert(), py::arg("seg_start"), py::arg("total_length"), py::arg("f0"),
           py::arg("f1"), py::arg("seed"),
           "Frames [f0, f1) of a signal of total_length samples given one covering C-contiguous 1-D segment "
           "starting at sample seg_start; returns (f1 - f0, n_out), equal to rows f0..f1-1 of __call__ on the "
           "whole signal as a (1, n) batch with the same seed.");

    m.def("make_kaldi_plan", [](const std::string& dtype, const py::dict& options) {
        const KaldiOptions o = options_from(options);
        auto h = std::make_shared<KaldiPlanHandle>();
        if (dtype != "float32" && dtype != "float64") throw std::invalid_argument("dtype must be float32 or float64");
        without_gil([&] {
            if (dtype == "float32")
                h->f32 = make_kaldi_plan<float>(o);
            else
                h->f64 = make_kaldi_plan<double>(o);
        });
        return h;
    }, py::arg("dtype"), py::arg("options"));

    m.def("kaldi_mel_banks", [](index_t num_bins, index_t padded, double sr, double low, double high) {
        auto d = kaldi_mel_banks(num_bins, padded, sr, low, high);
        py::array_t<double> a({py::ssize_t(num_bins), py::ssize_t(padded / 2 + 1)});
        std::copy(d.begin(), d.end(), a.mutable_data());
        return a;
    }, py::arg("num_bins"), py::arg("padded"), py::arg("sample_frequency"), py::arg("low_freq"), py::arg("high_freq"));

    m.def("whisper_log_mel", [](const py::array& mel, bool batch_max) -> py::array {
        if (has_dtype<float>(mel)) return whisper_impl<float>(mel, batch_max);
        if (has_dtype<double>(mel)) return whisper_impl<double>(mel, batch_max);
        throw py::type_error("mel must be float32 or float64");
    }, py::arg("mel").noconvert(), py::arg("batch_max"));
}

}  // namespace cepstra::bind
