#pragma once
// Real FFT of one fixed size over KissFFT (built from Debian's kissfft source package for native and
// web alike). Plans and scratch are allocated at construction; forward()/inverse() never allocate.
// Sizes must be even and have no prime factor above 5 (KissFFT's generic radix would allocate).

#include <complex>
#include <span>

struct kiss_fftr_state;

namespace etude::dsp {

class RealFft {
 public:
  explicit RealFft(int size);  // size must satisfy is_valid_size()
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  static bool is_valid_size(int size);
  // Smallest valid size >= n (n >= 2).
  static int valid_size_at_least(int n);

  int size() const { return size_; }
  int bins() const { return size_ / 2 + 1; }
  // time.size() == size(), spectrum.size() == bins(); no normalisation.
  void forward(std::span<const float> time, std::span<std::complex<float>> spectrum);
  // spectrum.size() == bins(), time.size() == size(); the result is scaled by size().
  void inverse(std::span<const std::complex<float>> spectrum, std::span<float> time);

 private:
  int size_;
  kiss_fftr_state* forward_plan_;
  kiss_fftr_state* inverse_plan_;
};

}  // namespace etude::dsp
