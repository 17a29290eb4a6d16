#include "music/pitch.h"

#include <cmath>

namespace etude::music {

double midi_from_hz(double hz, double a4_hz) { return 69.0 + 12.0 * std::log2(hz / a4_hz); }

double hz_from_midi(double midi, double a4_hz) { return a4_hz * std::exp2((midi - 69.0) / 12.0); }

NoteReading read_note(double hz, double a4_hz) {
  const double m = midi_from_hz(hz, a4_hz);
  NoteReading r;
  r.midi = int(std::lround(m));
  r.cents = float((m - r.midi) * 100.0);
  r.pitch_class = ((r.midi % 12) + 12) % 12;
  r.octave = int(std::floor(r.midi / 12.0)) - 1;
  return r;
}

const char* pitch_class_name(int pitch_class, bool ascii) {
  static const char* const kUnicode[12] = {"C", "C\u266F", "D", "D\u266F", "E", "F",
                                           "F\u266F", "G", "G\u266F", "A", "A\u266F", "B"};
  static const char* const kAscii[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
  const int pc = ((pitch_class % 12) + 12) % 12;
  return ascii ? kAscii[pc] : kUnicode[pc];
}

std::string note_name(int midi, bool ascii) {
  const int pc = ((midi % 12) + 12) % 12;
  const int octave = int(std::floor(midi / 12.0)) - 1;
  return std::string(pitch_class_name(pc, ascii)) + std::to_string(octave);
}

}  // namespace etude::music
