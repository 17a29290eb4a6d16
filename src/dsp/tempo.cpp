#include "dsp/tempo.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace etude::dsp {

const char* TempoParams::validate() const {
  if (!(frame_rate >= 5.0f && frame_rate <= 2000.0f)) return "frame_rate must be 5..2000 frames/s";
  if (!(min_bpm >= 20.0f && min_bpm <= 300.0f)) return "min_bpm must be 20..300";
  if (!(max_bpm >= 2.0f * min_bpm && max_bpm <= 600.0f)) return "max_bpm must be 2*min_bpm..600";
  if (!(prior_bpm >= min_bpm && prior_bpm <= max_bpm)) return "prior_bpm must lie in min_bpm..max_bpm";
  if (!(prior_octaves >= 0.1f && prior_octaves <= 10.0f)) return "prior_octaves must be 0.1..10";
  if (!(window_s >= 2.0f && window_s <= 120.0f)) return "window_s must be 2..120 s";
  if (!(tightness >= 1.0f && tightness <= 10000.0f)) return "tightness must be 1..10000";
  return nullptr;
}

namespace {
// Autocorrelation of the mean-removed, lightly smoothed envelope over the tempo lags; acf must hold
// max_lag + 2 values, smoothed env.size().
TempoEstimate tempo_from(std::span<const float> raw, const TempoParams& p, std::span<float> acf, std::span<float> smoothed) {
  TempoEstimate out;
  const int n = int(raw.size());
  // 20 ms Gaussian: onsets that jitter by a frame (or a period that is not a whole number of frames)
  // still line up in the autocorrelation.
  const float sigma = std::max(0.5f, 0.02f * p.frame_rate);
  const int radius = int(std::ceil(3.0f * sigma));
  for (int t = 0; t < n; ++t) {
    float s = 0, w = 0;
    for (int k = -radius; k <= radius; ++k) {
      if (t + k < 0 || t + k >= n) continue;
      const float g = std::exp(-0.5f * float(k * k) / (sigma * sigma));
      s += g * raw[std::size_t(t + k)];
      w += g;
    }
    smoothed[std::size_t(t)] = s / w;
  }
  const std::span<const float> env = smoothed.first(std::size_t(n));
  const int min_lag = std::max(1, int(std::floor(60.0f * p.frame_rate / p.max_bpm)));
  const int max_lag = std::min(int(acf.size()) - 2, int(std::ceil(60.0f * p.frame_rate / p.min_bpm)));
  if (n < 2 * min_lag + 2 || max_lag <= min_lag) return out;
  double mean = 0;
  for (float v : env) mean += v;
  mean /= n;
  double zero = 0;
  for (float v : env) zero += (v - mean) * (v - mean);
  if (zero <= 1e-12) return out;
  for (int lag = 0; lag <= max_lag + 1 && lag < n; ++lag) {
    double s = 0;
    for (int t = lag; t < n; ++t) s += (env[std::size_t(t)] - mean) * (env[std::size_t(t - lag)] - mean);
    // Biased (divided by n, not n - lag): longer lags lose a little, so of two metrical levels that
    // fit equally well the faster one wins unless the prior says otherwise.
    acf[std::size_t(lag)] = float(s / zero);
  }
  int best = -1;
  double best_score = 0;
  for (int lag = min_lag; lag <= max_lag && lag + 1 < n; ++lag) {
    if (!(acf[std::size_t(lag)] >= acf[std::size_t(lag - 1)] && acf[std::size_t(lag)] >= acf[std::size_t(lag + 1)])) continue;
    const double bpm = 60.0 * p.frame_rate / lag;
    const double z = std::log2(bpm / p.prior_bpm) / p.prior_octaves;
    const double score = acf[std::size_t(lag)] * std::exp(-0.5 * z * z);
    if (score > best_score) best_score = score, best = lag;
  }
  if (best < 0) return out;
  double lag = best;
  const double a = acf[std::size_t(best - 1)], b = acf[std::size_t(best)], c = acf[std::size_t(best + 1)];
  const double denom = a - 2.0 * b + c;
  if (denom < 0) lag += std::clamp(0.5 * (a - c) / denom, -0.5, 0.5);
  out.bpm = float(60.0 * p.frame_rate / lag);
  out.confidence = std::clamp(float(b), 0.0f, 1.0f);
  return out;
}
}  // namespace

TempoEstimate estimate_tempo(std::span<const float> env, const TempoParams& p) {
  std::vector<float> acf(std::size_t(std::ceil(60.0f * p.frame_rate / p.min_bpm)) + 2, 0.0f);
  std::vector<float> smoothed(env.size(), 0.0f);
  return tempo_from(env, p, acf, smoothed);
}

