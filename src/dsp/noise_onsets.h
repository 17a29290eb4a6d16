#pragma once
// Offline onsets of noise-like attacks (closed hi-hats, shakers, rim clicks) buried in steady broadband
// noise, for `etude analyze onsets` on a file whose noise floor is known (NoiseProfile::floor_power()).
// SuperFlux compares log band energies frame to frame; under white noise at 10 dB SNR a hat 5-12 dB
// below the noise moves it no more than the noise itself does. Summed over every bin of a wide
// high band (3-20 kHz), each bin's power in units of its own noise mean, and over a few frames, the same
// hat stands 4-6 standard deviations above the noise: an energy detector, the classic answer to a
// faint broadband signal in known Gaussian noise.
//
// Pass 2 (NoiseBandEnergy): streams the file again, one value per hop: the mean over the band's bins of
// min(power / noise mean, cap), leaving out bins that held a tone over the reference frames (a held note's
// partials, which vibrato and bowing move by far more than the noise does).
// Then pick_noise_onsets(): a frame is an onset when the mean of the values over it and the next
// attack_frames - 1 frames stands `threshold` standard deviations of the noise above the noise's level and
// `rise` standard deviations above the mean of the reference frames before it, and is the largest within
// peak_frames either side. The noise's level and standard deviation are the file's own: read from the
// 10th and 30th percentiles of those means (the quietest frames are noise alone, which is near Gaussian).
// Not for the live path (it needs the whole file twice).

#include <algorithm>
#include <complex>
#include <span>
#include <vector>

#include "dsp/fft.h"
#include "dsp/hop_framer.h"

namespace etude::dsp {

// Defaults chosen on the development sets only (bench/RESULTS.md, "Follow-up ... (branch `pnoise`)").
struct NoiseOnsetParams {
  float sample_rate = 44100.0f;
  int frame_size = 2048;         // the NoiseProfile's frame (SpectralGateParams::frame_size()), valid 256..32768
  int hop = 512;                 // samples between values, valid 16..frame_size
  float floor_percentile = 0.3f; // the percentile NoiseProfile took: noise power is exponential per bin, so its
                                 // mean is that percentile / -ln(1 - percentile); valid 0.01..0.99
  float min_hz = 3000.0f;        // the band, valid 20..max_hz
  float max_hz = 20000.0f;       // clamped to Nyquist
  float cap = 4.0f;              // a bin counts at most this many noise means, valid 1..1000
  float tonal_above = 3.0f;      // a bin whose reference mean, or a neighbour's within tonal_bins, exceeds this
  int tonal_bins = 2;            // many noise means is left out (a held partial), valid 1..1000 and 0..64
  float ref_lag_s = 0.023f;       // the reference: ref_s of frames ending ref_lag_s before the frame (whose
  float ref_s = 0.116f;           // window then overlaps the frame's by at most half), valid 0.001..1, 0.001..3
  float attack_s = 0.035f;        // frames averaged from the candidate on, valid 0.001..1
  float threshold = 5.0f;         // over the noise's level, in its standard deviations, valid 0..1000
  float rise = 1.0f;              // over the reference frames' mean, in the same units, valid 0..1000
  float peak_s = 0.046f;          // the largest within this span either side, valid 0..3
  float coverage = 0.5f;          // a frame decides only where at least this share of the band's bins is not
                                  // tonal (a rich held tone leaves too few for an energy detector), valid 0..1
  const char* validate() const;  // nullptr when valid
  // Value k describes the window ending at sample (k + 1) * hop; its centre, in seconds:
  float time_s(int k) const { return float(double(k + 1) * hop - frame_size / 2) / sample_rate; }
  // The first value whose window lies wholly inside the file.
  int first_full() const { return (frame_size + hop - 1) / hop - 1; }
  // The spans above in values (hops), at least 1 (peak: at least 0).
  int frames(float seconds) const;
  int ref_lag() const { return std::max(1, frames(ref_lag_s)); }
  int ref_frames() const { return std::max(1, frames(ref_s)); }
  int attack_frames() const { return std::max(1, frames(attack_s)); }
  int peak_frames() const { return frames(peak_s); }
};

class NoiseBandEnergy {
 public:
  // noise_power: NoiseProfile::floor_power() of the same file (frame_size / 2 + 1 bins).
  NoiseBandEnergy(const NoiseOnsetParams& params, std::span<const float> noise_power);
  // Appends one value per completed hop to values().
  void push(std::span<const float> samples);
  const std::vector<float>& values() const { return values_; }
  // Per value: the share of the band's bins that were not tonal.
  const std::vector<float>& coverage() const { return coverage_; }

 private:
  void run_frame(std::span<const float> frame);
  NoiseOnsetParams params_;
  RealFft fft_;
  int lo_ = 0, bins_ = 0;               // the band: FFT bins [lo_, lo_ + bins_)
  std::vector<float> inverse_mean_;     // per band bin: 1 / noise mean
  std::vector<float> window_;
  HopFramer framer_;
  std::vector<float> windowed_;
  std::vector<std::complex<float>> spectrum_;
  std::vector<float> history_;          // ring of (ref_lag + ref_frames) rows of band powers / noise mean
  std::vector<float> reference_, tonal_;
  long frames_ = 0;
  std::vector<float> values_, coverage_;
};

// The values' indices that are onsets (ascending). Values before first_full() are never onsets and never a
// reference; fewer than 20 usable values give none.
std::vector<int> pick_noise_onsets(std::span<const float> values, std::span<const float> coverage, const NoiseOnsetParams& params);

}  // namespace etude::dsp
