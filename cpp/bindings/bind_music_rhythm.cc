// Music kernels: the HPSS median filter and the beat tracker's dynamic programme.
#include <limits>

#include "arrays.h"
#include "cepstra/beat.h"
#include "cepstra/griffinlim.h"
#include "cepstra/hpss.h"
#include "cepstra/istft_fast.h"
#include "cepstra/tempogram.h"
#include "cepstra/median_filter.h"

namespace cepstra::bind {

namespace {

template <class T>
py::array median_filter_impl(const py::array& x, index_t size, int axis) {
    require_ndim(x, 3, "S");
    require_c_contiguous(x, "S");
    const index_t b = x.shape(0), r = x.shape(1), c = x.shape(2);
    auto out = new_array<T>({b, r, c});
    const T* in = static_cast<const T*>(x.data());
    T* o = out.mutable_data();
    without_gil([&] { median_filter_3d<T>(in, b, r, c, axis, size, o); });
    return std::move(out);
}

template <class T>
py::array beat_impl(const py::array& onsets, const py::array& fpb, float tightness, bool trim,
                    const py::array_t<double, py::array::c_style>& hann5) {
    require_ndim(onsets, 1, "onsets");
    require_ndim(fpb, 1, "frames_per_beat");
    require_c_contiguous(onsets, "onsets");
    require_c_contiguous(fpb, "frames_per_beat");
    if (!has_dtype<T>(fpb)) throw std::invalid_argument("frames_per_beat must have the dtype of onsets");
    if (hann5.size() != 5) throw std::invalid_argument("hann5 must have 5 values");
    const index_t n = onsets.shape(0), nf = fpb.shape(0);
    auto out = new_array<bool>({n});
    const T* on = static_cast<const T*>(onsets.data());
    const T* f = static_cast<const T*>(fpb.data());
    bool* o = out.mutable_data();
    const double* h = hann5.data();
    without_gil([&] { beat_track_dp<T>(on, n, f, nf, tightness, trim, h, o); });
    return std::move(out);
}

template <class T>
py::tuple hpss_apply_impl(const py::array& D, const py::array& mag, const py::array& harm, const py::array& perc,
                          double mh, double mp, int power, bool split_zeros) {
    for (const py::array* a : {&D, &mag, &harm, &perc}) require_c_contiguous(*a, "S");
    if (!has_dtype<T>(mag) || !has_dtype<T>(harm) || !has_dtype<T>(perc))
        throw std::invalid_argument("harm/perc dtype mismatch");
    const index_t n = index_t(D.size());
    if (index_t(mag.size()) != n || index_t(harm.size()) != n || index_t(perc.size()) != n)
        throw std::invalid_argument("size mismatch");
    std::vector<py::ssize_t> shape(D.shape(), D.shape() + D.ndim());
    py::array_t<std::complex<T>> H(shape), P(shape);
    const auto* d = static_cast<const std::complex<T>*>(D.data());
    const T* mg = static_cast<const T*>(mag.data());
    const T* h = static_cast<const T*>(harm.data());
    const T* p = static_cast<const T*>(perc.data());
    auto* ho = H.mutable_data();
    auto* po = P.mutable_data();
    without_gil([&] { hpss_apply<T>(d, mg, h, p, n, T(mh), T(mp), power, split_zeros, ho, po); });
    return py::make_tuple(std::move(H), std::move(P));
}

template <class T>
void gl_update_impl(const py::array& rebuilt, const py::object& tprev, const py::array& S, double c,
                    py::array& angles) {
    require_c_contiguous(rebuilt, "rebuilt");
    require_c_contiguous(S, "S");
    require_c_contiguous(angles, "angles");
    const index_t n = index_t(S.size());
    if (index_t(rebuilt.size()) != n || index_t(angles.size()) != n) throw std::invalid_argument("size mismatch");
    if (!has_dtype<T>(S) || !has_dtype<std::complex<T>>(angles)) throw std::invalid_argument("dtype mismatch");
    const std::complex<T>* prev = nullptr;
    py::array tp;
    if (!tprev.is_none()) {
        tp = tprev.cast<py::array>();
        require_c_contiguous(tp, "tprev");
        if (index_t(tp.size()) != n || !has_dtype<std::complex<T>>(tp)) throw std::invalid_argument("tprev mismatch");
        prev = static_cast<const std::complex<T>*>(tp.data());
    }
    const auto* rb = static_cast<const std::complex<T>*>(rebuilt.data());
    const T* s = static_cast<const T*>(S.data());
    auto* out = static_cast<std::complex<T>*>(angles.mutable_data());
    const T eps = std::numeric_limits<T>::min();
    without_gil([&] { griffinlim_update<T>(rb, prev, s, n, T(c), eps, out); });
}

template <class T>
py::array istft_fast_impl(const py::array& S, index_t n_fft, index_t hop, const std::vector<double>& window,
                          bool center, index_t out_len) {
    require_ndim(S, 3, "stft_matrix");
    require_c_contiguous(S, "stft_matrix");
    if (S.shape(1) != n_fft / 2 + 1) throw std::invalid_argument("stft_matrix does not have n_fft//2 + 1 rows");
    if (out_len < 0) throw std::invalid_argument("length must be >= 0");
    const index_t B = S.shape(0), F = S.shape(2);
    auto out = new_array<T>({B, out_len});
    const auto* in = static_cast<const std::complex<T>*>(S.data());
    T* o = out.mutable_data();
    without_gil([&] { run_istft_fast<T>(in, B, F, n_fft, hop, window, center, out_len, o); });
    return std::move(out);
}

}  // namespace

void bind_music_rhythm(py::module_& m) {
    m.def(
        "median_filter",
        [](const py::array& x, index_t size, int axis) -> py::array {
            if (size < 1) throw std::invalid_argument("kernel_size must be a positive integer");
            if (has_dtype<float>(x)) return median_filter_impl<float>(x, size, axis);
            if (has_dtype<double>(x)) return median_filter_impl<double>(x, size, axis);
            throw std::invalid_argument("S must be float32 or float64");
        },
        py::arg("x").noconvert(), py::arg("size"), py::arg("axis"));
    m.def(
        "beat_track_dp",
        [](const py::array& onsets, const py::array& fpb, float tightness, bool trim,
           const py::array_t<double, py::array::c_style>& hann5) -> py::array {
            if (has_dtype<float>(onsets)) return beat_impl<float>(onsets, fpb, tightness, trim, hann5);
            if (has_dtype<double>(onsets)) return beat_impl<double>(onsets, fpb, tightness, trim, hann5);
            throw std::invalid_argument("onsets must be float32 or float64");
        },
        py::arg("onsets").noconvert(), py::arg("frames_per_beat").noconvert(), py::arg("tightness"), py::arg("trim"),
        py::arg("hann5"));
    m.def(
        "hpss_apply",
        [](const py::array& D, const py::array& mag, const py::array& harm, const py::array& perc, double margin_harm,
           double margin_perc, int power, bool split_zeros) -> py::tuple {
            if (has_dtype<std::complex<float>>(D))
                return hpss_apply_impl<float>(D, mag, harm, perc, margin_harm, margin_perc, power, split_zeros);
            if (has_dtype<std::complex<double>>(D))
                return hpss_apply_impl<double>(D, mag, harm, perc, margin_harm, margin_perc, power, split_zeros);
            throw std::invalid_argument("S must be complex64 or complex128");
        },
        py::arg("D").noconvert(), py::arg("mag").noconvert(), py::arg("harm").noconvert(), py::arg("perc").noconvert(),
        py::arg("margin_harm"), py::arg("margin_perc"), py::arg("power"), py::arg("split_zeros"));
    m.def(
        "tempogram_inf",
        [](const py::array_t<double, py::array::c_style>& env, index_t n_frames, index_t w,
           const py::array_t<double, py::array::c_style>& window, index_t n_pad) -> py::array {
            require_ndim(env, 2, "onset_envelope");
            if (window.size() != w) throw std::invalid_argument("window must have win_length values");
            const index_t rows = env.shape(0), len = env.shape(1);
            if (w < 1 || n_frames < 0 || (n_frames > 0 && n_frames - 1 + w > len))
                throw std::invalid_argument("onset_envelope is too short for win_length");
            auto out = new_array<double>({rows, w, n_frames});
            const double* e = env.data();
            const double* win = window.data();
            double* o = out.mutable_data();
            without_gil([&] { tempogram_inf(e, rows, len, n_frames, w, win, n_pad, o); });
            return std::move(out);
        },
        py::arg("env").noconvert(), py::arg("n_frames"), py::arg("win_length"), py::arg("window").noconvert(),
        py::arg("n_pad"));
    m.def(
        "griffinlim_update",
        [](const py::array& rebuilt, const py::object& tprev, const py::array& S, double c, py::array& angles) {
            if (has_dtype<std::complex<float>>(rebuilt)) return gl_update_impl<float>(rebuilt, tprev, S, c, angles);
            if (has_dtype<std::complex<double>>(rebuilt)) return gl_update_impl<double>(rebuilt, tprev, S, c, angles);
            throw std::invalid_argument("rebuilt must be complex64 or complex128");
        },
        py::arg("rebuilt").noconvert(), py::arg("tprev"), py::arg("S").noconvert(), py::arg("c"),
        py::arg("angles").noconvert());
    m.def(
        "istft_fast",
        [](const py::array& S, index_t n_fft, index_t hop, const std::vector<double>& window, bool center,
           index_t out_len) -> py::array {
            if (has_dtype<std::complex<float>>(S))
                return istft_fast_impl<float>(S, n_fft, hop, window, center, out_len);
            if (has_dtype<std::complex<double>>(S))
                return istft_fast_impl<double>(S, n_fft, hop, window, center, out_len);
            throw py::type_error("stft_matrix must be complex64 or complex128");
        },
        py::arg("stft_matrix").noconvert(), py::arg("n_fft"), py::arg("hop"), py::arg("window"), py::arg("center"),
        py::arg("length"));
}

}  // namespace cepstra::bind
