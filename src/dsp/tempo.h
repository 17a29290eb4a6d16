#pragma once
// Tempo from the onset-strength envelope (SuperFlux values, one per hop) by autocorrelation weighted
// with a log-normal prior that picks the metrical level, with parabolic refinement of the period;
// confidence is the normalised autocorrelation at that period. The prior is centred on 150 BPM, one
// octave wide: on bench/accuracy's two development sets (36 drum patterns and click tracks at 60-179
// BPM, five conditions; bench/accuracy/tune_tempo.py) it read every tempo at the notated level, where
// 120 halved patterns above 150 BPM (kick and snare make the half tempo fit almost as well) and 155
// doubled 60 BPM. Known cost: a slow beat (60-70 BPM) with off-beats nearly as strong as the beats reads
// at double tempo (tests/unit/dsp/test_tempo.cpp pins both sides). Beats: Ellis's dynamic programme (2007), offline.
// TempoEstimator keeps the last window_s of the envelope and never allocates after construction;
// estimate_tempo() and track_beats() are offline helpers for the CLI (they allocate).

#include <span>
#include <vector>

namespace etude::dsp {

struct TempoParams {
  float frame_rate = 93.75f;   // envelope values per second, valid 5..2000
  float min_bpm = 40.0f;       // valid 20..300
  float max_bpm = 240.0f;      // valid min_bpm*2..600
  float prior_bpm = 150.0f;    // centre of the log-normal prior (bench/accuracy/tune_tempo.py)
  float prior_octaves = 1.0f;  // its standard deviation in octaves, valid 0.1..10
  float window_s = 12.0f;      // streaming memory, valid 2..120
  float tightness = 100.0f;    // beat tracking: how strictly beats keep the period, valid 1..10000

  const char* validate() const;  // nullptr when valid
};

struct TempoEstimate {
  float bpm = 0;         // 0 when there is no periodicity at all
  float confidence = 0;  // 0..1
};

// Offline tempo of a whole envelope.
TempoEstimate estimate_tempo(std::span<const float> onset_strength, const TempoParams& params);

// Beat positions in frames (fractional = frame index), given the tempo.
std::vector<float> track_beats(std::span<const float> onset_strength, float bpm, const TempoParams& params);

class TempoEstimator {
 public:
  explicit TempoEstimator(const TempoParams& params);  // params must validate()
  void push(float onset_strength);
  TempoEstimate estimate();  // over the last window_s (allocation-free)
  // The estimate describes the whole window, so it stands for the window's middle: a change of tempo
  // shows about this many frames (window_s / 2) after it happens, sooner when the new tempo is nearer the
  // prior's centre (0.7-1.35 times this in tests/unit/dsp/test_tempo.cpp).
  int latency_frames() const { return int(ring_.size() / 2); }
  void reset();

 private:
  TempoParams params_;
  std::vector<float> ring_;
  std::vector<float> ordered_;
  std::vector<float> smoothed_;
  std::vector<float> acf_;
  std::size_t next_ = 0, filled_ = 0;
};

}  // namespace etude::dsp
