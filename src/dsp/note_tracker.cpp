#include "dsp/note_tracker.h"

#include <algorithm>
#include <cmath>

namespace etude::dsp {

const char* NoteTrackerParams::validate() const {
  if (!(frame_rate >= 5.0f && frame_rate <= 2000.0f)) return "frame_rate must be 5..2000 frames/s";
  if (!(min_note_s >= 0.0f && min_note_s <= 1.0f)) return "min_note_s must be 0..1 s";
  if (!(unvoiced_gap_s >= 0.0f && unvoiced_gap_s <= 1.0f)) return "unvoiced_gap_s must be 0..1 s";
  if (!(pitch_change_cents >= 20.0f && pitch_change_cents <= 1200.0f)) return "pitch_change_cents must be 20..1200";
  if (!(pitch_change_s >= 0.0f && pitch_change_s <= 1.0f)) return "pitch_change_s must be 0..1 s";
  return nullptr;
}

NoteTracker::NoteTracker(const NoteTrackerParams& p)
    : params_(p),
      attack_frames_(std::max(1, int(std::lround(0.02f * p.frame_rate)))),
      gap_frames_(std::max(1, int(std::lround(p.unvoiced_gap_s * p.frame_rate)))),
      change_frames_(std::max(1, int(std::lround(p.pitch_change_s * p.frame_rate)))),
      frame_s_(1.0f / p.frame_rate) {}

void NoteTracker::reset() {
  active_ = false;
  unvoiced_run_ = 0;
  excursion_frames_ = 0;
}

void NoteTracker::open(float time_s, float midi, bool by_pitch_change) {
  active_ = true;
  current_ = Note{};
  current_.onset_s = time_s;
  current_.pitch_change_onset = by_pitch_change;
  pitch_sum_ = 0;
  pitch_count_ = 0;
  frames_in_note_ = 0;
  unvoiced_run_ = 0;
  excursion_frames_ = 0;
  (void)midi;
}

bool NoteTracker::close(float end_s) {
  active_ = false;
  current_.offset_s = end_s;
  if (pitch_count_ == 0 || end_s - current_.onset_s < params_.min_note_s) return false;
  const double mean = pitch_sum_ / pitch_count_;
  current_.midi = int(std::lround(mean));
  current_.cents = float(100.0 * (mean - current_.midi));
  finished_ = current_;
  return true;
}

bool NoteTracker::push(float time_s, float f0_hz, bool onset) {
  const bool voiced = f0_hz > 0.0f;
  const float midi = voiced ? float(69.0 + 12.0 * std::log2(f0_hz / 440.0)) : 0.0f;
  bool ended = false;
  if (!active_) {
    if (!voiced) return false;
    open(time_s, midi, false);
    current_.voicing_onset = true;
  } else if (!voiced) {
    if (++unvoiced_run_ >= gap_frames_) ended = close(last_voiced_time_ + frame_s_);
    return ended;
  } else if (onset && frames_in_note_ * frame_s_ >= params_.min_note_s) {
    // A new attack inside a voiced stretch: a repeated note, or a change with a spectral onset.
    ended = close(time_s);
    open(time_s, midi, false);
  } else if (params_.pitch_changes && pitch_count_ >= change_frames_) {
    // The mean is trustworthy now; look for a run of frames beyond the threshold on one side of it.
    const float mean = float(pitch_sum_ / pitch_count_);
    if (std::abs(midi - mean) * 100.0f >= params_.pitch_change_cents) {
      if (excursion_frames_ == 0 || (midi > mean) != (excursion_first_midi_ > mean)) {
        excursion_frames_ = 0;
        excursion_sum_ = 0;
        excursion_start_s_ = time_s;
        excursion_first_midi_ = midi;
      }
      ++excursion_frames_;
      excursion_sum_ += midi;
      if (excursion_frames_ >= change_frames_) {
        // The excursion's frames move from the old note to the new one.
        pitch_sum_ -= excursion_sum_ - midi;
        pitch_count_ -= excursion_frames_ - 1;
        const float start = excursion_start_s_;
        const double sum = excursion_sum_;
        const int count = excursion_frames_;
        ended = close(start);
        open(start, midi, true);
        pitch_sum_ = sum;
        pitch_count_ = count;
        frames_in_note_ = count;
        last_voiced_time_ = time_s;
        return ended;
      }
    } else {
      excursion_frames_ = 0;
    }
  }
  unvoiced_run_ = 0;
  last_voiced_time_ = time_s;
  ++frames_in_note_;
  // The first frames of a note carry the attack's pitch transient: the mean starts after them, except
  // that a note must have some pitch even when it is that short.
  if (frames_in_note_ == attack_frames_ + 1) {
    pitch_sum_ = 0;
    pitch_count_ = 0;
  }
  pitch_sum_ += midi;
  ++pitch_count_;
  return ended;
}

bool NoteTracker::finish(float end_s) {
  if (!active_) return false;
  return close(unvoiced_run_ > 0 ? last_voiced_time_ + frame_s_ : end_s);
}

}  // namespace etude::dsp
