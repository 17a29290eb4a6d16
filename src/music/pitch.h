#pragma once
// Pitch names and tuning arithmetic: Hz <-> MIDI, the nearest equal-tempered note and its cents offset.

#include <string>

namespace etude::music {

inline constexpr float kDefaultA4Hz = 440.0f;

// Fractional MIDI number of a frequency (69 = A4). hz must be > 0.
double midi_from_hz(double hz, double a4_hz = kDefaultA4Hz);
double hz_from_midi(double midi, double a4_hz = kDefaultA4Hz);

struct NoteReading {
  int midi = 0;          // nearest equal-tempered note
  int pitch_class = 0;   // 0 = C .. 11 = B
  int octave = 0;        // scientific pitch notation: C4 = MIDI 60
  float cents = 0;       // -50..+50, positive = sharp
};

NoteReading read_note(double hz, double a4_hz = kDefaultA4Hz);

// "C", "C♯", ... using sharps (the tuner's convention); ascii=true gives "C#".
const char* pitch_class_name(int pitch_class, bool ascii = false);
// "A4", "C♯5".
std::string note_name(int midi, bool ascii = false);

}  // namespace etude::music
