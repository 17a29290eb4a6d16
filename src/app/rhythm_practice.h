#pragma once
// Rhythm practice: each onset the student plays is matched to the nearest metronome beat and
// judged early or late in milliseconds, after subtracting the device's measured delay; bars get a
// summary. Times are audio frames of the shared AudioContext. Fixed-size storage.

#include <array>
#include <cstddef>

namespace etude::app {

struct RhythmHit {
  int bar = 0;
  int beat = 0;
  float offset_ms = 0;  // negative = early, positive = late
};

struct BarSummary {
  int bar = 0;
  int beats = 0;          // beats in the bar
  int hits = 0;           // beats that had a note
  float mean_ms = 0;      // average offset: the tendency to rush (<0) or drag (>0)
  float mean_abs_ms = 0;  // average distance from the beat
};

class RhythmPractice {
 public:
  static constexpr float kOnTimeMs = 30.0f;  // within this a hit counts as on time
  static constexpr std::size_t kKeep = 16;

  void start(double sample_rate, float latency_ms);
  void stop() { running_ = false; }
  bool running() const { return running_; }

  // Beats as the metronome schedules them; onsets as the analyser hears them (uncorrected).
  // Each returns true when a hit or a bar summary was added.
  bool add_beat(double frame, int bar, int beat, double frames_per_beat);
  bool add_onset(double frame);

  // Newest last.
  std::size_t hit_count() const { return hits_n_; }
  const RhythmHit& hit(std::size_t i) const { return hits_[(hits_head_ + kKeep - hits_n_ + i) % kKeep]; }
  bool has_summary() const { return has_summary_; }
  const BarSummary& last_summary() const { return summary_; }
  float latency_ms() const { return latency_ms_; }

 private:
  struct PendingBeat {
    double frame = 0;
    int bar = 0, beat = 0;
    bool matched = false;
  };
  struct PendingOnset {
    double frame = 0;  // corrected for the device delay
    bool matched = false;
  };
  bool match();
  void close_bar();

  bool running_ = false;
  double rate_ = 48000.0;
  float latency_ms_ = 0;
  double half_beat_frames_ = 12000.0;
  std::array<PendingBeat, 8> beats_{};
  std::size_t beats_head_ = 0, beats_n_ = 0;
  std::array<PendingOnset, 8> onsets_{};
  std::size_t onsets_head_ = 0, onsets_n_ = 0;
  std::array<RhythmHit, kKeep> hits_{};
  std::size_t hits_head_ = 0, hits_n_ = 0;
  // The bar being collected.
  int bar_ = -1000, bar_beats_ = 0, bar_hits_ = 0;
  double bar_sum_ = 0, bar_abs_ = 0;
  BarSummary summary_;
  bool has_summary_ = false;
};

}  // namespace etude::app
