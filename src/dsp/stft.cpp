#include "dsp/stft.h"

#include <cmath>

namespace etude::dsp {

Stft::Stft(float sample_rate, int frame_size, FftEngine engine)
    : sample_rate_(sample_rate),
      fft_(frame_size, engine),
      window_(std::size_t(frame_size)),
      frame_(std::size_t(frame_size)),
      spectrum_(std::size_t(fft_.bins())),
      magnitude_(std::size_t(fft_.bins()), 0.0f) {
  double sum = 0;
  for (int i = 0; i < frame_size; ++i) {
    // Periodic Hann: overlap-adds flat, and its spectrum has the textbook -31 dB sidelobes.
    window_[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * i / frame_size));
    sum += window_[std::size_t(i)];
  }
  const float gain = float(2.0 / sum);
  for (float& w : window_) w *= gain;
}

int Stft::frame_size_for(float sample_rate, float seconds) {
  const double exact = std::log2(double(sample_rate) * seconds);
  const int size = 1 << int(std::lround(exact));
  return size < 256 ? 256 : (size > 32768 ? 32768 : size);
}

std::span<const float> Stft::compute(std::span<const float> signal) {
  const std::size_t n = frame_.size();
  const float* x = signal.data() + (signal.size() - n);
  for (std::size_t i = 0; i < n; ++i) frame_[i] = x[i] * window_[i];
  fft_.forward(frame_, spectrum_);
  // sqrt(re^2 + im^2), not std::abs: its overflow-safe hypot costs more than the FFT. Read as plain floats
  // so that the loop vectorises.
  const float* c = reinterpret_cast<const float*>(spectrum_.data());
  float* __restrict out = magnitude_.data();
  const int bins = int(spectrum_.size());
  for (int k = 0; k < bins; ++k) out[k] = std::sqrt(c[2 * k] * c[2 * k] + c[2 * k + 1] * c[2 * k + 1]);
  return magnitude_;
}

}  // namespace etude::dsp
