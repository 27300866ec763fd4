#include <cmath>

#include "arrays.h"
#include "cepstra/pipeline.h"

namespace cepstra::bind {

namespace {

Stage parse_stage(const std::string& s) {
    if (s == "stft") return Stage::Stft;
    if (s == "mel") return Stage::Mel;
    if (s == "mfcc") return Stage::Mfcc;
    throw std::invalid_argument("unknown stage '" + s + "'");
}

// An immutable plan of either precision, held by the Python extractors.
struct PlanHandle {
    std::shared_ptr<const SpectralPlan<float>> f32;
    std::shared_ptr<const SpectralPlan<double>> f64;
    index_t n_out() const { return f32 ? f32->n_out : f64->n_out; }
    index_t empty_mel_bands() const { return f32 ? f32->empty_mel_bands : f64->empty_mel_bands; }
};

// The plan's output array (complex for Stage::Stft) of the given shape; *data points at it.
template <class T>
py::array new_output(const SpectralPlan<T>& plan, std::initializer_list<index_t> shape, void** data) {
    if (plan.stage == Stage::Stft) {
        auto a = new_array<std::complex<T>>(shape);
        *data = a.mutable_data();
        return std::move(a);
    }
    auto a = new_array<T>(shape);
    *data = a.mutable_data();
    return std::move(a);
}

template <class T>
py::array allocate_output(const SpectralPlan<T>& plan, const SignalBatch<T>& sig, index_t n_out, void** data) {
    const index_t F = frame_count(sig.length, plan.n_fft, plan.hop, plan.center, plan.pad);
    return new_output(plan, {sig.count, n_out, F}, data);
}

// Each element of ys is a 2-D (rows, n) array of T; all run in one parallel pass.
template <class T>
py::list run_impl(const SpectralPlan<T>& plan, const std::vector<py::array>& ys, index_t n_out) {
    std::vector<SignalBatch<T>> items;
    std::vector<void*> outs;
    py::list result;
    for (const py::array& y : ys) {
        if (!has_dtype<T>(y)) throw py::type_error("all signals must have the plan's dtype");
        items.push_back(signal_view<T>(y, "y"));
        void* o = nullptr;
        result.append(allocate_output<T>(plan, items.back(), n_out, &o));
        outs.push_back(o);
    }
    without_gil([&] { run_spectral_items<T>(plan, items, outs); });
    return result;
}

// stft(out=...): the plan writes straight into the caller's (rows, n_out, F) complex array,
// whose frame axis must be unit-stride (the other two strides are free, so a view of the first
// F columns of a wider array works). Returns that same array.
template <class T>
py::array run_into_impl(const SpectralPlan<T>& plan, const py::array& y, const py::array& out, index_t n_out) {
    if (plan.stage != Stage::Stft) throw std::invalid_argument("out= is only for STFT plans");
    if (!has_dtype<T>(y)) throw py::type_error("y must have the plan's dtype");
    if (!has_dtype<std::complex<T>>(out)) throw py::type_error("out must be the complex type of the plan's dtype");
    if (!out.writeable()) throw std::invalid_argument("out is read-only");
    require_ndim(out, 3, "out");
    const SignalBatch<T> sig = signal_view<T>(y, "y");
    const index_t F = frame_count(sig.length, plan.n_fft, plan.hop, plan.center, plan.pad);
    if (out.shape(0) != sig.count || out.shape(1) != n_out || out.shape(2) != F)
        throw std::invalid_argument("out must have shape (rows, n_fft//2 + 1, n_frames)");
    // The stride of a length-1 axis is never used (and numpy leaves it arbitrary).
    auto stride = [&](int ax) { return out.shape(ax) > 1 ? elem_stride(out, ax) : index_t(0); };
    if (F > 1 && stride(2) != 1) throw std::invalid_argument("out's frame axis must be contiguous");
    const std::vector<SignalBatch<T>> items{sig};
    const std::vector<void*> outs{const_cast<void*>(out.data())};
    const std::vector<OutStrides> strides{{stride(0), stride(1)}};
    without_gil([&] { run_spectral_items<T>(plan, items, outs, &strides); });
    return out;
}

template <class T>
py::array istft_impl(const py::array& S, index_t n_fft, index_t hop, const std::vector<double>& window, bool center,
                     index_t out_len) {
    require_ndim(S, 3, "stft_matrix");
    require_c_contiguous(S, "stft_matrix");
    if (S.shape(1) != n_fft / 2 + 1) throw std::invalid_argument("stft_matrix does not have n_fft//2 + 1 rows");
    const index_t B = S.shape(0), F = S.shape(2);
    auto out = new_array<T>({B, out_len});
    const auto* in = static_cast<const std::complex<T>*>(S.data());
    T* o = out.mutable_data();
    without_gil([&] { run_istft<T>(in, B, F, n_fft, hop, window, center, out_len, o); });
    return std::move(out);
}

template <class T>
py::array frames_impl(const SpectralPlan<T>& plan, const py::array& seg, index_t seg_start, index_t total, index_t f0,
                      index_t f1, index_t n_out) {
    require_ndim(seg, 1, "segment");
    require_c_contiguous(seg, "segment");
    if (!has_dtype<T>(seg)) throw py::type_error("segment must have the plan's dtype");
    if (f1 < f0) throw std::invalid_argument("frame range is reversed");
    void* o = nullptr;
    py::array out = new_output(plan, {n_out, f1 - f0}, &o);
    const T* s = static_cast<const T*>(seg.data());
    const index_t len = seg.shape(0);
    without_gil([&] { run_spectral_frames<T>(plan, s, seg_start, len, total, f0, f1, o); });
    return out;
}

}  // namespace

void bind_spectral(py::module_& m) {
    py::class_<PlanHandle, std::shared_ptr<PlanHandle>>(m, "SpectralPlan")
        .def_property_readonly("n_out", &PlanHandle::n_out)
        .def_property_readonly("empty_mel_bands", &PlanHandle::empty_mel_bands)
        .def(
            "__call__",
            [](const PlanHandle& h, const py::array& y) -> py::object {
                const std::vector<py::array> ys{y};
                py::list r = h.f32 ? run_impl<float>(*h.f32, ys, h.n_out()) : run_impl<double>(*h.f64, ys, h.n_out());
                return r[0];
            },
            py::arg("y").noconvert(), "Run the plan on a 2-D (batch, n) array of any strides.")
        .def(
            "run_into",
            [](const PlanHandle& h, const py::array& y, const py::array& out) -> py::array {
                return h.f32 ? run_into_impl<float>(*h.f32, y, out, h.n_out())
                             : run_into_impl<double>(*h.f64, y, out, h.n_out());
            },
            py::arg("y").noconvert(), py::arg("out").noconvert(),
            "Run an STFT plan on a 2-D (batch, n) array into out (batch, bins, frames), frames unit-stride.")
        .def(
            "run_list",
            [](const PlanHandle& h, const std::vector<py::array>& ys) -> py::list {
                return h.f32 ? run_impl<float>(*h.f32, ys, h.n_out()) : run_impl<double>(*h.f64, ys, h.n_out());
            },
            py::arg("ys"), "Run the plan on several 2-D arrays (any lengths) in one parallel pass.")
        .def(
            "frames",
            [](const PlanHandle& h, const py::array& seg, index_t seg_start, index_t total, index_t f0,
               index_t f1) -> py::array {
                return h.f32 ? frames_impl<float>(*h.f32, seg, seg_start, total, f0, f1, h.n_out())
                             : frames_impl<double>(*h.f64, seg, seg_start, total, f0, f1, h.n_out());
            },
            py::arg("segment").noconvert(), py::arg("seg_start"), py::arg("total_length"), py::arg("f0"), py::arg("f1"),
            "Frames [f0, f1) of a signal of total_length samples given one covering segment.");

    m.def(
        "make_plan",
        [](const std::string& dtype, const std::string& stage, index_t n_fft, index_t hop, bool center,
           const std::string& pad_mode, const std::vector<double>& window, double power, double sr, index_t n_mels,
           double fmin, double fmax, bool htk, const std::string& norm, double p, const py::object& dct, double amin,
           double ref_db, double top_db) {
            const Stage st = parse_stage(stage);
            const PadMode pad = parse_pad_mode(pad_mode);
            MelSpec mel;
            mel.sr = sr;
            mel.n_fft = n_fft;
            mel.n_mels = n_mels;
            mel.fmin = fmin;
            mel.fmax = fmax;
            mel.htk = htk;
            mel.norm = norm == "slaney" ? MelNorm::Slaney : norm == "none" ? MelNorm::None : MelNorm::Lp;
            mel.p = p;
            std::vector<double> dct_m;
            index_t n_dct = 0;
            if (!dct.is_none()) {
                auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(dct);
                if (!a || a.ndim() != 2) throw std::invalid_argument("dct must be a 2-D matrix");
                n_dct = a.shape(0);
                dct_m.assign(a.data(), a.data() + a.size());
            }
            auto h = std::make_shared<PlanHandle>();
            const MelSpec* mp = st == Stage::Stft ? nullptr : &mel;
            const std::vector<double>* dp = st == Stage::Mfcc ? &dct_m : nullptr;
            if (dtype != "float32" && dtype != "float64")
                throw std::invalid_argument("dtype must be float32 or float64");
            without_gil([&] {
                if (dtype == "float32")
                    h->f32 = make_spectral_plan<float>(st, n_fft, hop, center, pad, window, power, mp, dp, n_dct, amin,
                                                       ref_db, top_db);
                else
                    h->f64 = make_spectral_plan<double>(st, n_fft, hop, center, pad, window, power, mp, dp, n_dct, amin,
                                                        ref_db, top_db);
            });
            return h;
        },
        py::arg("dtype"), py::arg("stage"), py::arg("n_fft"), py::arg("hop"), py::arg("center"), py::arg("pad_mode"),
        py::arg("window"), py::arg("power"), py::arg("sr"), py::arg("n_mels"), py::arg("fmin"), py::arg("fmax"),
        py::arg("htk"), py::arg("norm"), py::arg("p"), py::arg("dct"), py::arg("amin"), py::arg("ref_db"),
        py::arg("top_db"));

    m.def(
        "all_finite",
        [](const py::array& y) -> bool {
            bool ok = true;
            if (has_dtype<float>(y)) {
                const auto sig = signal_view<float>(y, "y");
                without_gil([&] { ok = all_finite<float>(sig); });
            } else if (has_dtype<double>(y)) {
                const auto sig = signal_view<double>(y, "y");
                without_gil([&] { ok = all_finite<double>(sig); });
            } else {
                throw py::type_error("y must be float32 or float64");
            }
            return ok;
        },
        py::arg("y").noconvert(), "True when every value of a 2-D float array (any strides) is finite.");

    m.def(
        "frame_count",
        [](index_t n, index_t n_fft, index_t hop, bool center, const std::string& pad_mode) {
            return frame_count(n, n_fft, hop, center, parse_pad_mode(pad_mode));
        },
        py::arg("n"), py::arg("n_fft"), py::arg("hop"), py::arg("center"), py::arg("pad_mode"));

    m.def(
        "istft",
        [](const py::array& S, index_t n_fft, index_t hop, const std::vector<double>& window, bool center,
           index_t out_len) -> py::array {
            if (has_dtype<std::complex<float>>(S)) return istft_impl<float>(S, n_fft, hop, window, center, out_len);
            if (has_dtype<std::complex<double>>(S)) return istft_impl<double>(S, n_fft, hop, window, center, out_len);
            throw py::type_error("stft_matrix must be complex64 or complex128");
        },
        py::arg("stft_matrix").noconvert(), py::arg("n_fft"), py::arg("hop"), py::arg("window"), py::arg("center"),
        py::arg("length"));
}

}  // namespace cepstra::bind
