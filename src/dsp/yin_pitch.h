#pragma once
// YIN pitch estimator (de Cheveigné & Kawahara 2002) over one window: difference function,
// cumulative-mean normalisation, absolute threshold, parabolic refinement of the lag.
// All buffers are allocated at construction; estimate() never allocates, locks or throws.

#include <span>
#include <vector>

namespace etude::dsp {

struct YinParams {
  float sample_rate = 48000.0f;  // Hz, valid 8000..192000
  float min_hz = 50.0f;          // lowest f0 searched, valid 20..1000
  float max_hz = 2000.0f;        // highest f0 searched, valid min_hz*2..sample_rate/4
  int integration = 1024;        // samples summed per lag (W), valid 64..16384
  float threshold = 0.15f;       // aperiodicity threshold, valid 0.01..0.9

  // nullptr when valid, otherwise a sentence naming the first bad parameter.
  const char* validate() const;
  // Samples the estimator needs to see: integration + the longest lag.
  int window_size() const;
};

struct PitchEstimate {
  float f0_hz = 0;       // 0 when no lag passes the threshold
  float confidence = 0;  // 1 - normalised difference at the chosen lag, clamped to 0..1
};

class YinPitch {
 public:
  explicit YinPitch(const YinParams& params);  // params must validate()

  // Estimate f0 from the newest window_size() samples; window.size() must be >= window_size().
  PitchEstimate estimate(std::span<const float> window);

  const YinParams& params() const { return params_; }
  int window_size() const { return params_.window_size(); }

 private:
  YinParams params_;
  int min_lag_;
  int max_lag_;
  std::vector<float> raw_;   // difference function d(tau), indexed by lag
  std::vector<float> diff_;  // cumulative-mean normalised difference d'(tau)
};

}  // namespace etude::dsp
