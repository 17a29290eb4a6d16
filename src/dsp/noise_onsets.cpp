#include "dsp/noise_onsets.h"

#include <algorithm>
#include <cmath>

#include "dsp/hop_framer.h"
#include "dsp/stft.h"

namespace etude::dsp {

const char* NoiseOnsetParams::validate() const {
  if (!(sample_rate >= 16000.0f && sample_rate <= 96000.0f)) return "sample_rate must be 16000..96000 Hz";
  if (!(frame_size >= 256 && frame_size <= 32768) || !RealFft::is_valid_size(frame_size)) return "frame_size must be a valid FFT size 256..32768";
  if (!(hop >= 16 && hop <= frame_size)) return "hop must be 16..frame_size";
  if (!(floor_percentile >= 0.01f && floor_percentile <= 0.99f)) return "floor_percentile must be 0.01..0.99";
  if (!(min_hz >= 20.0f && min_hz < max_hz)) return "min_hz must be 20 Hz..max_hz";
  if (!(cap >= 1.0f && cap <= 1000.0f)) return "cap must be 1..1000";
  if (!(tonal_above >= 1.0f && tonal_above <= 1000.0f)) return "tonal_above must be 1..1000";
  if (!(tonal_bins >= 0 && tonal_bins <= 64)) return "tonal_bins must be 0..64";
  if (!(ref_lag_s >= 0.001f && ref_lag_s <= 1.0f)) return "ref_lag_s must be 0.001..1 s";
  if (!(ref_s >= 0.001f && ref_s <= 3.0f)) return "ref_s must be 0.001..3 s";
  if (!(attack_s >= 0.001f && attack_s <= 1.0f)) return "attack_s must be 0.001..1 s";
  if (!(threshold >= 0.0f && threshold <= 1000.0f)) return "threshold must be 0..1000";
  if (!(rise >= 0.0f && rise <= 1000.0f)) return "rise must be 0..1000";
  if (!(peak_s >= 0.0f && peak_s <= 3.0f)) return "peak_s must be 0..3 s";
  if (!(coverage >= 0.0f && coverage <= 1.0f)) return "coverage must be 0..1";
  return nullptr;
}

int NoiseOnsetParams::frames(float seconds) const { return int(std::lround(seconds * sample_rate / float(hop))); }

NoiseBandEnergy::NoiseBandEnergy(const NoiseOnsetParams& params, std::span<const float> noise_power)
    : params_(params),
      fft_(params.frame_size),
      window_(periodic_hann(params.frame_size)),
      framer_(params.frame_size, params.hop),
      windowed_(std::size_t(params.frame_size), 0.0f),
      spectrum_(std::size_t(fft_.bins())) {
  const float bin_hz = params.sample_rate / float(params.frame_size);
  const float top = std::min(params.max_hz, params.sample_rate / 2);
  lo_ = std::max(1, int(std::ceil(params.min_hz / bin_hz)));
  const int hi = std::min(fft_.bins() - 1, int(std::floor(top / bin_hz)));
  bins_ = std::max(0, hi - lo_ + 1);
  // Exponential power per bin: its percentile p lies at -ln(1 - p) times its mean.
  const float to_mean = -std::log(1.0f - params.floor_percentile);
  inverse_mean_.assign(std::size_t(bins_), 0.0f);
  for (int b = 0; b < bins_; ++b) {
    const std::size_t k = std::size_t(lo_ + b);
    const float floor = k < noise_power.size() ? noise_power[k] : 0.0f;
    inverse_mean_[std::size_t(b)] = floor > 0.0f ? to_mean / floor : 0.0f;  // no noise measured: the bin reads 0
  }
  history_.assign(std::size_t(params.ref_lag() + params.ref_frames() - 1) * std::size_t(bins_), 0.0f);
  reference_.assign(std::size_t(bins_), 0.0f);
  tonal_.assign(std::size_t(bins_), 0.0f);
}

void NoiseBandEnergy::push(std::span<const float> samples) {
  framer_.push(samples, [this](std::span<const float> frame) { run_frame(frame); });
}

void NoiseBandEnergy::run_frame(std::span<const float> frame) {
  windowed_forward(fft_, frame, window_, windowed_, spectrum_);
  const std::size_t bins = std::size_t(bins_);
  const long rows = params_.ref_lag() + params_.ref_frames() - 1;
  // The reference: frames [frames_ - ref_lag - ref_frames + 1, frames_ - ref_lag] (those that exist).
  std::fill(reference_.begin(), reference_.end(), 0.0f);
  int counted = 0;
  for (long g = frames_ - rows; g <= frames_ - params_.ref_lag(); ++g) {
    if (g < 0) continue;
    const float* row = history_.data() + std::size_t(g % rows) * bins;
    for (std::size_t b = 0; b < bins; ++b) reference_[b] += row[b];
    ++counted;
  }
  if (counted > 0) {
    for (float& r : reference_) r /= float(counted);
  }
  // A bin is tonal when it or a neighbour held a tone over the reference (vibrato moves a partial by a bin or two).
  const std::size_t r = std::size_t(params_.tonal_bins);
  for (std::size_t b = 0; b < bins; ++b) {
    const std::size_t lo = b >= r ? b - r : 0, hi = std::min(bins, b + r + 1);
    tonal_[b] = *std::max_element(reference_.begin() + long(lo), reference_.begin() + long(hi));
  }
  float* row = history_.data() + std::size_t(frames_ % rows) * bins;
  double sum = 0;
  int kept = 0;
  for (std::size_t b = 0; b < bins; ++b) {
    const float w = std::norm(spectrum_[std::size_t(lo_) + b]) * inverse_mean_[b];
    row[b] = w;
    if (tonal_[b] < params_.tonal_above) {
      sum += std::min(w, params_.cap);
      ++kept;
    }
  }
  values_.push_back(kept > 0 ? float(sum / kept) : 1.0f);  // every bin tonal: the noise's own mean, no event
  coverage_.push_back(bins > 0 ? float(kept) / float(bins) : 0.0f);
  ++frames_;
}

std::vector<int> pick_noise_onsets(std::span<const float> values, std::span<const float> coverage, const NoiseOnsetParams& params) {
  std::vector<int> onsets;
  const int n = int(values.size()), first = params.first_full();
  const int attack_frames = params.attack_frames(), lag = params.ref_lag(), ref_frames = params.ref_frames(), peak = params.peak_frames();
  if (n - first < 20) return onsets;
  // Means over the attack frames, from each frame on (fewer at the file's end).
  std::vector<double> attack(std::size_t(n), 0.0);
  for (int i = first; i < n; ++i) {
    const int end = std::min(n, i + attack_frames);
    double sum = 0;
    for (int j = i; j < end; ++j) sum += values[std::size_t(j)];
    attack[std::size_t(i)] = sum / (end - i);
  }
  // The noise's level and spread from the quietest frames: Gaussian percentiles 10 and 30 lie 1.2816 and
  // 0.5244 standard deviations under the mean.
  std::vector<double> sorted(attack.begin() + first, attack.end());
  auto percentile = [&](double q) {
    const std::size_t k = std::size_t(q * double(sorted.size() - 1));
    std::nth_element(sorted.begin(), sorted.begin() + long(k), sorted.end());
    return sorted[k];
  };
  const double p10 = percentile(0.1), p30 = percentile(0.3);
  const double sigma = (p30 - p10) / (1.2816 - 0.5244);
  if (!(sigma > 0)) return onsets;
  const double level = p30 + 0.5244 * sigma;
  auto z = [&](int i) { return (attack[std::size_t(i)] - level) / sigma; };
  for (int i = first + lag + ref_frames - 1; i < n; ++i) {
    if (z(i) < params.threshold) continue;
    bool covered = true;
    for (int j = i; j < std::min(n, i + attack_frames); ++j) covered = covered && coverage[std::size_t(j)] >= params.coverage;
    if (!covered) continue;
    double reference = 0;
    for (int j = i - lag - ref_frames + 1; j <= i - lag; ++j) reference += values[std::size_t(j)];
    reference /= ref_frames;
    if ((attack[std::size_t(i)] - reference) / sigma < params.rise) continue;
    bool largest = true;
    for (int j = std::max(first, i - peak); j <= std::min(n - 1, i + peak) && largest; ++j) largest = z(j) <= z(i);
    if (largest) onsets.push_back(i);
  }
  return onsets;
}

}  // namespace etude::dsp