std::vector<float> track_beats(std::span<const float> env, float bpm, const TempoParams& p) {
  std::vector<float> beats;
  const int n = int(env.size());
  if (n == 0 || !(bpm > 0)) return beats;
  const double period = 60.0 * p.frame_rate / bpm;
  // Local score: the envelope normalised by its standard deviation, smoothed over period/32 (Ellis).
  double mean = 0, var = 0;
  for (float v : env) mean += v;
  mean /= n;
  for (float v : env) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / n);
  if (sd <= 1e-12) return beats;
  const int half = std::max(1, int(std::lround(period / 32.0)));
  std::vector<double> local(std::size_t(n), 0.0);
  for (int t = 0; t < n; ++t) {
    double s = 0, w = 0;
    for (int k = -2 * half; k <= 2 * half; ++k) {
      if (t + k < 0 || t + k >= n) continue;
      const double g = std::exp(-0.5 * double(k * k) / double(half * half));
      s += g * env[std::size_t(t + k)] / sd;
      w += g;
    }
    local[std::size_t(t)] = s / w;
  }
  std::vector<double> cumulative(std::size_t(n), 0.0);
  std::vector<int> back(std::size_t(n), -1);
  const int lo = int(std::lround(period / 2.0)), hi = int(std::lround(2.0 * period));
  for (int t = 0; t < n; ++t) {
    double best = -1e300;
    int arg = -1;
    for (int tau = t - hi; tau <= t - lo; ++tau) {
      if (tau < 0) continue;
      const double penalty = std::log(double(t - tau) / period);
      const double s = cumulative[std::size_t(tau)] - p.tightness * penalty * penalty;
      if (s > best) best = s, arg = tau;
    }
    cumulative[std::size_t(t)] = local[std::size_t(t)] + (arg >= 0 ? best : 0.0);
    back[std::size_t(t)] = arg;
  }
  // The last beat: the best cumulative score within the final period.
  int t = n - 1;
  for (int k = std::max(0, n - int(std::lround(period))); k < n; ++k) {
    if (cumulative[std::size_t(k)] > cumulative[std::size_t(t)]) t = k;
  }
  while (t >= 0) {
    beats.push_back(float(t));
    t = back[std::size_t(t)];
  }
  std::reverse(beats.begin(), beats.end());
  // Drop leading and trailing beats on silence or steady noise: local score less than a fifth of the way
  // from the envelope's floor (its 20th percentile: what silence or the noise alone gives) up to the typical
  // beat's. In white noise at SNR 10 dB, a floor of 0 left 1-4 beats over the noise after a drum pattern
  // ended (bench/RESULTS.md, session 10).
  if (!beats.empty()) {
    std::vector<double> strengths;
    for (float b : beats) strengths.push_back(local[std::size_t(b)]);
    std::nth_element(strengths.begin(), strengths.begin() + long(strengths.size() / 2), strengths.end());
    std::vector<double> sorted(local);
    const auto at = sorted.begin() + long(0.2 * double(n - 1));
    std::nth_element(sorted.begin(), at, sorted.end());
    const double cut = *at + 0.2 * (strengths[strengths.size() / 2] - *at);
    while (!beats.empty() && local[std::size_t(beats.front())] < cut) beats.erase(beats.begin());
    while (!beats.empty() && local[std::size_t(beats.back())] < cut) beats.pop_back();
  }
  return beats;
}

TempoEstimator::TempoEstimator(const TempoParams& p)
    : params_(p),
      ring_(std::size_t(std::lround(p.window_s * p.frame_rate)), 0.0f),
      ordered_(ring_.size(), 0.0f),
      smoothed_(ring_.size(), 0.0f),
      acf_(std::size_t(std::ceil(60.0f * p.frame_rate / p.min_bpm)) + 2, 0.0f) {}

void TempoEstimator::reset() {
  std::fill(ring_.begin(), ring_.end(), 0.0f);
  next_ = filled_ = 0;
}

void TempoEstimator::push(float v) {
  ring_[next_] = v;
  next_ = (next_ + 1) % ring_.size();
  filled_ = std::min(filled_ + 1, ring_.size());
}

TempoEstimate TempoEstimator::estimate() {
  const std::size_t start = (next_ + ring_.size() - filled_) % ring_.size();
  for (std::size_t i = 0; i < filled_; ++i) ordered_[i] = ring_[(start + i) % ring_.size()];
  return tempo_from({ordered_.data(), filled_}, params_, acf_, smoothed_);
}

}  // namespace etude::dsp
