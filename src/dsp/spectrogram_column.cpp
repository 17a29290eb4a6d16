#include "dsp/spectrogram_column.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace etude::dsp {
namespace {

float mel_to_hz(float mel) { return 700.0f * (std::pow(10.0f, mel / 2595.0f) - 1.0f); }

// A triangular filter over FFT bins from lo to hi Hz, peaking at centre Hz. Where it is narrower than
// two FFT bins (low notes) it becomes linear interpolation between the two bins around the centre,
// so neighbouring rows still differ and a tone lights the row of its own note.
void triangle(float lo, float centre, float hi, float bin_hz, int bins, int& first, std::vector<float>& w) {
  if (hi - lo < 2.0f * bin_hz) {
    const float pos = std::clamp(centre / bin_hz, 0.0f, float(bins - 2));
    first = int(pos);
    const float frac = pos - float(first);
    w.assign({1.0f - frac, frac});
    return;
  }
  const int a = std::clamp(int(std::floor(lo / bin_hz)), 0, bins - 1);
  const int b = std::clamp(int(std::ceil(hi / bin_hz)), a, bins - 1);
  first = a;
  w.assign(std::size_t(b - a + 1), 0.0f);
  float sum = 0;
  for (int k = a; k <= b; ++k) {
    const float f = float(k) * bin_hz;
    const float v = f <= centre ? (f - lo) / (centre - lo) : (hi - f) / (hi - centre);
    w[std::size_t(k - a)] = std::max(v, 0.0f);
    sum += w[std::size_t(k - a)];
  }
  for (float& v : w) v /= sum;
}

}  // namespace

const char* SpectrogramParams::validate() const {
  if (!(sample_rate >= 8000.0f && sample_rate <= 192000.0f)) return "sample_rate must be 8000..192000 Hz";
  if (hop < 32 || hop > 8192) return "hop must be 32..8192 samples";
  if (!(window_s >= 0.005f && window_s <= 0.2f)) return "window_s must be 0.005..0.2 s";
  if (mel_bands < 16 || mel_bands > 256) return "mel_bands must be 16..256";
  return nullptr;
}

SpectrogramColumn::SpectrogramColumn(const SpectrogramParams& params)
    : params_(params),
      stft_(params.sample_rate, Stft::frame_size_for(params.sample_rate, params.window_s)),
      history_(std::size_t(stft_.frame_size()), 0.0f),
      column_(std::size_t(kNoteBins + params.mel_bands + kLinearBins), kFloorDb) {
  const float bin_hz = stft_.bin_hz();
  const float nyquist = params.sample_rate * 0.5f;
  note_filters_.resize(kNoteBins);
  for (int i = 0; i < kNoteBins; ++i) {
    const float c = note_bin_hz(i);
    triangle(std::min(note_bin_hz(i - 1), nyquist), std::min(c, nyquist), std::min(note_bin_hz(i + 1), nyquist),
             bin_hz, stft_.bins(), note_filters_[std::size_t(i)].first, note_filters_[std::size_t(i)].weights);
  }
  mel_low_ = hz_to_mel(kMelLowHz);
  mel_high_ = hz_to_mel(std::min(kMelHighHz, nyquist));
  mel_filters_.resize(std::size_t(params.mel_bands));
  const float step = (mel_high_ - mel_low_) / float(params.mel_bands + 1);
  for (int b = 0; b < params.mel_bands; ++b) {
    triangle(mel_to_hz(mel_low_ + step * float(b)), mel_to_hz(mel_low_ + step * float(b + 1)),
             mel_to_hz(mel_low_ + step * float(b + 2)), bin_hz, stft_.bins(), mel_filters_[std::size_t(b)].first,
             mel_filters_[std::size_t(b)].weights);
  }
  // Linear rows: triangles one row wide (at and above Nyquist they stay at the floor's last bins).
  linear_filters_.resize(kLinearBins);
  const float row_hz = kLinearHighHz / float(kLinearBins);
  for (int i = 0; i < kLinearBins; ++i) {
    const float f = linear_bin_hz(i);
    triangle(std::min(std::max(f - row_hz, 0.0f), nyquist), std::min(f, nyquist), std::min(f + row_hz, nyquist), bin_hz,
             stft_.bins(), linear_filters_[std::size_t(i)].first, linear_filters_[std::size_t(i)].weights);
  }
}

float SpectrogramColumn::mel_band_hz(int band) const {
  const float step = (mel_high_ - mel_low_) / float(params_.mel_bands + 1);
  return mel_to_hz(mel_low_ + step * float(band + 1));
}

bool SpectrogramColumn::push(std::span<const float> block) {
  const std::size_t n = history_.size();
  const std::size_t take = std::min(block.size(), n);
  std::memmove(history_.data(), history_.data() + take, (n - take) * sizeof(float));
  std::memcpy(history_.data() + (n - take), block.data() + (block.size() - take), take * sizeof(float));
  for (float* v = history_.data() + (n - take); v != history_.data() + n; ++v) {
    if (!std::isfinite(*v)) *v = 0.0f;
  }
  since_ += int(block.size());
  if (since_ < params_.hop) return false;
  since_ %= params_.hop;

  const std::span<const float> mag = stft_.compute(history_);
  const auto apply = [&](const std::vector<Filter>& filters, float* out) {
    for (std::size_t i = 0; i < filters.size(); ++i) {
      float power = 0;
      const Filter& f = filters[i];
      for (std::size_t k = 0; k < f.weights.size(); ++k) {
        const float m = mag[std::size_t(f.first) + k];
        power += f.weights[k] * m * m;
      }
      out[i] = power > 1e-10f ? std::max(10.0f * std::log10(power), kFloorDb) : kFloorDb;
    }
  };
  apply(note_filters_, column_.data());
  apply(mel_filters_, column_.data() + kNoteBins);
  apply(linear_filters_, column_.data() + kNoteBins + params_.mel_bands);
  return true;
}

}  // namespace etude::dsp
