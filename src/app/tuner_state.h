#pragma once
// What the tuner shows, derived from the stream of FeatureFrames: the current note, its cents offset
// (lightly smoothed while the note holds), the input level, and the sentence a screen reader hears.
// No ImGui and no browser here, so it is unit-tested natively.

#include <string>

#include "dsp/feature_frame.h"
#include "music/pitch.h"

namespace etude::app {

struct TunerSettings {
  float a4_hz = music::kDefaultA4Hz;  // reference pitch, 415..466 Hz
  float min_confidence = 0.8f;        // frames below this are not trusted as pitched
  float min_level_dbfs = -60.0f;      // quieter frames are treated as silence
  float hold_s = 0.6f;                // keep showing the last note this long after it stops
  // Time constant of the cents smoothing while a note holds: a singer's 5.5 Hz vibrato of ±15 cents
  // shows as its centre ±2.8 cents instead of a swinging needle; a new note is shown at once.
  float smoothing_s = 0.15f;
  int transposition = 0;              // semitones, written = concert + transposition (music::Instrument)
  // Hysteresis: a different nearest note replaces the shown one only after confirm_frames frames
  // in a row, or at once when it is more than switch_cents away from the shown note (a real leap).
  int confirm_frames = 2;
  float switch_cents = 65.0f;
};

struct TunerReading {
  bool has_note = false;
  music::NoteReading note;  // concert pitch, valid when has_note
  int written_midi = 0;     // the note as written for the instrument (note.midi + transposition)
  float f0_hz = 0;          // smoothed, valid when has_note
  float level_dbfs = dsp::kSilenceDbfs;
  float confidence = 0;
};

class TunerState {
 public:
  explicit TunerState(TunerSettings settings = {}) : settings_(settings) {}

  // Returns true when what the tuner shows has changed (so the screen needs drawing).
  bool on_frame(const dsp::FeatureFrame& frame);
  void reset();

  const TunerReading& reading() const { return reading_; }
  const TunerSettings& settings() const { return settings_; }
  void set_a4_hz(float hz);
  void set_transposition(int semitones);

  // "A 4, 3 cents sharp", "C sharp 5, in tune", "No note" (the written note). Rounded to whole cents so it changes calmly.
  std::string spoken() const;

 private:
  TunerSettings settings_;
  TunerReading reading_;
  float last_voiced_s_ = -1e9f;
  int pending_midi_ = -1;  // a different nearest note waiting for confirmation
  int pending_frames_ = 0;
};

}  // namespace etude::app
