#pragma once
// One spectrogram column per hop, for the live spectrogram: Hann-windowed magnitude spectrum of the
// newest window, in dB (0 dB = full-scale sine, floored at kFloorDb), resampled to three frequency
// scales: `notes` (two bins per semitone from A0, so rows line up with note names), `mel` (bands
// evenly spaced in mel) and `linear` (evenly spaced in Hz up to 4 kHz, where a note's harmonics are
// evenly spaced lines). The three sit one after another in column(). Allocates at construction;
// push() never allocates, locks or throws.

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "dsp/stft.h"

namespace etude::dsp {

struct SpectrogramParams {
  float sample_rate = 48000.0f;  // Hz, valid 8000..192000
  int hop = 512;                 // samples between columns, valid 32..8192
  float window_s = 0.043f;       // analysis window, rounded to a power of two, valid 0.005..0.2
  int mel_bands = 96;            // valid 16..256

  const char* validate() const;  // nullptr when valid
};

class SpectrogramColumn {
 public:
  static constexpr float kFloorDb = -100.0f;
  static constexpr int kNoteBins = 176;  // A0 (27.5 Hz) .. G#8, two per semitone
  static constexpr float kLowestHz = 27.5f;
  static constexpr int kLinearBins = 128;  // 0 .. kLinearHighHz, 31.25 Hz apart
  static constexpr float kLinearHighHz = 4000.0f;

  explicit SpectrogramColumn(const SpectrogramParams& params);  // params must validate()

  // Feeds samples; returns true when a new column is ready (at most one per call: keep blocks <= hop).
  bool push(std::span<const float> block);
  std::span<const float> notes() const { return {column_.data(), kNoteBins}; }  // dB
  std::span<const float> mel() const { return {column_.data() + kNoteBins, std::size_t(params_.mel_bands)}; }
  std::span<const float> linear() const { return {column_.data() + kNoteBins + params_.mel_bands, kLinearBins}; }
  // notes, mel and linear, one after another.
  std::span<const float> column() const { return column_; }
  // Centre frequency of a note bin / mel band (for axis labels).
  static float note_bin_hz(int bin) { return kLowestHz * std::exp2(float(bin) / 24.0f); }
  static float linear_bin_hz(int bin) { return kLinearHighHz * float(bin) / float(kLinearBins); }
  float mel_band_hz(int band) const;
  // Where a frequency sits on the mel scale used at this rate, 0 (30 Hz) .. 1 (8 kHz or Nyquist).
  // Inline: the app labels the axis with it without linking the DSP.
  static float hz_to_mel(float hz) { return 2595.0f * std::log10(1.0f + hz / 700.0f); }
  static float mel_position(float hz, float sample_rate) {
    const float lo = hz_to_mel(kMelLowHz), hi = hz_to_mel(std::min(kMelHighHz, sample_rate * 0.5f));
    return (hz_to_mel(hz) - lo) / (hi - lo);
  }
  static constexpr float kMelLowHz = 30.0f;
  static constexpr float kMelHighHz = 8000.0f;

 private:
  SpectrogramParams params_;
  Stft stft_;
  std::vector<float> history_;
  int since_ = 0;
  std::vector<float> column_;
  // Each output bin is a weighted sum over FFT bins: (first bin, weights) per output bin.
  struct Filter {
    int first = 0;
    std::vector<float> weights;
  };
  std::vector<Filter> note_filters_, mel_filters_, linear_filters_;
  float mel_low_ = 0, mel_high_ = 0;
};

}  // namespace etude::dsp
