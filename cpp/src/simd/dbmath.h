// Decibels for a block of packs: 10 log10(max(amin, x)) - ref_db.
//
// glibc's log10 is a call per value (~15 ns); this branch-free natural log (the classic
// fdlibm reduction: x = 2^k (1 + f) with 1 + f in [sqrt(1/2), sqrt(2)), then
// log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f / (2 + f)) is written in plain scalar
// C++ over a contiguous array so the compiler vectorises it for each ISA file. Accuracy: about
// 1 ulp before the final scaling (float64: < 3e-16 relative, float32: < 2e-7), well inside
// the tolerances that librosa's own float32/float64 log10 sits in.
// ln_positive is valid for positive, finite, normal x only (an inf would come out as
// ln(FLT_MAX), a NaN as the floor); ln_floored is the one to call on data: it clamps at a
// positive normal floor and passes +inf and NaN through unchanged, as std::log would, so an
// overflow upstream is never turned into a plausible finite number.
#pragma once

#include <cstdint>
#include <limits>
#include <cstring>

namespace cepstra {
namespace CEPSTRA_ISA_NS {

inline double ln_positive(double x) {
    std::uint64_t ix;
    std::memcpy(&ix, &x, sizeof ix);
    // Move the [sqrt(1/2), sqrt(2)) mantissa window onto one exponent value.
    ix += 0x3ff0000000000000ULL - 0x3fe6a09e667f3bcdULL;
    const std::uint64_t kbits = (ix >> 52) | 0x4330000000000000ULL;  // 2^52 + biased k, as a double
    double kd;
    std::memcpy(&kd, &kbits, sizeof kd);
    kd -= 4503599627370496.0 + 1023.0;
    ix = (ix & 0x000fffffffffffffULL) + 0x3fe6a09e667f3bcdULL;
    double m;
    std::memcpy(&m, &ix, sizeof m);
    const double f = m - 1.0;
    const double hfsq = 0.5 * f * f;
    const double s = f / (2.0 + f);
    const double z = s * s, w = z * z;
    const double t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
    const double t2 =
        z * (6.666666666666735130e-01 +
             w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
    const double R = t2 + t1;
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    return kd * ln2_hi - ((hfsq - (s * (hfsq + R) + kd * ln2_lo)) - f);
}

inline float ln_positive(float x) {
    std::uint32_t ix;
    std::memcpy(&ix, &x, sizeof ix);
    ix += 0x3f800000U - 0x3f3504f3U;
    const float kf = float(std::int32_t(ix >> 23) - 127);
    ix = (ix & 0x007fffffU) + 0x3f3504f3U;
    float m;
    std::memcpy(&m, &ix, sizeof m);
    const float f = m - 1.0f;
    const float hfsq = 0.5f * f * f;
    const float s = f / (2.0f + f);
    const float z = s * s, w = z * z;
    const float t1 = w * (0.40000972152f + w * 0.24279078841f);
    const float t2 = z * (0.66666662693f + w * 0.28498786688f);
    const float R = t2 + t1;
    const float ln2_hi = 6.9313812256e-01f, ln2_lo = 9.0580006145e-06f;
    return kf * ln2_hi - ((hfsq - (s * (hfsq + R) + kf * ln2_lo)) - f);
}

// ln(max(floor, x)) for a positive normal floor and any x: +inf and NaN come back as themselves.
template <class T>
inline T ln_floored(T x, T floor) {
    const T v = x < floor ? floor : x;  // a NaN is not below the floor: kept
    const T r = ln_positive(v);
    return v <= std::numeric_limits<T>::max() ? r : v;
}

// In place over n values: p[i] = 10 log10(max(amin, p[i])) - ref_db (inf and NaN propagate).
template <class T>
inline void to_db(T* p, index_t n, T amin, T ref_db) {
    const T scale = T(4.342944819032518276511289);  // 10 / ln(10)
    // ln_floored's select on every value kept GCC from vectorising this loop well (mfcc 15-25 %
    // slower end to end), so a block is scanned first (a cheap compare-or reduction) and only a
    // block holding an inf or a NaN takes the propagating loop.
    const T big = std::numeric_limits<T>::max();
    int bad = 0;
    for (index_t i = 0; i < n; ++i) bad |= !(p[i] <= big);
    if (bad) {
        for (index_t i = 0; i < n; ++i) p[i] = scale * ln_floored(p[i], amin) - ref_db;
        return;
    }
    for (index_t i = 0; i < n; ++i) {
        const T v = p[i] > amin ? p[i] : amin;
        p[i] = scale * ln_positive(v) - ref_db;
    }
}

}  // namespace CEPSTRA_ISA_NS
}  // namespace cepstra
