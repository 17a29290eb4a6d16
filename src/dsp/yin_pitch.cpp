#include "dsp/yin_pitch.h"

#include <algorithm>
#include <cmath>

namespace etude::dsp {

const char* YinParams::validate() const {
  if (!(sample_rate >= 8000.0f && sample_rate <= 192000.0f)) return "sample_rate must be 8000..192000 Hz";
  if (!(min_hz >= 20.0f && min_hz <= 1000.0f)) return "min_hz must be 20..1000 Hz";
  if (!(max_hz >= 2.0f * min_hz && max_hz <= sample_rate / 4.0f)) return "max_hz must be 2*min_hz..sample_rate/4";
  if (!(integration >= 64 && integration <= 16384)) return "integration must be 64..16384 samples";
  if (!(threshold >= 0.01f && threshold <= 0.9f)) return "threshold must be 0.01..0.9";
  return nullptr;
}

int YinParams::window_size() const { return integration + int(std::ceil(sample_rate / min_hz)) + 2; }

YinPitch::YinPitch(const YinParams& params)
    : params_(params),
      min_lag_(std::max(2, int(std::floor(params.sample_rate / params.max_hz)))),
      max_lag_(int(std::ceil(params.sample_rate / params.min_hz)) + 1),
      raw_(std::size_t(max_lag_) + 2, 0.0f),
      diff_(std::size_t(max_lag_) + 2, 0.0f) {}

PitchEstimate YinPitch::estimate(std::span<const float> window) {
  const int w = params_.integration;
  const float* x = window.data() + (window.size() - std::size_t(window_size()));

  // Difference function d(tau) and its cumulative-mean normalisation d'(tau).
  diff_[0] = 1.0f;
  double running = 0;
  for (int tau = 1; tau <= max_lag_ + 1; ++tau) {
    float d = 0;
    for (int j = 0; j < w; ++j) {
      const float delta = x[j] - x[j + tau];
      d += delta * delta;
    }
    raw_[tau] = d;
    running += d;
    diff_[tau] = running > 0 ? float(d * tau / running) : 1.0f;
  }

  // First dip below the threshold, followed down to its local minimum; else the global minimum.
  int best = -1;
  for (int tau = min_lag_; tau <= max_lag_; ++tau) {
    if (diff_[tau] < params_.threshold) {
      while (tau + 1 <= max_lag_ && diff_[tau + 1] < diff_[tau]) ++tau;
      best = tau;
      break;
    }
  }
  if (best < 0) {
    best = min_lag_;
    for (int tau = min_lag_; tau <= max_lag_; ++tau) {
      if (diff_[tau] < diff_[best]) best = tau;
    }
    // A window this aperiodic is unvoiced; report how close it came.
    PitchEstimate none;
    none.confidence = std::clamp(1.0f - diff_[best], 0.0f, 1.0f) * 0.5f;
    return none;
  }

  // Parabolic interpolation of the raw difference around the chosen lag (less biased than on d').
  float lag = float(best);
  const float a = raw_[best - 1], b0 = raw_[best], c = raw_[best + 1];
  const float denom = a - 2.0f * b0 + c;
  if (denom > 1e-12f) lag += std::clamp(0.5f * (a - c) / denom, -1.0f, 1.0f);

  PitchEstimate out;
  out.f0_hz = params_.sample_rate / lag;
  out.confidence = std::clamp(1.0f - diff_[best], 0.0f, 1.0f);
  return out;
}

}  // namespace etude::dsp
