#include "dsp/stft.h"

#include <cmath>

namespace etude::dsp {

std::vector<float> periodic_hann(int n) {
  std::vector<float> w(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) w[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * i / n));
  return w;
}

Stft::Stft(float sample_rate, int frame_size, FftEngine engine)
    : sample_rate_(sample_rate),
      fft_(frame_size, engine),
      window_(periodic_hann(frame_size)),
      magnitude_(std::size_t(fft_.bins()), 0.0f) {
  double sum = 0;
  for (float w : window_) sum += w;
  const float gain = float(2.0 / sum);
  for (float& w : window_) w *= gain;
}

int Stft::frame_size_for(float sample_rate, float seconds) {
  const double exact = std::log2(double(sample_rate) * seconds);
  const int size = 1 << int(std::lround(exact));
  return size < 256 ? 256 : (size > 32768 ? 32768 : size);
}

std::span<const float> Stft::compute(std::span<const float> signal) {
  // Windowing, transform and magnitudes in one call: the window is applied as the FFT reads its input, and
  // magnitudes are taken as it forms each bin (sqrt(re^2 + im^2), not std::abs: its overflow-safe hypot
  // costs more than the FFT).
  fft_.windowed_magnitude(signal.last(window_.size()), window_, magnitude_);
  return magnitude_;
}

}  // namespace etude::dsp
