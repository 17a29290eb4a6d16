#include "dsp/spectral_gate.h"

#include <algorithm>
#include <cmath>

#include "dsp/hop_framer.h"
#include "dsp/stft.h"

namespace etude::dsp {

const char* SpectralGateParams::validate() const {
  if (!(sample_rate >= 16000.0f && sample_rate <= 96000.0f)) return "sample_rate must be 16000..96000 Hz";
  if (!(percentile >= 0.0f && percentile <= 1.0f)) return "percentile must be 0..1";
  if (!(over >= 0.0f && over <= 100.0f)) return "over must be 0..100";
  if (!(floor >= 0.0f && floor <= 1.0f)) return "floor must be 0..1";
  if (!(smooth_bins >= 0 && smooth_bins <= 512)) return "smooth_bins must be 0..512";
  if (!(gain_bins >= 0 && gain_bins <= 64)) return "gain_bins must be 0..64";
  return nullptr;
}

int SpectralGateParams::frame_size() const { return Stft::frame_size_for(sample_rate, 0.0464f); }

NoiseProfile::NoiseProfile(const SpectralGateParams& params, int max_frames)
    : params_(params),
      fft_(params.frame_size()),
      window_(periodic_hann(params.frame_size())),
      framer_(params.frame_size(), params.hop()),
      windowed_(std::size_t(params.frame_size()), 0.0f),
      spectrum_(std::size_t(fft_.bins())),
      max_frames_(std::max(2, max_frames)) {
  kept_.reserve(std::size_t(max_frames_ + 1) * spectrum_.size());
}

void NoiseProfile::push(std::span<const float> samples) {
  const int n = params_.frame_size(), hop = params_.hop();
  const std::size_t bins = spectrum_.size();
  framer_.push(samples, [&](std::span<const float> frame) {
    // Only frames wholly inside the file (the zeros before it would pull the percentiles down).
    if (!(++frames_seen_ * hop >= n && (frames_seen_ * hop - n) / hop % every_ == 0)) return;
    windowed_forward(fft_, frame, window_, windowed_, spectrum_);
    for (const auto& c : spectrum_) kept_.push_back(std::norm(c));
    if (kept_frames() > max_frames_) {
      // Keep every second frame (the 1st, 3rd, ...) and from now on every second one of those to come.
      const std::size_t frames = kept_.size() / bins;
      for (std::size_t f = 0; 2 * f < frames; ++f) {
        std::copy_n(kept_.begin() + long(2 * f * bins), bins, kept_.begin() + long(f * bins));
      }
      kept_.resize((frames + 1) / 2 * bins);
      every_ *= 2;
    }
  });
}

std::vector<float> NoiseProfile::floor_power() const {
  const std::size_t bins = spectrum_.size(), frames = kept_.size() / bins;
  std::vector<float> out(bins, 0.0f);
  if (frames == 0) return out;
  std::vector<float> column(frames);
  const std::size_t k = std::min(frames - 1, std::size_t(std::floor(double(params_.percentile) * double(frames - 1))));
  for (std::size_t b = 0; b < bins; ++b) {
    for (std::size_t f = 0; f < frames; ++f) column[f] = kept_[f * bins + b];
    std::nth_element(column.begin(), column.begin() + long(k), column.end());
    out[b] = column[k];
  }
  // Noise is broadband: its floor is smooth across frequency. A tone held through the file lifts its own
  // bins' percentile into a narrow peak; the median over neighbouring bins does not follow it.
  const int half = params_.smooth_bins;
  if (half > 0) {
    std::vector<float> smoothed(bins), window;
    for (std::size_t b = 0; b < bins; ++b) {
      const std::size_t lo = b >= std::size_t(half) ? b - std::size_t(half) : 0, hi = std::min(bins, b + std::size_t(half) + 1);
      window.assign(out.begin() + long(lo), out.begin() + long(hi));
      std::nth_element(window.begin(), window.begin() + long(window.size() / 2), window.end());
      smoothed[b] = std::min(out[b], window[window.size() / 2]);
    }
    out = std::move(smoothed);
  }
  return out;
}

float NoiseProfile::noise_to_signal(std::span<const float> floor) const {
  const std::size_t bins = spectrum_.size(), frames = kept_.size() / bins;
  if (frames == 0) return 0.0f;
  double total = 0, noise = 0;
  for (float v : kept_) total += v;
  for (float v : floor) noise += v;
  return total > 0 ? float(noise / (total / double(frames))) : 0.0f;
}

SpectralGate::SpectralGate(const SpectralGateParams& params, std::vector<float> noise_power)
    : params_(params),
      frame_(params.frame_size()),
      hop_(params.hop()),
      fft_(frame_),
      noise_(std::move(noise_power)),
      window_(periodic_hann(frame_)),
      framer_(frame_, hop_),
      windowed_(std::size_t(frame_), 0.0f),
      resynth_(std::size_t(frame_), 0.0f),
      accumulator_(std::size_t(frame_), 0.0f),
      smoothed_(std::size_t(fft_.bins()), 0.0f) {
  for (int i = 0; i < 3; ++i) {
    spectrum_[i].assign(std::size_t(fft_.bins()), {});
    power_[i].assign(std::size_t(fft_.bins()), 0.0f);
  }
  noise_.resize(std::size_t(fft_.bins()), 0.0f);
}

void SpectralGate::process(std::span<const float> in, std::vector<float>& out) {
  framer_.push(in, [&](std::span<const float> frame) { run_frame(frame, out); });
}

void SpectralGate::run_frame(std::span<const float> frame, std::vector<float>& out) {
  // The newest frame's spectrum.
  newest_ = (newest_ + 1) % 3;
  windowed_forward(fft_, frame, window_, windowed_, spectrum_[newest_]);
  const std::size_t bins = smoothed_.size();
  for (std::size_t b = 0; b < bins; ++b) power_[newest_][b] = std::norm(spectrum_[newest_][b]);

  // Gate the middle frame. Its gain reads the power averaged over 3 frames x (2 gain_bins + 1) bins: noise
  // averages towards its mean there, so a lone noise peak is not mistaken for a tone and left standing
  // (the "musical noise" of a per-bin gate, which YIN would read as pitch).
  const int middle = (newest_ + 2) % 3;
  for (std::size_t b = 0; b < bins; ++b) smoothed_[b] = power_[0][b] + power_[1][b] + power_[2][b];
  const int r = params_.gain_bins;
  for (std::size_t b = 0; b < bins; ++b) {
    const std::size_t lo = b >= std::size_t(r) ? b - std::size_t(r) : 0, hi = std::min(bins, b + std::size_t(r) + 1);
    float sum = 0.0f;
    for (std::size_t k = lo; k < hi; ++k) sum += smoothed_[k];
    const float power = sum / float(3 * (hi - lo));
    const float gain = power > 0.0f ? std::max(1.0f - params_.over * noise_[b] / power, params_.floor) : params_.floor;
    resynth_[b] = gain;  // the gains, before resynth_ holds the frame
  }
  std::vector<std::complex<float>>& y = spectrum_[middle];
  for (std::size_t b = 0; b < bins; ++b) y[b] *= resynth_[b];
  fft_.inverse(y, resynth_);
  // inverse() is scaled by the frame size; Hann analysis x Hann synthesis at a quarter-frame hop sums to 1.5.
  const float scale = 1.0f / (1.5f * float(frame_));
  for (int i = 0; i < frame_; ++i) accumulator_[std::size_t(i)] += resynth_[std::size_t(i)] * window_[std::size_t(i)] * scale;
  // The middle frame's oldest hop is complete: no later frame reaches back to it.
  out.insert(out.end(), accumulator_.begin(), accumulator_.begin() + hop_);
  std::copy(accumulator_.begin() + hop_, accumulator_.end(), accumulator_.begin());
  std::fill(accumulator_.end() - hop_, accumulator_.end(), 0.0f);
}

}  // namespace etude::dsp
