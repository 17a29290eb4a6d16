#include "dsp/spectral_features.h"

#include <algorithm>
#include <cmath>

#include "dsp/fast_math.h"

namespace etude::dsp {

namespace {
constexpr std::size_t kSumBlock = 64;

// Sum in 8 float lanes per block of kSumBlock values (vectorised), blocks added in double: within a few
// float roundings of a double sum.
double block_sum(const float* x, std::size_t n) {
  double total = 0;
  std::size_t k = 0;
  for (; k + kSumBlock <= n; k += kSumBlock) {
    float lane[8] = {};
    for (std::size_t j = 0; j < kSumBlock; j += 8) {
      for (std::size_t l = 0; l < 8; ++l) lane[l] += x[k + j + l];
    }
    total += double(((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7])));
  }
  for (; k < n; ++k) total += x[k];
  return total;
}

double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }
}  // namespace

const char* SpectralParams::validate() const {
  if (!(sample_rate >= 16000.0f && sample_rate <= 96000.0f)) return "sample_rate must be 16000..96000 Hz";
  if (!(frame_size >= 256 && frame_size <= 32768)) return "frame_size must be 256..32768";
  if (!(mel_bands >= 8 && mel_bands <= 128)) return "mel_bands must be 8..128";
  if (!(mel_min_hz >= 0.0f && mel_min_hz <= 1000.0f)) return "mel_min_hz must be 0..1000 Hz";
  if (!(mel_max_hz > mel_min_hz + 500.0f)) return "mel_max_hz must be at least mel_min_hz + 500 Hz";
  if (!(rolloff_fraction >= 0.5f && rolloff_fraction <= 0.99f)) return "rolloff_fraction must be 0.5..0.99";
  return nullptr;
}

SpectralFeatures::SpectralFeatures(const SpectralParams& p)
    : params_(p),
      bin_hz_(p.sample_rate / float(p.frame_size)),
      mel_(std::size_t(p.mel_bands), 0.0f),
      log_mel_(std::size_t(p.mel_bands), 0.0f),
      power_(std::size_t(p.frame_size / 2 + 1), 0.0f),
      moment_(power_.size(), 0.0f) {
  const int bins = p.frame_size / 2 + 1;
  const double top = std::min(double(p.mel_max_hz), 0.5 * p.sample_rate);
  const double lo_mel = hz_to_mel(p.mel_min_hz), hi_mel = hz_to_mel(top);
  std::vector<double> edges(std::size_t(p.mel_bands) + 2);
  for (std::size_t i = 0; i < edges.size(); ++i) edges[i] = mel_to_hz(lo_mel + (hi_mel - lo_mel) * double(i) / double(edges.size() - 1));
  for (int m = 0; m < p.mel_bands; ++m) {
    const double lo = edges[std::size_t(m)], mid = edges[std::size_t(m) + 1], hi = edges[std::size_t(m) + 2];
    const int first = std::max(0, int(std::ceil(lo / bin_hz_)));
    const int last = std::min(bins - 1, int(std::floor(hi / bin_hz_)));
    mel_start_.push_back(first);
    mel_offset_.push_back(int(mel_weights_.size()));
    int length = 0;
    for (int k = first; k <= last; ++k, ++length) {
      const double f = k * double(bin_hz_);
      const double w = f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
      // Slaney area normalisation: every band has the same total weight per Hz.
      mel_weights_.push_back(float(std::max(0.0, w) * 2.0 / (hi - lo)));
    }
    mel_length_.push_back(length);
  }
  mel_bank_ = FilterBank(mel_start_, mel_length_, mel_offset_, mel_weights_, bins);
  dct_.assign(std::size_t(kDctLanes * p.mel_bands), 0.0f);
  for (int c = 0; c < kMfccCount; ++c) {
    const double scale = std::sqrt((c == 0 ? 1.0 : 2.0) / p.mel_bands);
    for (int m = 0; m < p.mel_bands; ++m)
      dct_[std::size_t(m * kDctLanes + c)] = float(scale * std::cos(M_PI * c * (m + 0.5) / p.mel_bands));
  }
}

