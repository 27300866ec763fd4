// Plan construction for the real FFT (ISA independent). See cepstra/fft.h.
#include "cepstra/fft.h"

#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

#if !defined(_WIN32)
#include <pthread.h>
#endif

namespace cepstra {
namespace fft_detail {
namespace {

using LD = long double;

const LD kHalfPi = 1.570796326794896619231321691639751442L;

// exp(-2 pi i j / r), computed in long double with an exact reduction to [-pi/4, pi/4]
// so that quadrant points come out exactly (0, +-1).
void unit_root(std::uint64_t j, std::uint64_t r, LD& c, LD& s) {
    j %= r;
    // theta = (pi/2) * (4j / r) = (pi/2) * (k + rem / r)
    std::uint64_t q = 4 * j;
    std::uint64_t k = q / r;
    std::int64_t rem = static_cast<std::int64_t>(q - k * r);
    if (2 * static_cast<std::uint64_t>(rem) > r) {
        rem -= static_cast<std::int64_t>(r);
        ++k;
    }
    LD phi = kHalfPi * static_cast<LD>(rem) / static_cast<LD>(r);
    LD pc = std::cos(phi), ps = std::sin(phi);
    LD ec, es;  // exp(+i theta) = i^k (pc + i ps)
    switch (k & 3) {
        case 0:
            ec = pc;
            es = ps;
            break;
        case 1:
            ec = -ps;
            es = pc;
            break;
        case 2:
            ec = -pc;
            es = -ps;
            break;
        default:
            ec = ps;
            es = -pc;
            break;
    }
    c = ec;
    s = -es;  // forward sign
}

// exp(-2 pi i j / r) for many j. Below kTabulateFrom points, unit_root itself (so the plans of
// the usual sizes are unchanged). Above it, the product of two exact roots from tables of about
// sqrt(r) coarse and fine angles, in long double: a few long double ulps, far below the final
// rounding to T, for O(sqrt r) trigonometric calls instead of O(r) (seconds at 2^24 points).
class Roots {
  public:
    static constexpr std::uint64_t kTabulateFrom = std::uint64_t(1) << 16;
    explicit Roots(std::uint64_t r) : r_(r) {
        if (r_ < kTabulateFrom) return;
        while (b_ * b_ < r_) b_ <<= 1;
        const std::uint64_t nh = r_ / b_ + 1;
        lc_.resize(b_);
        ls_.resize(b_);
        hc_.resize(nh);
        hs_.resize(nh);
        for (std::uint64_t t = 0; t < b_; ++t) unit_root(t, r_, lc_[t], ls_[t]);
        for (std::uint64_t q = 0; q < nh; ++q) unit_root(q * b_, r_, hc_[q], hs_[q]);
    }
    void get(std::uint64_t j, LD& c, LD& s) const {
        if (lc_.empty()) {
            unit_root(j, r_, c, s);
            return;
        }
        j %= r_;
        const std::uint64_t q = j / b_, t = j % b_;
        if (t == 0) {  // exact table entry (keeps the quadrant points exact)
            c = hc_[q];
            s = hs_[q];
            return;
        }
        c = hc_[q] * lc_[t] - hs_[q] * ls_[t];
        s = hc_[q] * ls_[t] + hs_[q] * lc_[t];
    }

