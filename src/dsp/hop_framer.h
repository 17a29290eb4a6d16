#pragma once
// Offline framing shared by the whole-file passes (NoiseProfile, SpectralGate, NoiseBandEnergy): the newest
// `frame` samples of a stream, handed to a callback each time `hop` more have arrived. Non-finite samples
// count as silence, as in LiveAnalyzer (one NaN would poison every later frame). A plain shift per hop:
// offline only, not the live path (LiveAnalyzer keeps a SampleHistory instead).

#include <algorithm>
#include <cmath>
#include <complex>
#include <span>
#include <vector>

#include "dsp/fft.h"

namespace etude::dsp {

class HopFramer {
 public:
  HopFramer(int frame, int hop) : frame_(std::size_t(frame), 0.0f), hop_(hop) {}
  // on_frame(std::span<const float> newest_frame) once per completed hop; the frame starts as zeros.
  template <class OnFrame>
  void push(std::span<const float> samples, OnFrame&& on_frame) {
    const std::size_t n = frame_.size(), hop = std::size_t(hop_);
    for (float x : samples) {
      frame_[n - hop + std::size_t(pending_)] = std::isfinite(x) ? x : 0.0f;
      if (++pending_ < hop_) continue;
      pending_ = 0;
      on_frame(std::span<const float>(frame_));
      std::copy(frame_.begin() + long(hop), frame_.end(), frame_.begin());
    }
  }

 private:
  std::vector<float> frame_;
  int hop_;
  int pending_ = 0;  // samples since the last frame
};

// spectrum = FFT(frame * window); `windowed` is scratch of the frame's size.
inline void windowed_forward(RealFft& fft, std::span<const float> frame, std::span<const float> window,
                             std::vector<float>& windowed, std::span<std::complex<float>> spectrum) {
  for (std::size_t i = 0; i < frame.size(); ++i) windowed[i] = frame[i] * window[i];
  fft.forward(windowed, spectrum);
}

}  // namespace etude::dsp
