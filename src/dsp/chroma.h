#pragma once
// Chroma and bass chroma from a log-frequency (semitone) spectrum of spectral peaks, with running
// tuning estimation: each interpolated STFT peak adds its power to the nearest semitone (after removing
// the estimated tuning) with a cos^2 weight, as in HPCP; semitones are folded into 12 pitch classes
// (C = index 0), square-rooted and normalised to a maximum of 1. Tuning follows spectral peaks: the magnitude-weighted circular mean of
// their deviation from equal temperament (A4 = 440 Hz), with exponential forgetting.
// The chord classifier reads chroma and bass_chroma. Allocation only at construction.

#include <array>
#include <span>
#include <vector>

#include "dsp/feature_frame.h"

namespace etude::dsp {

// The semitone spectrum behind the chroma, before folding to pitch classes (kSemitoneLowMidi, kSemitoneBins:
// feature_frame.h).
using SemitoneSpectrum = std::array<float, kSemitoneBins>;

struct ChromaParams {
  float sample_rate = 48000.0f;  // Hz, valid 16000..96000
  int frame_size = 8192;         // Stft frame feeding process(), valid 1024..32768
  int min_midi = 40;             // treble chroma range (E2..B6), valid 12..120
  int max_midi = 95;
  int bass_min_midi = 28;        // bass chroma range (E1..B3)
  int bass_max_midi = 59;
  float tuning_time_s = 10.0f;   // memory of the tuning estimate, valid 0.1..1000
  float frame_rate = 23.4375f;   // process() calls per second (for the tuning memory), valid 0.5..2000
  float silence_dbfs = -70.0f;   // below this the chroma is all zero

  const char* validate() const;  // nullptr when valid
};

struct ChromaFrame {
  std::array<float, 12> chroma{};
  std::array<float, 12> bass{};
  float tuning_cents = 0;  // estimated deviation of the reference from A4 = 440 Hz, -50..50
};

class Chroma {
 public:
  explicit Chroma(const ChromaParams& params);  // params must validate()

  const ChromaFrame& process(std::span<const float> magnitude);
  const ChromaFrame& result() const { return result_; }
  // The chroma describes its Stft frame's centre, latency_samples() (at params.sample_rate) before the
  // frame's newest sample; the tuning estimate also remembers earlier frames (ChromaParams::tuning_time_s).
  int latency_samples() const { return params_.frame_size / 2; }
  // The last process() call's semitone spectrum, E1..B6: the square root of each semitone's power (the
  // same compression as the chroma), normalised to a maximum of 1; all zero when the chroma is.
  const SemitoneSpectrum& semitones() const { return semitones_out_; }
  void reset();
  // Fix the tuning (offline: estimate over the whole file first, then compute chroma with it).
  void set_tuning_cents(float cents);
  float tuning_cents() const { return result_.tuning_cents; }
  // Updates only the tuning estimate from this frame's spectral peaks.
  void observe_tuning(std::span<const float> magnitude);

 private:
  ChromaParams params_;
  float bin_hz_;
  int first_bin_, last_bin_;
  void find_peaks(std::span<const float> magnitude);
  double band_power(std::span<const float> magnitude) const;
  bool silent(double band_power) const;
  void update_tuning(std::span<const float> magnitude, double band_power);  // from find_peaks()'s peaks
  std::vector<float> peak_pitch_;  // MIDI pitch (A4 = 440 Hz) of this frame's spectral peaks
  std::vector<float> peak_power_;
  int peak_count_ = 0;
  std::vector<float> log_magnitude_;  // scratch: fast_ln of the bins find_peaks() reads
  std::vector<float> semitone_;   // power per MIDI note 0..127
  SemitoneSpectrum semitones_out_{};
  double tuning_re_ = 0, tuning_im_ = 0, decay_;
  bool tuning_fixed_ = false;
  ChromaFrame result_;
};

}  // namespace etude::dsp