  private:
    std::uint64_t r_, b_ = 1;
    std::vector<LD> lc_, ls_, hc_, hs_;
};

std::vector<std::size_t> factorize(std::size_t m) {
    // Radix order: odd primes ascending, then the power of two 2^e as one or two radix-4
    // passes (a radix-2 pass only for e == 1) followed by as many radix-8 passes as
    // possible; the last pass needs no twiddles, so the widest radix goes there.
    std::vector<std::size_t> f;
    int e = 0;
    while (m % 2 == 0) {
        ++e;
        m /= 2;
    }
    int n4 = 0, n2 = 0;
    if (e % 3 == 2)
        n4 = 1;
    else if (e % 3 == 1) {
        if (e >= 4)
            n4 = 2;
        else
            n2 = 1;
    }
    for (std::size_t p = 3; p * p <= m; p += 2) {
        while (m % p == 0) {
            f.push_back(p);
            m /= p;
        }
    }
    if (m > 1) f.push_back(m);
    for (int i = 0; i < n4; ++i) f.push_back(4);
    for (int i = 0; i < n2; ++i) f.push_back(2);
    for (int i = 0; i < (e - 2 * n4 - n2) / 3; ++i) f.push_back(8);
    return f;
}

// In-place scalar complex FFT (forward), length a power of two, in precision F.
template <class F>
void scalar_fft_pow2(std::vector<F>& re, std::vector<F>& im) {
    const std::size_t n = re.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            std::swap(re[i], re[j]);
            std::swap(im[i], im[j]);
        }
    }
    std::vector<F> wr(n / 2 + 1), wi(n / 2 + 1);
    const Roots roots(n);
    for (std::size_t j = 0; j < n / 2; ++j) {
        LD c, s;
        roots.get(j, c, s);
        wr[j] = static_cast<F>(c);
        wi[j] = static_cast<F>(s);
    }
    for (std::size_t len = 2; len <= n; len <<= 1) {
        const std::size_t half = len / 2, step = n / len;
        for (std::size_t b = 0; b < n; b += len) {
            for (std::size_t k = 0; k < half; ++k) {
                const F cr = wr[k * step], ci = wi[k * step];
                const F xr = re[b + k + half], xi = im[b + k + half];
                const F tr = xr * cr - xi * ci, ti = xr * ci + xi * cr;
                re[b + k + half] = re[b + k] - tr;
                im[b + k + half] = im[b + k] - ti;
                re[b + k] += tr;
                im[b + k] += ti;
            }
        }
    }
}

// Rough cost, in vector operations per complex point, of one pass of each radix.
double pass_cost(std::size_t p) {
    switch (p) {
        case 2:
            return 8.0;
        case 3:
            return 13.0;
        case 4:
            return 12.5;
        case 5:
            return 16.0;
        case 8:
            return 16.5;
        default:
            return 1.5 * static_cast<double>(p) + 10.0;
    }
}

// The Bluestein chirp exp(-i pi j^2 / m) = exp(-2 pi i (j^2 mod 2m) / (2m)), exactly reduced;
// `roots` is Roots(2m).
void chirp(std::size_t j, std::size_t m, const Roots& roots, LD& c, LD& s) {
    const std::uint64_t two_m = 2 * static_cast<std::uint64_t>(m), jj = static_cast<std::uint64_t>(j);
    roots.get((jj * jj) % two_m, c, s);
}

// DFT_{bm}(b) / bm with b[j] = b[bm - j] = conj(exp(-i pi j^2 / m)), |j| < m, else 0.
template <class F, class T>
void make_filter(std::size_t m, std::size_t bm, const Roots& roots, std::vector<T>& fre, std::vector<T>& fim) {
    std::vector<F> br(bm, F(0)), bi(bm, F(0));
    for (std::size_t j = 0; j < m; ++j) {
        LD c, s;
        chirp(j, m, roots, c, s);
        br[j] = static_cast<F>(c);
        bi[j] = static_cast<F>(-s);
        if (j > 0) {
            br[bm - j] = br[j];
            bi[bm - j] = bi[j];
        }
    }
    scalar_fft_pow2(br, bi);
    fre.resize(bm);
    fim.resize(bm);
    const F inv = F(1) / static_cast<F>(bm);  // exact: bm is a power of two
    for (std::size_t j = 0; j < bm; ++j) {
        fre[j] = static_cast<T>(br[j] * inv);
        fim[j] = static_cast<T>(bi[j] * inv);
    }
}

double direct_cost(std::size_t m, const std::vector<std::size_t>& f) {
    double c = 0.0;
    for (std::size_t p : f) c += pass_cost(p);
    return c * static_cast<double>(m);
}

}  // namespace

template <class T>
ComplexPlan<T>::ComplexPlan(std::size_t m_) : m(m_) {
    if (m <= 1) return;
    std::vector<std::size_t> f = factorize(m);
    std::size_t bm = 1;
    while (bm < 2 * m - 1) bm <<= 1;
    std::size_t fmax = 0;
    for (std::size_t p : f) fmax = p > fmax ? p : fmax;
    const double blue_cost =
        2.0 * direct_cost(bm, factorize(bm)) + 14.0 * static_cast<double>(bm) + 24.0 * static_cast<double>(m);
    if (fmax > static_cast<std::size_t>(kMaxGenericRadix) || blue_cost < direct_cost(m, f)) {
        bluestein = true;
        big_m = bm;
        sub.reset(new ComplexPlan<T>(big_m));
        chirp_re.resize(m);
        chirp_im.resize(m);
        const Roots roots(2 * static_cast<std::uint64_t>(m));
        for (std::size_t j = 0; j < m; ++j) {
            LD c, s;
            chirp(j, m, roots, c, s);
            chirp_re[j] = static_cast<T>(c);
            chirp_im[j] = static_cast<T>(s);
        }
        // filter spectrum in long double (double above 2^20 points, to bound the memory)
        if (big_m <= (std::size_t(1) << 20))
            make_filter<LD>(m, big_m, roots, filt_re, filt_im);
        else
            make_filter<double>(m, big_m, roots, filt_re, filt_im);
        scratch_packs = 4 * big_m + sub->scratch_packs;
        return;
    }
    std::size_t l = 1;
    for (std::size_t p : f) {
        CPass<T> ps;
        ps.radix = static_cast<int>(p);
        ps.l = l;
        ps.rp = m / (l * p);
        const std::size_t r = p * ps.rp;
        ps.twr.resize(ps.rp * (p - 1));
        ps.twi.resize(ps.rp * (p - 1));
        const Roots roots(r);
        for (std::size_t a = 0; a < ps.rp; ++a) {
            for (std::size_t d = 1; d < p; ++d) {
                LD c, s;
                roots.get(static_cast<std::uint64_t>(a * d), c, s);
                ps.twr[a * (p - 1) + d - 1] = static_cast<T>(c);
                ps.twi[a * (p - 1) + d - 1] = static_cast<T>(s);
            }
        }
        if (p > 5) {
            ps.cs.resize(p);
            ps.sn.resize(p);
            for (std::size_t j = 0; j < p; ++j) {
                LD c, s;
                unit_root(j, p, c, s);
                ps.cs[j] = static_cast<T>(c);
                ps.sn[j] = static_cast<T>(-s);  // sin(2 pi j / p)
            }
        }
        passes.push_back(std::move(ps));
        l *= p;
    }
}

