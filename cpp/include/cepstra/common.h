// Shared basics for every kernel: index types, errors and overflow-checked size arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace cepstra {

using index_t = std::int64_t;

// The one definition of pi (M_PI is not standard C++ before C++20's <numbers>).
inline constexpr double kPi = 3.14159265358979323846;

// Preconditions on user-controlled values throw; the binding turns std::invalid_argument into
// cepstra.ParameterError. Never an assert: a release build must not lose the check.
[[noreturn]] inline void fail(const std::string& what) { throw std::invalid_argument(what); }

inline void require(bool ok, const std::string& what) {
    if (!ok) fail(what);
}

// a*b for non-negative sizes, failing instead of wrapping.
inline index_t checked_mul(index_t a, index_t b, const char* what) {
    if (a < 0 || b < 0) fail(std::string(what) + ": negative size");
    if (a != 0 && b > std::numeric_limits<index_t>::max() / a) fail(std::string(what) + ": size overflows");
    return a * b;
}

inline index_t checked_add(index_t a, index_t b, const char* what) {
    if ((b > 0 && a > std::numeric_limits<index_t>::max() - b) ||
        (b < 0 && a < std::numeric_limits<index_t>::min() - b))
        fail(std::string(what) + ": size overflows");
    return a + b;
}

// Floor division for possibly negative numerators (Python's //).
inline index_t floor_div(index_t a, index_t b) {
    index_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

}  // namespace cepstra
