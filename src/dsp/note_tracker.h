#pragma once
// Notes from the frame stream: a note starts on the first voiced frame, ends after unvoiced_gap_s of
// unvoiced frames, and is split (a new onset) by a spectral onset inside it or by a pitch change: the
// pitch held pitch_change_cents or more away from the note's mean, on one side, for pitch_change_s
// (legato playing and singing have no spectral attack). Vibrato around the note's
// mean does not split it because no excursion holds that long. Note pitch: mean of the frames' MIDI
// pitch after the attack, reported as the nearest MIDI note and its cents offset.
// Allocation only at construction; push() never allocates.

#include <cstdint>

namespace etude::dsp {

struct NoteTrackerParams {
  float frame_rate = 93.75f;         // frames per second, valid 5..2000
  float min_note_s = 0.05f;          // shorter notes are dropped, valid 0..1
  float unvoiced_gap_s = 0.03f;      // valid 0..1
  float pitch_change_cents = 75.0f;  // valid 20..1200
  float pitch_change_s = 0.08f;      // valid 0..1
  // Split a note at a pitch change (above). Off: only onsets and unvoiced gaps split notes (`etude analyze
  // notes`, whose onsets already hold the pitch changes that have an attack in front of them).
  bool pitch_changes = true;

  const char* validate() const;  // nullptr when valid
};

struct Note {
  float onset_s = 0;
  float offset_s = 0;
  int midi = 0;
  float cents = 0;             // mean pitch re the MIDI note, -50..50
  bool pitch_change_onset = false;  // started by a pitch change inside a voiced stretch (legato)
  bool voicing_onset = false;       // started by voicing after silence or an unvoiced gap (no spectral onset needed)
};

class NoteTracker {
 public:
  explicit NoteTracker(const NoteTrackerParams& params);  // params must validate()

  // One frame: its time, tracked f0 (0 = unvoiced) and whether a spectral onset was picked there.
  // Returns true when a note has ended; read it with note().
  bool push(float time_s, float f0_hz, bool onset);
  // Ends the current note at end_s (end of stream). Returns true when that completes a note.
  bool finish(float end_s);
  const Note& note() const { return finished_; }
  // The note being tracked (its onset_s and what started it) while active(); the live onset cues
  // (LiveOnsetCues) copy the tracker, push the pending frames into the copy and read the note it opens.
  bool active() const { return active_; }
  const Note& current() const { return current_; }
  void reset();

 private:
  bool close(float end_s);
  void open(float time_s, float midi, bool by_pitch_change);

  NoteTrackerParams params_;
  int attack_frames_, gap_frames_, change_frames_;
  bool active_ = false;
  Note current_;
  double pitch_sum_ = 0;
  int pitch_count_ = 0, frames_in_note_ = 0, unvoiced_run_ = 0;
  float last_voiced_time_ = 0;
  // A pitch excursion that may become a new note.
  int excursion_frames_ = 0;
  float excursion_start_s_ = 0, excursion_first_midi_ = 0;
  double excursion_sum_ = 0;
  Note finished_;
  float frame_s_;
};

}  // namespace etude::dsp
