#include "app/tuner_state.h"

#include <algorithm>
#include <cmath>

namespace etude::app {

void TunerState::reset() {
  reading_ = {};
  last_voiced_s_ = -1e9f;
  pending_midi_ = -1;
  pending_frames_ = 0;
}

void TunerState::set_transposition(int semitones) {
  settings_.transposition = semitones;
  reading_.written_midi = reading_.note.midi + semitones;
}

void TunerState::set_a4_hz(float hz) {
  settings_.a4_hz = std::clamp(hz, 415.0f, 466.0f);
  if (reading_.has_note) {
    reading_.note = music::read_note(reading_.f0_hz, settings_.a4_hz);
    reading_.written_midi = reading_.note.midi + settings_.transposition;
  }
}

bool TunerState::on_frame(const dsp::FeatureFrame& frame) {
  const TunerReading before = reading_;
  reading_.level_dbfs = frame.rms_dbfs;
  reading_.confidence = frame.confidence;

  const bool voiced = frame.f0_hz > 0 && frame.confidence >= settings_.min_confidence &&
                      frame.rms_dbfs >= settings_.min_level_dbfs;
  if (voiced) {
    const music::NoteReading fresh = music::read_note(frame.f0_hz, settings_.a4_hz);
    const bool same_note = reading_.has_note && fresh.midi == reading_.note.midi;
    bool take = !reading_.has_note || same_note;
    if (!take) {
      const double cents_from_shown = (music::midi_from_hz(frame.f0_hz, settings_.a4_hz) - reading_.note.midi) * 100.0;
      pending_frames_ = fresh.midi == pending_midi_ ? pending_frames_ + 1 : 1;
      pending_midi_ = fresh.midi;
      take = std::fabs(cents_from_shown) > settings_.switch_cents || pending_frames_ >= settings_.confirm_frames;
    }
    if (same_note) {
      // Same note: smooth in the log-frequency domain so cents move calmly (an exponential average
      // with a time constant, so it behaves the same at any hop).
      const double dt = std::clamp(double(frame.time_s - last_voiced_s_), 0.0, 1.0);
      const double a = settings_.smoothing_s > 0 ? 1.0 - std::exp(-dt / settings_.smoothing_s) : 1.0;
      const double m = music::midi_from_hz(reading_.f0_hz, settings_.a4_hz) * (1 - a) +
                       music::midi_from_hz(frame.f0_hz, settings_.a4_hz) * a;
      reading_.f0_hz = float(music::hz_from_midi(m, settings_.a4_hz));
    } else if (take) {
      reading_.f0_hz = frame.f0_hz;
    }
    if (take) {
      pending_midi_ = -1;
      pending_frames_ = 0;
      reading_.note = music::read_note(reading_.f0_hz, settings_.a4_hz);
      reading_.written_midi = reading_.note.midi + settings_.transposition;
      reading_.has_note = true;
    }
    last_voiced_s_ = frame.time_s;
  } else if (reading_.has_note && frame.time_s - last_voiced_s_ > settings_.hold_s) {
    reading_.has_note = false;
  }

  return before.has_note != reading_.has_note || before.written_midi != reading_.written_midi ||
         std::lround(before.note.cents) != std::lround(reading_.note.cents) ||
         std::lround(before.level_dbfs) != std::lround(reading_.level_dbfs);
}

std::string TunerState::spoken() const {
  if (!reading_.has_note) return "No note";
  // Spoken form: "A sharp 4", not the glyph a screen reader may skip.
  const int written = reading_.written_midi;
  std::string name = music::pitch_class_name(written % 12, /*ascii=*/true);
  if (name.size() == 2) name = name.substr(0, 1) + " sharp";
  name += " " + std::to_string(written / 12 - 1);
  const long cents = std::lround(reading_.note.cents);
  if (cents == 0) return name + ", in tune";
  const long magnitude = cents < 0 ? -cents : cents;
  return name + ", " + std::to_string(magnitude) + (magnitude == 1 ? " cent " : " cents ") +
         (cents > 0 ? "sharp" : "flat");
}

}  // namespace etude::app
