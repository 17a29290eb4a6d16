#pragma once
// Short practice melodies on a 16th-note grid: what a student asks for (MelodySpec), the melody
// itself (events that tile the phrase), how its notes are spelled in the key, how its durations are
// written on a staff, and how it is described in words. The generator model (src/ml) and the
// rule-based generator (music/rule_melody.h) both produce a Melody.
//
// The grid, metres and bar counts are those of the melody model (models/melody/common.py).

#include <cstdint>
#include <string>
#include <vector>

namespace etude::music {

enum class Mode { Major = 0, Minor = 1 };
// In the model's order (common.py METERS).
enum class Meter { TwoFour = 0, ThreeFour = 1, FourFour = 2, SixEight = 3 };
inline constexpr int kMeterCount = 4;

int steps_per_bar(Meter meter);   // 16ths: 8, 12, 16, 12
int steps_per_beat(Meter meter);  // 4 (a quarter), or 6 in 6/8 (a dotted quarter)
int beats_per_bar(Meter meter);   // counted beats: 2, 3, 4, 2
const char* meter_name(Meter meter);  // "2/4"
int meter_numerator(Meter meter);     // 2, 3, 4, 6
int meter_denominator(Meter meter);   // 4, 4, 4, 8

struct MelodySpec {
  int key = 0;  // tonic pitch class, C = 0
  Mode mode = Mode::Major;
  int difficulty = 1;  // 1..5
  Meter meter = Meter::FourFour;
  int bars = 2;             // 2..4
  int low = 60, high = 72;  // allowed MIDI range, inclusive

  int steps() const { return bars * steps_per_bar(meter); }
  // nullptr when valid, else what is wrong. The model knows MIDI 48..84 and ranges of 5+ semitones.
  const char* validate() const;
};

inline constexpr int kLowestMidi = 48, kHighestMidi = 84;  // C3..C6, the model's vocabulary

struct MelodyEvent {
  int start = 0;         // 16th step where it begins
  int steps = 1;         // length in 16ths
  int midi = -1;         // -1: a rest
  float confidence = 1;  // the generator's probability of the token that began it (1 for the rules)
  bool is_rest() const { return midi < 0; }
  bool operator==(const MelodyEvent&) const = default;
};

enum class MelodySource { Model, Rules };

struct Melody {
  MelodySpec spec;
  std::vector<MelodyEvent> events;  // in time order, tiling steps 0 .. spec.steps()
  MelodySource source = MelodySource::Rules;
  std::uint64_t seed = 0;

  int note_count() const;
  int notes_in_key() const;  // notes (not rests) whose pitch is in spec's key (in_key below)
};

// Is this pitch class in the key (major scale; minor = natural minor plus raised 6th and 7th, as the
// model's in-key metric counts it)?
bool in_key(int midi, int key, Mode mode);
// Key signature: sharps > 0, flats < 0 (F♯ major +6, E♭ minor -6; the usual choice for each tonic).
int key_fifths(int key, Mode mode);
// "G major", "E♭ minor" (ascii: "Eb minor").
std::string key_name(int key, Mode mode, bool ascii = false);

// A pitch as written: a letter (0 C .. 6 B), an alteration in semitones, and an octave (C4 = MIDI 60).
struct SpelledPitch {
  int letter = 0;
  int alter = 0;
  int octave = 4;
  int staff_step() const { return octave * 7 + letter; }  // diatonic position, for the staff
  bool operator==(const SpelledPitch&) const = default;
};
// Spells a MIDI pitch in a key: scale notes by the key; the raised 6th and 7th of minor as raised
// scale letters; other chromatic notes as sharps in sharp keys and flats in flat keys.
SpelledPitch spell(int midi, int key, Mode mode);
std::string spelled_name(const SpelledPitch& p, bool ascii = false);  // "B♭4"
// The alteration the key signature gives a letter (-1, 0, +1).
int key_signature_alter(int letter, int fifths);

// How a stretch of the grid is written: split at bar lines and into note values a student reads
// (16 whole, 12 dotted half, 8 half, 6 dotted quarter, 4 quarter, 3 dotted eighth, 2 eighth,
// 1 sixteenth), each starting where such a value may start in the metre. Pieces of a note are tied.
std::vector<int> written_values(int start, int steps, Meter meter);
// "quarter", "dotted eighth", "whole"; "" for a length that is not one written value.
const char* value_name(int steps);
// The length in words: "quarter", or "half tied to a quarter" when it takes more than one value.
std::string duration_words(int start, int steps, Meter meter);

// "G major, 4/4, 2 bars, notes from D4 to B4: G4 quarter, A4 eighth, rest quarter, …" (ascii names).
std::string describe(const Melody& melody);

}  // namespace etude::music
