#pragma once
// SuperFlux onset detection (Böck & Widmer 2013): log-magnitude spectral flux over a logarithmic
// filterbank, where each band is compared with the maximum of its neighbours `diff_frames` earlier,
// so vibrato and glides (energy moving between adjacent bands) do not read as new notes.
// Online peak picking: a frame is an onset when it is the local maximum over
// [pre_max .. +decision delay], exceeds mean_factor times the moving mean over [pre_avg .. +decision
// delay] by delta,
// comes at least `combine_s` after the previous onset, and holds more high-frequency content (HFC: the
// power of each bin times its index) than the frame it was compared with (a note's end splatters energy
// into empty bands too, but its HFC falls; weighting by frequency keeps a loud low tail, a kick's in a
// reverberant room, from hiding a hi-hat over it, as the plain total power did). Such a note's end does not
// count against the local maximum either when the sound fell silent between it and the frame (a detached
// note 30-40 ms after the previous one's stop). Decisions arrive decision_delay frames late.
// Allocation only at construction; process() never allocates.

#include <span>
#include <vector>

#include "dsp/filterbank.h"

namespace etude::dsp {

struct OnsetParams {
  float sample_rate = 48000.0f;   // Hz, valid 16000..96000
  int frame_size = 2048;          // STFT frame feeding process(), valid 256..32768
  int hop = 512;                  // samples between frames, valid 16..8192
  int bands_per_octave = 24;      // valid 3..48
  float min_hz = 30.0f;           // filterbank range, valid 20..1000
  float max_hz = 17000.0f;        // clamped to Nyquist
  float compression = 512.0f;     // log10(1 + compression * magnitude); 512 matches madmom's SuperFlux for a 2048 frame, valid 1..1e9
  int max_filter_bands = 3;       // vibrato suppression width in bands (odd), valid 1..9
  float delta = 1.1f;             // how far above the (scaled) moving mean a peak must rise, valid 0..100
  float mean_factor = 2.0f;       // threshold = mean_factor * moving mean + delta; above 1 it rides over
                                  // the flux that broadband noise keeps up (SuperFlux uses 1), valid 1..10
  float pre_avg_s = 0.10f;        // moving mean span before the frame, valid 0..1
  float pre_max_s = 0.03f;        // local-maximum span before the frame, valid 0..1
  float decision_delay_s = 0.025f;  // look-ahead for the maximum and mean, valid 0..0.03
  float combine_s = 0.03f;        // minimum gap between onsets, valid 0..1

  const char* validate() const;  // nullptr when valid
  int decision_delay_frames() const;
  // Frames between a frame and the one it is compared with (their windows overlap by at most half).
  int diff_frames() const;
  // Frames centred before this time (seconds from the stream's first sample) compare their spectrum,
  // diff_frames() back, with the silence an analyser assumes before the stream: sound already there at the
  // start reads as an onset in them.
  float compared_with_silence_until_s() const;
};

class OnsetDetector {
 public:
  explicit OnsetDetector(const OnsetParams& params);  // params must validate()

  // Feeds the magnitude spectrum (frame_size/2+1 bins, Stft scaling) of the next frame; returns its
  // onset strength (the SuperFlux value). onset_decided() then says whether the frame
  // decision_delay_frames() back is an onset.
  float process(std::span<const float> magnitude);
  bool onset_decided() const { return decided_; }
  int decision_delay_frames() const { return post_; }
  float strength() const { return strength_; }
  int bands() const { return int(band_start_.size()); }
  void reset();

 private:
  OnsetParams params_;
  // Triangular log-frequency filters, stored sparsely: band b covers bins [band_start_[b], +weights).
  std::vector<int> band_start_;
  std::vector<int> band_offset_;   // into weights_
  std::vector<int> band_length_;
  std::vector<float> weights_;
  FilterBank bank_;                // the same filters, for process()
  int diff_frames_;
  std::vector<float> history_;     // (diff_frames_ + 1) rows of bands() log energies, ring
  std::vector<float> reference_;   // scratch: per band, what process() compares it with (then its flux)
  std::vector<float> odf_;         // ring of recent onset strengths
  std::vector<float> level_;       // the same frames' high-frequency content (sum of bin index x power)
  std::vector<unsigned char> rising_;  // level above the compared frame's
  std::vector<float> bin_index_;   // 0, 1, 2, ...: the HFC weights, one per bin
  int pre_avg_, pre_max_, post_, combine_;
  long frame_ = 0;
  long last_onset_ = -1000000;
  float strength_ = 0;
  bool decided_ = false;
};

}  // namespace etude::dsp
