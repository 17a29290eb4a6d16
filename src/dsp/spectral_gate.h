#pragma once
// Offline noise reduction for the whole-file pitch decoder (`etude analyze pitch`): a
// stationary noise floor per frequency bin, estimated as a low percentile of each bin's power over the
// file (NoiseProfile), and a spectral gate that scales every bin by max(1 - over * noise / power, floor)
// and resynthesises by overlap-add (SpectralGate). In white noise a decaying plucked note still stands
// far above the noise in its own bins while the noise spread over the whole band swamps its periodicity;
// the gate gives YIN its periodicity back. A tone held through the whole file would be its own "noise
// floor" but for the cap across frequency (smooth_bins); the caller keeps the level gate on the original
// signal. Not for the live path (it needs the whole file).
//
// Frames: the analysis spectrum's size (about 46 ms: 2048 at 44.1 and 48 kHz), periodic Hann analysis and
// synthesis windows, hop a quarter frame (the windows' squares then sum to 1.5 everywhere).

#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/fft.h"
#include "dsp/hop_framer.h"

namespace etude::dsp {

// Defaults chosen on the development sets only (bench/RESULTS.md, "Follow-up ... noise gate").
struct SpectralGateParams {
  float sample_rate = 44100.0f;
  float percentile = 0.3f;  // of each bin's power over the file: its noise floor
  float over = 6.0f;        // gain 1 - over * floor / power: a bin under `over` times its floor is turned down
  float floor = 0.1f;       // the smallest gain (-20 dB): what is left of the noise stays broadband, so it
                            // reads as unvoiced (at -60 dB the few noise peaks that pass read as pitch)
  int smooth_bins = 16;     // the floor is at most the median of the bins within this many on either side
  int gain_bins = 1;        // the gain reads the power averaged over 3 frames and this many bins either side
  const char* validate() const;
  int frame_size() const;
  int hop() const { return frame_size() / 4; }
};

// Pass 1: the frames' power spectra, sampled evenly: every frame until max_frames are kept, then every
// second one of those and of what follows, and so on (the length need not be known: an hour at 44.1 kHz
// keeps between 2,000 and 4,000 frames).
class NoiseProfile {
 public:
  explicit NoiseProfile(const SpectralGateParams& params, int max_frames = 4000);
  void push(std::span<const float> samples);
  int kept_frames() const { return int(kept_.size() / spectrum_.size()); }
  // The percentile of each bin's power over the kept frames (zeros when no frame was complete).
  std::vector<float> floor_power() const;
  // floor (floor_power()'s result) summed, over the kept frames' mean total power (0 when nothing was
  // kept): about 0.36 x noise / (signal + noise) for steady white noise, near 0 for a clean recording.
  float noise_to_signal(std::span<const float> floor) const;

 private:
  SpectralGateParams params_;
  RealFft fft_;
  std::vector<float> window_;
  HopFramer framer_;
  std::vector<float> windowed_;
  std::vector<std::complex<float>> spectrum_;
  int max_frames_;
  std::int64_t every_ = 1, frames_seen_ = 0;
  std::vector<float> kept_;  // frames x bins
};

// Pass 2: streams the gated signal, whole hops at a time: output sample k is input sample k - latency()
// gated (the first latency() outputs precede the input; latency() is a frame, as the gain of a frame reads
// the next frame's power too). To get the input's end out, process() latency() + hop() zeros after it.
class SpectralGate {
 public:
  SpectralGate(const SpectralGateParams& params, std::vector<float> noise_power);
  int latency() const { return frame_; }
  int hop() const { return hop_; }
  // Appends one hop of output to `out` for every hop of input completed.
  void process(std::span<const float> in, std::vector<float>& out);

 private:
  void run_frame(std::span<const float> frame, std::vector<float>& out);
  SpectralGateParams params_;
  int frame_, hop_;
  RealFft fft_;
  std::vector<float> noise_, window_;
  HopFramer framer_;
  std::vector<float> windowed_, resynth_, accumulator_, smoothed_;
  // The last three frames' spectra and powers: the middle one is gated once the newest is known.
  std::vector<std::complex<float>> spectrum_[3];
  std::vector<float> power_[3];
  int newest_ = 0;
};

}  // namespace etude::dsp
