#include "dsp/yin_pitch.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace etude::dsp {

namespace {
// Regularised incomplete beta I_x(2, b) = 1 - (1-x)^b (1 + b x): the CDF of the Beta(2, b) threshold prior
// (YinPitch::analyze() and reweight_candidates()).
float threshold_prior_cdf(float x, float b) {
  if (x <= 0.0f) return 0.0f;
  if (x >= 1.0f) return 1.0f;
  return 1.0f - std::pow(1.0f - x, b) * (1.0f + b * x);
}
}  // namespace

const char* YinParams::validate() const {
  if (!(sample_rate >= 16000.0f && sample_rate <= 96000.0f)) return "sample_rate must be 16000..96000 Hz";
  if (!(min_hz >= 30.0f && min_hz <= 1000.0f)) return "min_hz must be 30..1000 Hz";
  if (!(max_hz >= 2.0f * min_hz && max_hz <= std::min(4000.0f, sample_rate / 6.0f)))
    return "max_hz must be 2*min_hz..min(4000, sample_rate/6) Hz";
  if (!(integration == 0 || (integration >= 64 && integration <= 16384)))
    return "integration must be 0 (automatic) or 64..16384 samples";
  if (!(beta_mean >= 0.02f && beta_mean <= 0.5f)) return "beta_mean must be 0.02..0.5";
  if (!(absolute_min_prob >= 0.0f && absolute_min_prob <= 1.0f)) return "absolute_min_prob must be 0..1";
  return nullptr;
}

int YinParams::integration_samples() const {
  // About 21 ms: one period of the lowest note plus a little, short enough to follow fast passages.
  return integration > 0 ? integration : std::max(64, int(std::lround(sample_rate * 0.0213f)));
}

int YinParams::max_lag() const { return int(std::ceil(sample_rate / min_hz)) + 1; }

int YinParams::window_size() const { return integration_samples() + max_lag() + 2; }

int YinParams::analysed_centre_samples() const {
  const float mid_hz = std::sqrt(min_hz * max_hz);
  return int(std::lround((integration_samples() + sample_rate / mid_hz) / 2.0f));
}

PitchCandidate YinCandidates::best() const {
  PitchCandidate b;
  b.probability = 0;
  for (int i = 0; i < count; ++i) {
    if (candidates[std::size_t(i)].probability > b.probability) b = candidates[std::size_t(i)];
  }
  return b;
}

void reweight_candidates(YinCandidates& frame, float beta_mean, float absolute_min_prob) {
  const float b = 2.0f / beta_mean - 2.0f;
  auto cdf = [b](float x) { return threshold_prior_cdf(x, b); };
  // analyze() keeps the troughs that set a new low of d', in lag order: aperiodicity strictly falls.
  auto* first = frame.candidates.data();
  std::sort(first, first + frame.count, [](const PitchCandidate& x, const PitchCandidate& y) { return x.aperiodicity > y.aperiodicity; });
  float lowest_so_far = 1.0f, total = 0.0f;
  for (int i = 0; i < frame.count; ++i) {
    PitchCandidate& c = frame.candidates[std::size_t(i)];
    c.probability = cdf(lowest_so_far) - cdf(c.aperiodicity);
    lowest_so_far = c.aperiodicity;
  }
  if (frame.count > 0) frame.candidates[std::size_t(frame.count - 1)].probability += absolute_min_prob * cdf(lowest_so_far);
  for (int i = 0; i < frame.count; ++i) total += frame.candidates[std::size_t(i)].probability;
  frame.voiced_probability = std::min(1.0f, total);
}

YinPitch::YinPitch(const YinParams& params)
    : params_(params),
      integration_(params.integration_samples()),
      min_lag_(std::max(2, int(std::floor(params.sample_rate / params.max_hz)))),
      max_lag_(params.max_lag()),
      fft_(RealFft::power_of_two_at_least(params.window_size())),
      integration_frame_(std::size_t(fft_.size()), 0.0f),
      window_frame_(std::size_t(fft_.size()), 0.0f),
      reversed_(std::size_t(params.window_size()), 0.0f),
      xcorr_(std::size_t(fft_.size()), 0.0f),
      energy_prefix_(std::size_t(params.window_size()) + 1, 0.0),
      diff_(std::size_t(max_lag_) + 2, 0.0f),
      cmnd_(std::size_t(max_lag_) + 2, 1.0f),
      troughs_(),
      trough_probability_(std::size_t(max_lag_), 0.0f),
      beta_b_(2.0f / params.beta_mean - 2.0f) {
  troughs_.reserve(std::size_t(max_lag_));
}

float YinPitch::beta_cdf(float x) const { return threshold_prior_cdf(x, beta_b_); }

double YinPitch::parabolic_min(int tau) const {
  const double a = diff_[std::size_t(tau - 1)], b = diff_[std::size_t(tau)], c = diff_[std::size_t(tau + 1)];
  const double denom = a - 2.0 * b + c;
  if (!(denom > 0.0)) return tau;
  return tau + std::clamp(0.5 * (a - c) / denom, -1.0, 1.0);
}

