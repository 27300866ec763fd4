// One Griffin-Lim phase update (librosa.griffinlim's loop body after the STFT), fused:
//   a = rebuilt - c * tprev   (no momentum term on the first iteration: tprev == nullptr)
//   a = S * a / (|a| + eps)
#pragma once

#include <complex>

#include "cepstra/common.h"

namespace cepstra {

template <class T>
void griffinlim_update(const std::complex<T>* rebuilt, const std::complex<T>* tprev, const T* S, index_t n, T c, T eps,
                       std::complex<T>* angles);

}  // namespace cepstra
