#pragma once
// Instrument presets for the tuner and pitch trace: the range a student's instrument plays (in
// concert pitch) and its transposition, so a B♭ clarinettist reads the note they see on their part.

#include <span>
#include <string_view>

namespace etude::music {

struct Instrument {
  std::string_view id;    // stable key for settings ("clarinet-bb")
  std::string_view name;  // shown to the student
  int transposition;      // semitones from concert to written pitch: written = concert + transposition
  int low_midi;           // lowest usual concert pitch
  int high_midi;          // highest usual concert pitch
};

// All presets; the first is "Voice / any instrument (concert pitch)".
std::span<const Instrument> instruments();
// The preset with this id, or the first preset when there is none.
const Instrument& instrument_by_id(std::string_view id);

// The pitch search range the live analyser should use for this instrument: its usual range widened
// by two semitones each way (a student's sharp top note still reads), in Hz at A4 = 440.
// {0, 0} for the first preset ("any"), which keeps the analyser's default range.
struct PitchRange {
  float min_hz = 0;
  float max_hz = 0;
};
PitchRange pitch_search_range(const Instrument& instrument);

// "in B♭", "in E♭", "in F", "" for concert-pitch instruments (octave transpositions count as concert).
std::string_view transposition_name(int transposition);

}  // namespace etude::music