double YinPitch::refine_lag(int trough) const {
  double lag = parabolic_min(trough);
  // The trough at m periods has the same interpolation error in samples, so it is m times finer per
  // period. Doubling m each step keeps every search within a couple of samples of the prediction.
  const float depth = cmnd_[std::size_t(trough)];
  for (int m = 2; m * lag + 3 <= max_lag_; m *= 2) {
    const int centre = int(std::lround(m * lag));
    int best = centre;
    for (int tau = centre - 2; tau <= centre + 2; ++tau) {
      if (diff_[std::size_t(tau)] < diff_[std::size_t(best)]) best = tau;
    }
    const bool is_trough = diff_[std::size_t(best)] <= diff_[std::size_t(best - 1)] &&
                           diff_[std::size_t(best)] <= diff_[std::size_t(best + 1)];
    // Only trust the multiple while the signal stays as periodic over the longer lag.
    if (!is_trough || cmnd_[std::size_t(best)] > depth + 0.05f) break;
    const double refined = parabolic_min(best) / m;
    if (std::abs(refined - lag) > 0.25) break;
    lag = refined;
  }
  return lag;
}

const YinCandidates& YinPitch::analyze(std::span<const float> window) {
  const int length = params_.window_size();
  // Newest sample first: the integration window is the newest W samples and each lag compares them with
  // older ones, so the estimate describes the most recent audio (lower latency for the tuner).
  const float* newest = window.data() + window.size() - 1;
  for (int i = 0; i < length; ++i) reversed_[std::size_t(i)] = newest[-i];
  const float* x = reversed_.data();
  const int n = fft_.size();
  const int w = integration_;

  // r(tau) = sum_{j<W} x[j] x[j+tau] for all lags at once: the circular correlation of the first W
  // samples with the window, both zero-padded (the padding was zeroed at construction and stays so).
  std::copy(x, x + w, integration_frame_.begin());
  std::copy(x, x + length, window_frame_.begin());
  fft_.correlate(integration_frame_, window_frame_, xcorr_);

  energy_prefix_[0] = 0.0;
  for (int i = 0; i < length; ++i) energy_prefix_[std::size_t(i) + 1] = energy_prefix_[std::size_t(i)] + double(x[i]) * x[i];

  // d(tau) = e(0) + e(tau) - 2 r(tau), then d'(tau) = d(tau) * tau / sum_{1..tau} d.
  const double e0 = energy_prefix_[std::size_t(w)];
  const double scale = 1.0 / n;
  double running = 0;
  diff_[0] = 0.0f;
  cmnd_[0] = 1.0f;
  for (int tau = 1; tau <= max_lag_ + 1; ++tau) {
    const double e_tau = energy_prefix_[std::size_t(tau + w)] - energy_prefix_[std::size_t(tau)];
    const double d = std::max(0.0, e0 + e_tau - 2.0 * scale * xcorr_[std::size_t(tau)]);
    diff_[std::size_t(tau)] = float(d);
    running += d;
    cmnd_[std::size_t(tau)] = running > 1e-12 ? float(d * tau / running) : 1.0f;
  }

  // Troughs: local minima that are also the lowest point within about +-3% of their lag, so the ripple
  // that noise puts on the bottom of one broad trough does not split it into several candidates.
  troughs_.clear();
  for (int tau = min_lag_; tau <= max_lag_; ++tau) {
    const float v = cmnd_[std::size_t(tau)];
    if (!(v < cmnd_[std::size_t(tau - 1)] && v <= cmnd_[std::size_t(tau + 1)])) continue;
    const int reach = std::max(1, int(tau * 0.03f));
    bool lowest = true;
    for (int j = std::max(1, tau - reach); j <= std::min(max_lag_ + 1, tau + reach) && lowest; ++j) {
      if (cmnd_[std::size_t(j)] < v) lowest = false;
    }
    if (lowest) troughs_.push_back(tau);
  }

  result_ = YinCandidates{};
  if (troughs_.empty()) return result_;

  // Trough j is the first one below threshold s for every s in (d'_j, min_{i<j} d'_i]; keep only
  // the troughs that win some thresholds, with their share of the prior, in trough_probability_.
  float lowest_so_far = 1.0f;
  std::size_t kept = 0;
  for (int tau : troughs_) {
    const float v = cmnd_[std::size_t(tau)];
    if (v < lowest_so_far) {
      troughs_[kept] = tau;
      trough_probability_[kept] = beta_cdf(lowest_so_far) - beta_cdf(v);
      ++kept;
      lowest_so_far = v;
    }
  }
  if (kept == 0) return result_;
  // Thresholds below every trough: pYIN gives the global minimum (the last kept) a small share of them.
  trough_probability_[kept - 1] += params_.absolute_min_prob * beta_cdf(lowest_so_far);

  for (std::size_t i = 0; i < kept; ++i) {
    const float p = trough_probability_[i];
    if (p <= 0.0f) continue;
    result_.voiced_probability += p;
    int slot = result_.count;
    if (slot == YinCandidates::kMax) {
      auto weakest = std::min_element(result_.candidates.begin(), result_.candidates.end(),
                                      [](const PitchCandidate& a, const PitchCandidate& b) { return a.probability < b.probability; });
      if (weakest->probability >= p) continue;
      slot = int(weakest - result_.candidates.begin());
    } else {
      ++result_.count;
    }
    PitchCandidate& c = result_.candidates[std::size_t(slot)];
    c.f0_hz = float(params_.sample_rate / refine_lag(troughs_[i]));
    c.probability = p;
    c.aperiodicity = cmnd_[std::size_t(troughs_[i])];
  }
  result_.voiced_probability = std::min(1.0f, result_.voiced_probability);
  return result_;
}

}  // namespace etude::dsp
