#pragma once
// Hann-windowed magnitude spectrum of the newest frame_size samples: the spectrum that onset
// detection, timbre and chroma read. Buffers are allocated at construction; compute() never allocates.
// Magnitudes are scaled so that a full-scale sine at a bin centre reads 1.0.

#include <complex>
#include <span>
#include <vector>

#include "dsp/fft.h"

namespace etude::dsp {

// Periodic Hann window of n points, 0.5 - 0.5 cos(2 pi i / n): overlap-adds flat, and its spectrum has the
// textbook -31 dB sidelobes.
std::vector<float> periodic_hann(int n);

class Stft {
 public:
  // frame_size must be a valid RealFft size (even, factors 2, 3, 5).
  Stft(float sample_rate, int frame_size, FftEngine engine = FftEngine::kFastest);

  // Magnitude spectrum (bins() values) of the newest frame_size() samples of signal.
  std::span<const float> compute(std::span<const float> signal);
  std::span<const float> magnitude() const { return magnitude_; }

  int frame_size() const { return fft_.size(); }
  // The magnitude describes the frame's centre (the Hann window's peak): the sample latency_samples()
  // before the end of the signal passed to compute().
  int latency_samples() const { return fft_.size() / 2; }
  int bins() const { return fft_.bins(); }
  float sample_rate() const { return sample_rate_; }
  float bin_hz() const { return sample_rate_ / float(fft_.size()); }

  // Power-of-two frame closest to seconds at this rate (clamped to 256..32768).
  static int frame_size_for(float sample_rate, float seconds);

 private:
  float sample_rate_;
  RealFft fft_;
  std::vector<float> window_;
  std::vector<float> magnitude_;
};

}  // namespace etude::dsp
