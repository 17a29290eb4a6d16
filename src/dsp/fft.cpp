#include "dsp/fft.h"

#include <kiss_fftr.h>

namespace etude::dsp {

static_assert(sizeof(kiss_fft_cpx) == sizeof(std::complex<float>), "KissFFT must be built for float");

bool RealFft::is_valid_size(int size) {
  if (size < 2 || size % 2 != 0) return false;
  int rest = size;
  for (int f : {2, 3, 5}) {
    while (rest % f == 0) rest /= f;
  }
  return rest == 1;
}

int RealFft::valid_size_at_least(int n) {
  int size = n < 2 ? 2 : n;
  while (!is_valid_size(size)) ++size;
  return size;
}

RealFft::RealFft(int size)
    : size_(size),
      forward_plan_(kiss_fftr_alloc(size, 0, nullptr, nullptr)),
      inverse_plan_(kiss_fftr_alloc(size, 1, nullptr, nullptr)) {}

RealFft::~RealFft() {
  kiss_fftr_free(forward_plan_);
  kiss_fftr_free(inverse_plan_);
}

void RealFft::forward(std::span<const float> time, std::span<std::complex<float>> spectrum) {
  kiss_fftr(forward_plan_, time.data(), reinterpret_cast<kiss_fft_cpx*>(spectrum.data()));
}

void RealFft::inverse(std::span<const std::complex<float>> spectrum, std::span<float> time) {
  kiss_fftri(inverse_plan_, reinterpret_cast<const kiss_fft_cpx*>(spectrum.data()), time.data());
}

}  // namespace etude::dsp
