#pragma once
// Timbre descriptors of one frame: spectral centroid, spread, flatness, roll-off (from the Stft
// magnitude), zero-crossing rate (from the time signal), a mel spectrogram column (HTK mel scale,
// triangular filters, power) and MFCCs (orthonormal DCT-II of log10 mel power, as librosa).
// Allocation only at construction; process() never allocates.

#include <array>
#include <span>
#include <vector>

#include "dsp/filterbank.h"

namespace etude::dsp {

struct SpectralParams {
  float sample_rate = 48000.0f;  // Hz, valid 16000..96000
  int frame_size = 2048;         // Stft frame, valid 256..32768
  int mel_bands = 40;            // valid 8..128
  float mel_min_hz = 0.0f;       // valid 0..1000
  float mel_max_hz = 8000.0f;    // clamped to Nyquist
  float rolloff_fraction = 0.85f;  // valid 0.5..0.99

  const char* validate() const;  // nullptr when valid
};

inline constexpr int kMfccCount = 13;

struct SpectralFrame {
  float centroid_hz = 0;
  float spread_hz = 0;
  float flatness = 0;   // 0 (tonal) .. 1 (white noise)
  float rolloff_hz = 0;
  float zcr = 0;        // zero crossings per sample, 0..1
  std::array<float, kMfccCount> mfcc{};
};

class SpectralFeatures {
 public:
  explicit SpectralFeatures(const SpectralParams& params);  // params must validate()

  // magnitude: Stft::compute() of this frame (frame_size/2+1 bins); time: the newest samples for the ZCR (one hop).
  const SpectralFrame& process(std::span<const float> magnitude, std::span<const float> time);
  const SpectralFrame& result() const { return result_; }
  std::span<const float> mel_power() const { return mel_; }
  // Every descriptor but the ZCR describes its Stft frame's centre (Stft::latency_samples()); the ZCR
  // describes the newest hop, which is less.
  int latency_samples() const { return params_.frame_size / 2; }

 private:
  SpectralParams params_;
  float bin_hz_;
  std::vector<int> mel_start_, mel_length_, mel_offset_;
  std::vector<float> mel_weights_;
  FilterBank mel_bank_;  // the same bands, for process()
  std::vector<float> mel_;
  std::vector<float> log_mel_;
  static constexpr int kDctLanes = 16;  // kMfccCount rounded up to whole vectors
  std::vector<float> dct_;  // mel_bands x kDctLanes (coefficient c of band m at m * kDctLanes + c; zero-padded)
  std::vector<float> power_, moment_;  // per-bin scratch
  SpectralFrame result_;
};

}  // namespace etude::dsp
