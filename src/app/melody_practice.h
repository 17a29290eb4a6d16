#pragma once
// Practising a generated melody against the pitch line: the melody's notes are targets in time
// after a count-in; every analysis frame and onset the student makes is collected, and when the
// melody has ended each note gets a result: in tune (within ±50 cents for at least half of the
// note's time) and how early or late it started, in ms, after subtracting the device's measured
// delay (as rhythm practice does). Times are AudioContext frames, as the analyser hears them.
// A note with no spectral onset near it (legato, slow attacks) starts where its pitch arrives,
// moved back to the attack in front of it by dsp::locate_onset (the pitch settles 30-150 ms late).

#include <cstddef>
#include <string>
#include <vector>

#include "music/melody.h"

namespace etude::app {

struct NoteResult {
  int event = 0;              // index into Melody::events
  int midi = 60;              // the target
  float in_tune_fraction = 0; // share of the note's time sung within ±kInTuneCents of the target
  float voiced_fraction = 0;  // share of the note's time with a confident pitch at all
  float median_cents = 0;     // median deviation of the confident frames near the target (0 when none)
  bool in_tune = false;       // in_tune_fraction >= 0.5
  bool started = false;       // a start was found near the note's time
  float start_ms = 0;         // negative early, positive late
};

struct SungPoint {
  float step = 0;  // time in 16th steps from the melody's first step (after the delay correction)
  float midi = 0;  // fractional MIDI; 0 = unvoiced
};

class MelodyPractice {
 public:
  static constexpr float kInTuneCents = 50.0f;
  static constexpr float kConfident = 0.5f;   // pitch confidence that counts as sung
  static constexpr double kTailS = 0.6;       // listening on after the last note's end
  static constexpr double kStartWindowS = 0.25;
  static constexpr double kMaxFrameRate = 200.0;  // the live hop gives 172-188 frames/s; storage is sized for this

  // first_step_frame: the AudioContext frame where step 0 sounds (after the count-in).
  void start(const music::Melody& melody, double first_step_frame, double frames_per_step, double sample_rate,
             float latency_ms);
  void stop();
  bool running() const { return running_; }
  bool finished() const { return finished_; }

  // One analysis frame: its AudioContext frame (uncorrected), fractional MIDI (0 = unvoiced),
  // confidence, onset strength and level (FeatureFrame::onset_strength, rms_dbfs). Frames come
  // evenly spaced (the live hop); their spacing sets the onset locator's frame rate. Returns true
  // when this frame completed the exercise (results() are ready).
  bool add_frame(double frame, float midi, float confidence, float onset_strength, float level_dbfs);
  void add_onset(double frame);

  // The position now, in steps from step 0 (negative during the count-in), corrected for the delay.
  double step_at(double frame) const;
  const music::Melody& melody() const { return melody_; }
  double seconds_per_step() const { return frames_per_step_ / rate_; }
  double first_step_frame() const { return first_step_frame_; }
  float latency_ms() const { return latency_ms_; }
  const std::vector<SungPoint>& sung() const { return sung_; }
  const std::vector<NoteResult>& results() const { return results_; }
  // "7 of 9 notes in tune; starts 35 ms late on average." (after finished()).
  std::string summary() const;

 private:
  void score();

  music::Melody melody_;
  double first_step_frame_ = 0, frames_per_step_ = 1, rate_ = 48000;
  float latency_ms_ = 0;
  bool running_ = false, finished_ = false;
  std::vector<SungPoint> sung_;
  std::vector<float> confidence_;
  std::vector<float> onset_strength_, level_dbfs_;  // one per sung_ point, for dsp::locate_onset
  std::vector<double> onsets_;  // in steps, corrected
  std::vector<NoteResult> results_;
};

}  // namespace etude::app