template struct ComplexPlan<float>;
template struct ComplexPlan<double>;

}  // namespace fft_detail

template <class T>
RealFftPlan<T>::RealFftPlan(std::size_t n) : n_(n), scratch_(0) {
    if (n == 0) throw std::invalid_argument("cepstra: FFT length must be >= 1");
    if (n % 2 == 0) {
        const std::size_t m = n / 2;
        cplan_.reset(new fft_detail::ComplexPlan<T>(m));
        const std::size_t h = m / 2 + 1;
        post_re_.resize(h);
        post_im_.resize(h);
        half_re_.resize(h);
        half_im_.resize(h);
        const fft_detail::Roots roots(n);
        for (std::size_t k = 0; k < h; ++k) {
            fft_detail::LD c, s;
            roots.get(k, c, s);
            post_re_[k] = static_cast<T>(c);
            post_im_[k] = static_cast<T>(s);
            half_re_[k] = static_cast<T>(0.5L * c);
            half_im_[k] = static_cast<T>(0.5L * s);
        }
        scratch_ = 2 * m + cplan_->scratch_packs;
    } else {
        cplan_.reset(new fft_detail::ComplexPlan<T>(n));
        scratch_ = (n > 1 && !cplan_->bluestein ? 4 * n : 0) + cplan_->scratch_packs;
    }
}

template class RealFftPlan<float>;
template class RealFftPlan<double>;

namespace {

// The plan caches' lock. Never destroyed (threads still inside a call while the process exits,
// Python daemon threads, must not meet a destructed mutex). It guards only map look-ups and
// inserts, never a plan build, and fork() takes it first (prepare handler) so a child never
// inherits it locked by a thread that does not exist there.
std::mutex& cache_mutex() {
    static std::mutex* mu = [] {
        auto* m = new std::mutex;
#if !defined(_WIN32)
        pthread_atfork([] { cache_mutex().lock(); }, [] { cache_mutex().unlock(); },
                       [] { new (&cache_mutex()) std::mutex(); });
#endif
        return m;
    }();
    return *mu;
}

}  // namespace

template <class T>
std::shared_ptr<const RealFftPlan<T>> real_fft_plan(std::size_t n) {
    if (n == 0) throw std::invalid_argument("cepstra: FFT length must be >= 1");
    // Never destroyed, for the reason given at cache_mutex. Bounded: the oldest entries are
    // dropped (their plans live on in whoever holds them), so sweeping many sizes cannot grow it
    // forever.
    static auto* cache = new std::map<std::size_t, std::shared_ptr<const RealFftPlan<T>>>;
    static auto* order = new std::deque<std::size_t>;
    constexpr std::size_t kMaxPlans = 64;
    std::mutex& mu = cache_mutex();
    {
        std::lock_guard<std::mutex> lock(mu);
        auto it = cache->find(n);
        if (it != cache->end()) return it->second;
    }
    // Built outside the lock: a big plan takes seconds, and a lock held that long would stall
    // every other size (and, before the fork handlers, deadlock a forked child). Two threads
    // may build the same plan at once; the first to insert wins and both are identical.
    auto plan = std::make_shared<const RealFftPlan<T>>(n);
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache->find(n);
    if (it != cache->end()) return it->second;
    if (cache->size() >= kMaxPlans) {
        cache->erase(order->front());
        order->pop_front();
    }
    cache->emplace(n, plan);
    order->push_back(n);
    return plan;
}

template std::shared_ptr<const RealFftPlan<float>> real_fft_plan<float>(std::size_t);
template std::shared_ptr<const RealFftPlan<double>> real_fft_plan<double>(std::size_t);

}  // namespace cepstra
