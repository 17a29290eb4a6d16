#pragma once
// Probabilistic YIN over one window (the per-frame half of pYIN, Mauch & Dixon 2014):
// the YIN difference function computed through the FFT (cheap at any lag range), its cumulative-mean
// normalisation d'(tau), then every trough's probability of being "the first trough below the
// threshold" when the threshold follows a Beta(2,18) prior. Troughs are refined by parabolic
// interpolation and, for short periods, on the trough at the largest multiple of the period, which
// divides the interpolation error by that multiple (a steady tone reads within a cent).
// All buffers are allocated at construction; analyze() never allocates, locks or throws.

#include <array>
#include <complex>
#include <span>
#include <vector>

#include "dsp/fft.h"

namespace etude::dsp {

struct YinParams {
  float sample_rate = 48000.0f;  // Hz, valid 16000..96000
  float min_hz = 50.0f;          // lowest f0 searched, valid 30..1000
  float max_hz = 2000.0f;        // highest f0 searched, valid 2*min_hz..min(4000, sample_rate/6)
  int integration = 0;           // samples summed per lag (W); 0 = about 21 ms; else valid 64..16384
  float beta_mean = 0.1f;        // mean of the threshold prior (Beta(2, 2/mean - 2)), valid 0.02..0.5
  float absolute_min_prob = 0.01f;  // weight given to the global minimum when no trough passes, 0..1

  // nullptr when valid, otherwise a sentence naming the first bad parameter.
  const char* validate() const;
  int integration_samples() const;
  int max_lag() const;
  // Samples the estimator needs to see: integration + the longest lag + 2.
  int window_size() const;
  // How far back from the newest sample the estimate is centred: the integration window (the newest W
  // samples) and the lag it is compared at, taken at the middle of the pitch range.
  int analysed_centre_samples() const;
};

struct PitchCandidate {
  float f0_hz = 0;
  float probability = 0;  // share of the threshold prior that picks this trough
  float aperiodicity = 1;  // d' at the trough, 0 = perfectly periodic
};

struct YinCandidates {
  static constexpr int kMax = 8;
  std::array<PitchCandidate, kMax> candidates{};
  int count = 0;
  float voiced_probability = 0;  // sum of the candidates' probabilities, 0..1

  // The most probable candidate (f0 0 when there is none).
  PitchCandidate best() const;
};

// Re-derives the candidates' probabilities under another threshold prior, Beta(2, 2/beta_mean - 2), from
// their aperiodicities, as analyze() would have given them (exactly so when analyze() kept every trough:
// at most kMax, none with zero probability under its own prior): for offline decoders that trust
// shallower troughs than the live tracker.
// voiced_probability is recomputed too. Never allocates.
void reweight_candidates(YinCandidates& frame, float beta_mean, float absolute_min_prob);

class YinPitch {
 public:
  explicit YinPitch(const YinParams& params);  // params must validate()

  // Analyse the newest window_size() samples; window.size() must be >= window_size().
  const YinCandidates& analyze(std::span<const float> window);
  const YinCandidates& result() const { return result_; }

  const YinParams& params() const { return params_; }
  int window_size() const { return params_.window_size(); }
  // The estimate describes the audio latency_samples() before the newest sample analysed (the middle of
  // the integration window and a typical period behind it: YinParams::analysed_centre_samples()).
  int latency_samples() const { return params_.analysed_centre_samples(); }
  // The normalised difference d'(tau) of the last analyze(), indexed by lag (for tests and plots).
  std::span<const float> normalized_difference() const { return {cmnd_.data(), std::size_t(max_lag_ + 2)}; }

 private:
  float beta_cdf(float x) const;
  double refine_lag(int trough) const;
  double parabolic_min(int tau) const;

  YinParams params_;
  int integration_;
  int min_lag_;
  int max_lag_;
  RealFft fft_;
  std::vector<float> integration_frame_;  // the newest W samples, zero-padded to the FFT size
  std::vector<float> window_frame_;       // the whole window, zero-padded
  std::vector<float> reversed_;  // the window, newest sample first
  std::vector<float> xcorr_;     // cross-correlation of the first W samples with the window
  std::vector<double> energy_prefix_;  // running sum of x^2
  std::vector<float> diff_;      // d(tau)
  std::vector<float> cmnd_;      // d'(tau)
  std::vector<int> troughs_;
  std::vector<float> trough_probability_;
  float beta_b_;
  YinCandidates result_;
};

}  // namespace etude::dsp