const SpectralFrame& SpectralFeatures::process(std::span<const float> magnitude, std::span<const float> time) {
  SpectralFrame& r = result_;
  const std::size_t bins = magnitude.size();
  const float* mag = magnitude.data();
  // Per-bin work in float over contiguous arrays (the loops vectorise); sums in float blocks added into doubles.
  float* __restrict power = power_.data();
  float* __restrict moment = moment_.data();
  const int n = int(bins);  // int indices: int -> float converts in vector registers, size_t does not
  // Four sums in one pass: each is block_sum()'s arithmetic exactly (8 float lanes per 64-bin block,
  // blocks added in double, the tail bin by bin), without storing and re-reading the per-bin values.
  double sum = 0, weighted = 0, power_sum = 0, log_power_sum = 0;
  int k = 0;
  for (; k + int(kSumBlock) <= n; k += int(kSumBlock)) {
    float lane_mag[8] = {}, lane_moment[8] = {}, lane_power[8] = {}, lane_log[8] = {};
    for (int j = k; j < k + int(kSumBlock); j += 8) {
      for (int l = 0; l < 8; ++l) {
        const float m = mag[j + l];
        const float p = m * m + 1e-20f;
        power[j + l] = p;
        lane_mag[l] += m;
        lane_moment[l] += m * float(j + l);
        lane_power[l] += p;
        lane_log[l] += fast_ln(p);
      }
    }
    auto reduce = [](const float* v) { return double(((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))); };
    sum += reduce(lane_mag);
    weighted += reduce(lane_moment);
    power_sum += reduce(lane_power);
    log_power_sum += reduce(lane_log);
  }
  for (; k < n; ++k) {
    const float m = mag[k];
    power[k] = m * m + 1e-20f;
    sum += m;
    weighted += m * float(k);
    power_sum += power[k];
    log_power_sum += fast_ln(power[k]);
  }
  weighted *= bin_hz_;
  if (sum > 1e-9) {
    r.centroid_hz = float(weighted / sum);
    const float centre_bin = r.centroid_hz / bin_hz_;
    for (int k = 0; k < n; ++k) {
      const float d = float(k) - centre_bin;
      moment[k] = mag[k] * d * d;
    }
    r.spread_hz = float(std::sqrt(block_sum(moment, bins) / sum) * bin_hz_);
    // Roll-off: whole blocks while they stay below the target, then bin by bin.
    const double target = params_.rolloff_fraction * power_sum;
    double acc = 0;
    std::size_t k = 0;
    while (k + kSumBlock <= bins) {
      const double block = block_sum(power + k, kSumBlock);
      if (acc + block >= target) break;
      acc += block;
      k += kSumBlock;
    }
    for (; k < bins; ++k) {
      acc += power[k];
      if (acc >= target) break;
    }
    r.rolloff_hz = float(std::min(k, bins - 1)) * bin_hz_;
    r.flatness = float(std::clamp(std::exp(log_power_sum / double(bins)) / (power_sum / double(bins)), 0.0, 1.0));
  } else {
    r.centroid_hz = r.spread_hz = r.rolloff_hz = 0;
    r.flatness = 0;
  }

  int crossings = 0;
  for (std::size_t i = 1; i < time.size(); ++i) crossings += (time[i - 1] >= 0.0f) != (time[i] >= 0.0f);
  r.zcr = time.size() > 1 ? float(crossings) / float(time.size() - 1) : 0.0f;

  mel_bank_.apply<true>(magnitude, mel_.data());
  for (std::size_t m = 0; m < mel_.size(); ++m) log_mel_[m] = fast_log10(std::max(mel_[m], 1e-10f));
  // All coefficients side by side (one lane each, mel bands in order): each is the same sum as a row by
  // row loop, but the thirteen additions per band do not wait on each other.
  float acc[kDctLanes] = {};
  for (std::size_t m = 0; m < mel_.size(); ++m) {
    const float* column = dct_.data() + m * kDctLanes;
    for (int c = 0; c < kDctLanes; ++c) acc[c] += column[c] * log_mel_[m];
  }
  std::copy(acc, acc + kMfccCount, r.mfcc.begin());
  return r;
}

}  // namespace etude::dsp
