// Plans for the real forward / inverse FFT used by every spectral feature.
//
// A plan is immutable once built and may be shared freely between threads. The kernels that
// execute it live in src/simd/fft-inl.h and are compiled once per instruction set; they
// vectorize across frames (lane l of every pack is frame l), so the plan holds only scalar
// tables (twiddles, Bluestein chirp) that the kernels broadcast.
//
// Layout of the work:
//   * n even: the real transform is a complex FFT of length n/2 on z[t] = x[2t] + i x[2t+1],
//     followed by the usual split post-processing (pre-processing for the inverse).
//   * n odd: a complex FFT of length n of the real input (imaginary part zero).
//   * complex FFT of length m: Stockham autosort passes of radix 8, 4, 2, 3, 5 and a
//     generic odd-prime butterfly for primes up to kMaxGenericRadix; when m has a larger
//     prime factor, or a cost model says it is cheaper, the whole length-m transform is done
//     by Bluestein's chirp-z algorithm through a power-of-two complex FFT, so every n is
//     O(n log n). Intermediate buffers hold (re, im) packs interleaved, which keeps the
//     power-of-two strides of the passes from thrashing the L1 sets.
// All tables are computed in long double and rounded once to T.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace cepstra {

namespace fft_detail {

// Largest prime handled by a direct (generic odd-radix) butterfly; a larger prime factor
// sends the whole complex transform through Bluestein. Below it, a cost model picks the
// cheaper of the direct passes and Bluestein.
constexpr int kMaxGenericRadix = 127;

// One Stockham pass: l = product of the radices of the earlier passes, rp = m / (l * radix).
// Twiddle for sub-index a (0 <= a < rp) and output d (1 <= d < radix) is
// exp(-2 pi i d a / (radix * rp)), stored at [a * (radix - 1) + d - 1].
template <class T>
struct CPass {
    int radix = 0;
    std::size_t l = 0;
    std::size_t rp = 0;
    std::vector<T> twr, twi;
    // generic odd radix only: cos / sin(2 pi j / radix), j in [0, radix)
    std::vector<T> cs, sn;
};

template <class T>
struct ComplexPlan {
    std::size_t m = 0;
    std::vector<CPass<T>> passes;  // empty when m == 1 or when bluestein
    // Bluestein (chirp-z) through a power-of-two FFT of length big_m >= 2m - 1.
    bool bluestein = false;
    std::size_t big_m = 0;
    std::unique_ptr<ComplexPlan<T>> sub;  // plan of length big_m
    std::vector<T> chirp_re, chirp_im;  // exp(-i pi j^2 / m), j < m
    std::vector<T> filt_re, filt_im;  // DFT_{big_m}(conj chirp, wrapped) / big_m
    // packs of scratch the executor needs beyond the caller's buffers (Bluestein only)
    std::size_t scratch_packs = 0;

    // Number of ping-pong passes, as the executor counts them (a Bluestein transform reads
    // its source and writes its destination in one go, so it counts as one pass).
    std::size_t num_passes() const { return bluestein ? 1 : passes.size(); }

    explicit ComplexPlan(std::size_t m_);
};

}  // namespace fft_detail

template <class T>
class RealFftPlan {
  public:
    explicit RealFftPlan(std::size_t n);

    std::size_t n() const { return n_; }
    // Packs of scratch (T scalars per lane) that rfft_forward / rfft_inverse need.
    std::size_t scratch_elems() const { return scratch_; }

    // ---- for the kernels ----
    const fft_detail::ComplexPlan<T>& cplan() const { return *cplan_; }
    // n even, k in [0, n/4]: exp(-2 pi i k / n) (full) and the same halved.
    const T* post_re() const { return post_re_.data(); }
    const T* post_im() const { return post_im_.data(); }
    const T* half_re() const { return half_re_.data(); }
    const T* half_im() const { return half_im_.data(); }

  private:
    std::size_t n_;
    std::size_t scratch_;
    std::unique_ptr<fft_detail::ComplexPlan<T>> cplan_;
    std::vector<T> post_re_, post_im_, half_re_, half_im_;
};

// Cached plan for length n (built once per n and precision; thread-safe).
// Throws std::invalid_argument for n == 0.
template <class T>
std::shared_ptr<const RealFftPlan<T>> real_fft_plan(std::size_t n);

extern template class RealFftPlan<float>;
extern template class RealFftPlan<double>;

}  // namespace cepstra
