// The descriptor reduction of one block of STFT frames, written once and compiled per ISA
// (define CEPSTRA_REDUCE_NS first; see spectral_reduce.h). Loops run over bins outside and the
// block's frames inside: every per-frame sum keeps librosa's bin order and vectorises across
// frames.
#pragma once

#ifndef CEPSTRA_REDUCE_NS
#error "define CEPSTRA_REDUCE_NS before including spectral_reduce-inl.h"
#endif

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "simd/spectral_reduce.h"

namespace cepstra {
namespace CEPSTRA_REDUCE_NS {

constexpr index_t kMaxBlock = 32;

// |z| as librosa's spectrogram dtype S holds it, widened to double: for float_magnitudes the
// float64 STFT stored as complex64, then np.abs in float32 (correctly rounded: the squares and
// their sum are exact or nearly so in double).
template <class T, bool RoundInput, class S>
inline void magnitudes(const std::complex<T>* z, index_t nf, double* m) {
    const T* p = reinterpret_cast<const T*>(z);
    for (index_t j = 0; j < nf; ++j) {
        double re = double(p[2 * j]), im = double(p[2 * j + 1]);
        if (RoundInput) {
            re = double(float(re));
            im = double(float(im));
        }
        m[j] = double(S(std::sqrt(re * re + im * im)));
    }
}

// The same from the lanes of the FFT's split output (re[l], im[l]: frame l).
template <class T, bool RoundInput, class S, int W>
inline void magnitudes_split(const T* re_p, const T* im_p, double* m) {
    for (int l = 0; l < W; ++l) {
        double re = double(re_p[l]), im = double(im_p[l]);
        if (RoundInput) {
            re = double(float(re));
            im = double(float(im));
        }
        m[l] = double(S(std::sqrt(re * re + im * im)));
    }
}

// frexp for the running products, branch-free where every lane is a normal double (always, for
// the default amin): the exponent moves into expo and the mantissa to [0.5, 1), bit for bit as
// std::frexp does.
inline void renormalise(double* prod, std::int64_t* expo, index_t nf) {
    std::uint64_t bad = 0;
    std::uint64_t bits[kMaxBlock];
    for (index_t j = 0; j < nf; ++j) {
        std::memcpy(&bits[j], &prod[j], sizeof(double));
        const std::uint64_t e = (bits[j] >> 52) & 0x7ff;
        bad |= std::uint64_t(e == 0) | std::uint64_t(e == 0x7ff);
    }
    if (bad) {
        for (index_t j = 0; j < nf; ++j) {
            int e = 0;
            prod[j] = std::frexp(prod[j], &e);
            expo[j] += e;
        }
        return;
    }
    for (index_t j = 0; j < nf; ++j) {
        const std::uint64_t e = (bits[j] >> 52) & 0x7ff;
        expo[j] += std::int64_t(e) - 1022;
        const std::uint64_t m = (bits[j] & ~(std::uint64_t(0x7ff) << 52)) | (std::uint64_t(1022) << 52);
        std::memcpy(&prod[j], &m, sizeof(double));
    }
}

// x into the ascending q smallest (lo) and q largest (hi) so far, where it beats their q-th.
template <class S>
inline void insert_ends(S x, index_t q, S* lo, S* hi) {
    if (x < lo[q - 1]) {
        index_t p = q - 1;
        for (; p > 0 && lo[p - 1] > x; --p) lo[p] = lo[p - 1];
        lo[p] = x;
    }
    if (x > hi[0]) {
        index_t p = 0;
        for (; p + 1 < q && hi[p + 1] < x; ++p) hi[p] = hi[p + 1];
        hi[p] = x;
    }
}

// Sum of the ascending v[0..q) in S, in order (np.mean's sum over the sorted band's rows).
template <class S>
inline S ascending_sum(const S* v, index_t q) {
    S acc = v[0];
    for (index_t i = 1; i < q; ++i) acc += v[i];
    return acc;
}

// spectral_contrast's valley and peak of every band of every frame of the block.
template <class S>
void contrast(const SpectralReduceArgs& a, index_t row) {
    const auto& bands = a.spec->bands;
    const index_t n_bands = index_t(bands.size()), nf = a.nf;
    std::vector<S> vt, lo, hi;
    for (index_t k = 0; k < n_bands; ++k) {
        const index_t b0 = bands[std::size_t(k)].lo, len = bands[std::size_t(k)].hi - b0, q = bands[std::size_t(k)].q;
        double* valley = a.out + (row + k) * a.out_stride;
        double* peak = a.out + (row + n_bands + k) * a.out_stride;
        if (q == 1) {  // min and max, across the block's frames at once
            S mn[kMaxBlock], mx[kMaxBlock];
            for (index_t j = 0; j < nf; ++j) mn[j] = mx[j] = S(a.mag[b0 * nf + j]);
            for (index_t b = b0 + 1; b < b0 + len; ++b)
                for (index_t j = 0; j < nf; ++j) {
                    const S x = S(a.mag[b * nf + j]);
                    mn[j] = x < mn[j] ? x : mn[j];
                    mx[j] = x > mx[j] ? x : mx[j];
                }
            for (index_t j = 0; j < nf; ++j) {
                valley[j] = double(mn[j]);
                peak[j] = double(mx[j]);
            }
            continue;
        }
        if (q <= 32) {
            // Each frame's q smallest and q largest so far (ascending): its first q bins sorted,
            // then each later bin inserted where it beats the current q-th (after a few dozen
            // bins almost none does). Ties hold equal values, so the sums match a full sort's.
            lo.resize(std::size_t(nf * q));
            hi.resize(std::size_t(nf * q));
            for (index_t j = 0; j < nf; ++j) {
                S* l = lo.data() + j * q;
                for (index_t i = 0; i < q; ++i) l[i] = S(a.mag[(b0 + i) * nf + j]);
                std::sort(l, l + q);
                std::copy(l, l + q, hi.data() + j * q);
            }
            for (index_t b = b0 + q; b < b0 + len; ++b) {
                const double* m = a.mag + b * nf;
                for (index_t j = 0; j < nf; ++j) insert_ends(S(m[j]), q, lo.data() + j * q, hi.data() + j * q);
            }
            for (index_t j = 0; j < nf; ++j) {
                valley[j] = double(S(ascending_sum(lo.data() + j * q, q) / S(q)));
                peak[j] = double(S(ascending_sum(hi.data() + j * q, q) / S(q)));
            }
            continue;
        }
        vt.resize(std::size_t(len));
        for (index_t j = 0; j < nf; ++j) {
            for (index_t b = 0; b < len; ++b) vt[std::size_t(b)] = S(a.mag[(b0 + b) * nf + j]);
            std::sort(vt.begin(), vt.end());
            valley[j] = double(S(ascending_sum(vt.data(), q) / S(q)));
            peak[j] = double(S(ascending_sum(vt.data() + (len - q), q) / S(q)));
        }
    }
}

// The statistics of a block whose magnitudes (S values widened to double) are in a.mag.
template <class S>
void reduce_mags(const SpectralReduceArgs& a) {
    const SpectralStatsSpec& spec = *a.spec;
    const index_t bins = a.bins, nf = a.nf;
    const double* f = spec.freq.data();
    const bool cb = spec.stats & (kStatCentroid | kStatBandwidth);
    const bool bw = spec.stats & kStatBandwidth, roll = spec.stats & kStatRolloff;
    const bool flat = spec.stats & kStatFlatness;
    double L[kMaxBlock] = {}, C[kMaxBlock] = {}, B[kMaxBlock] = {};
    S total[kMaxBlock] = {};
    double prod[kMaxBlock], ar[kMaxBlock] = {};
    std::int64_t expo[kMaxBlock] = {};
    std::fill(prod, prod + nf, 1.0);
    const S amin = S(spec.amin);
    for (index_t b = 0; b < bins; ++b) {
        const double* m = a.mag + b * nf;
        if (cb) {
            const double fb = f[b];
            for (index_t j = 0; j < nf; ++j) {
                L[j] += m[j];
                C[j] += fb * m[j];
            }
        }
        if (roll)
            for (index_t j = 0; j < nf; ++j) total[j] += S(m[j]);
        if (flat) {
            // sum(log x) as the log of a running product kept in [0.5, 1) every 8 bins (x lies
            // in [amin, |X|max^2]: 8 factors cannot overflow a double): one log per frame.
            for (index_t j = 0; j < nf; ++j) {
                const S mj = S(m[j]);
                const S x = std::max(amin, S(mj * mj));
                prod[j] *= double(x);
                ar[j] += double(x);
            }
            if ((b & 7) == 7 || b == bins - 1) renormalise(prod, expo, nf);
        }
    }
    index_t row = 0;
    if (cb) {
        // librosa.util.normalize leaves a column whose sum is below tiny(S) unnormalised.
        const double tiny = double(std::numeric_limits<S>::min());
        for (index_t j = 0; j < nf; ++j) {
            if (!(L[j] >= tiny)) L[j] = 1.0;
            C[j] /= L[j];
        }
        if (spec.stats & kStatCentroid) std::copy(C, C + nf, a.out + (row++) * a.out_stride);
        if (bw) {
            for (index_t b = 0; b < bins; ++b) {
                const double* m = a.mag + b * nf;
                const double fb = f[b];
                for (index_t j = 0; j < nf; ++j) {
                    const double d = fb - C[j];
                    B[j] += m[j] * (d * d);
                }
            }
            double* o = a.out + (row++) * a.out_stride;
            for (index_t j = 0; j < nf; ++j) o[j] = std::sqrt(B[j] / L[j]);
        }
    }
    if (roll) {
        // np.cumsum in S; threshold S(roll_percent) * total in S; the first bin reaching it
        // (librosa's nanmin over the qualifying bins' frequencies).
        S thr[kMaxBlock], cum[kMaxBlock] = {};
        index_t hit[kMaxBlock];
        for (index_t j = 0; j < nf; ++j) {
            thr[j] = S(spec.roll_percent) * total[j];
            hit[j] = bins;
        }
        for (index_t b = 0; b < bins; ++b) {
            const double* m = a.mag + b * nf;
            for (index_t j = 0; j < nf; ++j) {
                cum[j] += S(m[j]);
                hit[j] = (hit[j] == bins && cum[j] >= thr[j]) ? b : hit[j];
            }
        }
        double* o = a.out + (row++) * a.out_stride;
        for (index_t j = 0; j < nf; ++j)
            o[j] = hit[j] < bins ? a.suffix_min_freq[hit[j]] : std::numeric_limits<double>::quiet_NaN();
    }
    if (flat) {
        double* o = a.out + (row++) * a.out_stride;
        const double ln2 = 0.69314718055994530942;
        for (index_t j = 0; j < nf; ++j) {
            const double mean_log = (std::log(prod[j]) + double(expo[j]) * ln2) / double(bins);
            const S gmean = std::exp(S(mean_log));
            const S amean = S(ar[j] / double(bins));
            o[j] = double(S(gmean / amean));
        }
    }
    if (!spec.bands.empty()) contrast<S>(a, row);
}

// chroma_project's frames [t0, t0 + nt) of one page: out[c, t] = sum_b fbt[b * n_out + c] *
// P[b, t], summed in double in bin order. Twelve outputs (chroma_stft's default) keep four
// frames each in registers.
template <class S>
void project(const double* fbt, index_t n_out, const S* P, index_t bins, index_t frames, index_t t0, index_t nt,
             S* out) {
    constexpr int kT = 4, kC = 12;
    index_t t = t0;
    if (n_out == kC) {
        for (; t + kT <= t0 + nt; t += kT) {
            double acc[kC][kT] = {};
            for (index_t b = 0; b < bins; ++b) {
                double x[kT];
                for (int l = 0; l < kT; ++l) x[l] = double(P[b * frames + t + l]);
                const double* w = fbt + b * kC;
                for (int c = 0; c < kC; ++c)
                    for (int l = 0; l < kT; ++l) acc[c][l] += w[c] * x[l];
            }
            for (int c = 0; c < kC; ++c)
                for (int l = 0; l < kT; ++l) out[c * frames + t + l] = S(acc[c][l]);
        }
    }
    for (; t < t0 + nt; ++t) {
        for (index_t c = 0; c < n_out; ++c) {
            double acc = 0.0;
            for (index_t b = 0; b < bins; ++b) acc += fbt[b * n_out + c] * double(P[b * frames + t]);
            out[c * frames + t] = S(acc);
        }
    }
}

inline void project_f32(const double* fbt, index_t n_out, const float* P, index_t bins, index_t frames, index_t t0,
                        index_t nt, float* out) {
    project<float>(fbt, n_out, P, bins, frames, t0, nt, out);
}

inline void project_f64(const double* fbt, index_t n_out, const double* P, index_t bins, index_t frames, index_t t0,
                        index_t nt, double* out) {
    project<double>(fbt, n_out, P, bins, frames, t0, nt, out);
}

template <class T, bool RoundInput, class S>
void reduce(const SpectralReduceArgs& a, const std::complex<T>* z) {
    for (index_t b = 0; b < a.bins; ++b) magnitudes<T, RoundInput, S>(z + b * a.nf, a.nf, a.mag + b * a.nf);
    reduce_mags<S>(a);
}

inline void reduce_f32(const SpectralReduceArgs& a, const std::complex<float>* z) { reduce<float, false, float>(a, z); }

inline void reduce_f64(const SpectralReduceArgs& a, const std::complex<double>* z) {
    if (a.spec->float_magnitudes)
        reduce<double, true, float>(a, z);
    else
        reduce<double, false, double>(a, z);
}

}  // namespace CEPSTRA_REDUCE_NS
}  // namespace cepstra
