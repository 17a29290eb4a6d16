#include "music/melody.h"

#include <algorithm>
#include <cstdlib>

namespace etude::music {
namespace {

constexpr int kNaturalPc[7] = {0, 2, 4, 5, 7, 9, 11};
constexpr char kLetters[] = "CDEFGAB";
constexpr int kMajorScale[7] = {0, 2, 4, 5, 7, 9, 11};
constexpr int kMinorScale[7] = {0, 2, 3, 5, 7, 8, 10};  // natural minor; 6th and 7th may be raised

struct Tonic {
  int letter, alter, fifths;
};
// For each tonic pitch class: the usual key's tonic spelling and signature.
constexpr Tonic kMajorTonic[12] = {{0, 0, 0},  {1, -1, -5}, {1, 0, 2},  {2, -1, -3}, {2, 0, 4},  {3, 0, -1},
                                   {3, 1, 6},  {4, 0, 1},   {5, -1, -4}, {5, 0, 3},  {6, -1, -2}, {6, 0, 5}};
constexpr Tonic kMinorTonic[12] = {{0, 0, -3}, {0, 1, 4},  {1, 0, -1}, {2, -1, -6}, {2, 0, 1},  {3, 0, -4},
                                   {3, 1, 3},  {4, 0, -2}, {4, 1, 5},  {5, 0, 0},   {6, -1, -5}, {6, 0, 2}};

int mod12(int v) { return ((v % 12) + 12) % 12; }
const Tonic& tonic(int key, Mode mode) { return (mode == Mode::Major ? kMajorTonic : kMinorTonic)[mod12(key)]; }
int wrap_alter(int semitones) {  // -6..5
  const int m = mod12(semitones);
  return m > 5 ? m - 12 : m;
}

std::string accidental(int alter, bool ascii) {
  switch (alter) {
    case -2: return ascii ? "bb" : "\u266D\u266D";
    case -1: return ascii ? "b" : "\u266D";
    case 1: return ascii ? "#" : "\u266F";
    case 2: return ascii ? "##" : "\u266F\u266F";
    default: return "";
  }
}

// May a value of v 16ths start at position p of a bar in this metre (see written_values)?
bool may_start(int v, int p, Meter meter) {
  // 4/4 shows the middle of the bar: only a value from the downbeat may run across it.
  if (meter == Meter::FourFour && p != 0 && p < 8 && p + v > 8) return false;
  if (meter == Meter::SixEight) {
    switch (v) {
      case 12: return p == 0;
      case 6: return p % 6 == 0;
      case 4:
      case 3: return p % 2 == 0 && p % 6 + v <= 6;  // inside one dotted-quarter beat
      case 2: return p % 2 == 0 || p % 6 + 2 <= 6;  // off the eighth grid only inside a beat
      case 1: return true;
      default: return false;
    }
  }
  switch (v) {
    case 16: return p == 0;
    case 12: return p == 0;
    case 8: return meter == Meter::FourFour ? p % 8 == 0 : p % 4 == 0;  // not across the middle of 4/4
    case 6:
    case 4:
    case 3: return p % 4 == 0;  // on a beat
    case 2: return p % 2 == 0 || p % 4 == 1;  // a sixteenth-eighth-sixteenth figure stays in its beat
    case 1: return true;
    default: return false;
  }
}

}  // namespace

int steps_per_bar(Meter meter) {
  static constexpr int kSteps[] = {8, 12, 16, 12};
  return kSteps[int(meter)];
}
int steps_per_beat(Meter meter) { return meter == Meter::SixEight ? 6 : 4; }
int beats_per_bar(Meter meter) { return steps_per_bar(meter) / steps_per_beat(meter); }
const char* meter_name(Meter meter) {
  static constexpr const char* kNames[] = {"2/4", "3/4", "4/4", "6/8"};
  return kNames[int(meter)];
}
int meter_numerator(Meter meter) {
  static constexpr int kNum[] = {2, 3, 4, 6};
  return kNum[int(meter)];
}
int meter_denominator(Meter meter) { return meter == Meter::SixEight ? 8 : 4; }

const char* MelodySpec::validate() const {
  if (key < 0 || key > 11) return "The key must be a pitch class 0..11.";
  if (difficulty < 1 || difficulty > 5) return "Difficulty goes from 1 to 5.";
  if (int(meter) < 0 || int(meter) >= kMeterCount) return "Unknown time signature.";
  if (bars < 2 || bars > 4) return "A melody has 2, 3 or 4 bars.";
  if (low < kLowestMidi || high > kHighestMidi) return "The range must lie between C3 and C6.";
  if (high - low < 5) return "The range must span at least 5 semitones.";
  return nullptr;
}

int Melody::note_count() const {
  return int(std::count_if(events.begin(), events.end(), [](const MelodyEvent& e) { return !e.is_rest(); }));
}

int Melody::notes_in_key() const {
  return int(std::count_if(events.begin(), events.end(),
                           [&](const MelodyEvent& e) { return !e.is_rest() && in_key(e.midi, spec.key, spec.mode); }));
}

bool in_key(int midi, int key, Mode mode) {
  const int d = mod12(midi - key);
  if (mode == Mode::Major) return std::find(std::begin(kMajorScale), std::end(kMajorScale), d) != std::end(kMajorScale);
  return std::find(std::begin(kMinorScale), std::end(kMinorScale), d) != std::end(kMinorScale) || d == 9 || d == 11;
}

int key_fifths(int key, Mode mode) { return tonic(key, mode).fifths; }

std::string key_name(int key, Mode mode, bool ascii) {
  const Tonic& t = tonic(key, mode);
  return std::string(1, kLetters[t.letter]) + accidental(t.alter, ascii) + (mode == Mode::Major ? " major" : " minor");
}

SpelledPitch spell(int midi, int key, Mode mode) {
  const Tonic& t = tonic(key, mode);
  const int* scale = mode == Mode::Major ? kMajorScale : kMinorScale;
  const int pc = mod12(midi);
  int letter = -1, alter = 0;
  int degree_letter[7], degree_alter[7], degree_pc[7];
  for (int i = 0; i < 7; ++i) {
    degree_letter[i] = (t.letter + i) % 7;
    degree_pc[i] = mod12(key + scale[i]);
    degree_alter[i] = wrap_alter(degree_pc[i] - kNaturalPc[degree_letter[i]]);
    if (degree_pc[i] == pc) letter = degree_letter[i], alter = degree_alter[i];
  }
  if (letter < 0 && mode == Mode::Minor && (pc == mod12(key + 9) || pc == mod12(key + 11))) {
    const int i = pc == mod12(key + 9) ? 5 : 6;  // raised 6th or 7th
    letter = degree_letter[i];
    alter = degree_alter[i] + 1;
  }
  if (letter < 0) {
    // Chromatic: the scale note a semitone below raised, or the one above lowered; the smaller
    // alteration wins, then sharps in sharp keys and flats in flat keys.
    int up_letter = -1, up_alter = 0, down_letter = -1, down_alter = 0;
    for (int i = 0; i < 7; ++i) {
      if (degree_pc[i] == mod12(pc - 1)) up_letter = degree_letter[i], up_alter = degree_alter[i] + 1;
      if (degree_pc[i] == mod12(pc + 1)) down_letter = degree_letter[i], down_alter = degree_alter[i] - 1;
    }
    const bool use_up = down_letter < 0 || (up_letter >= 0 && (std::abs(up_alter) < std::abs(down_alter) ||
                                                               (std::abs(up_alter) == std::abs(down_alter) && t.fifths >= 0)));
    letter = use_up ? up_letter : down_letter;
    alter = use_up ? up_alter : down_alter;
  }
  SpelledPitch p;
  p.letter = letter;
  p.alter = alter;
  const int natural = midi - alter;  // the letter's own pitch
  p.octave = (natural - kNaturalPc[letter]) / 12 - 1;
  return p;
}

std::string spelled_name(const SpelledPitch& p, bool ascii) {
  return std::string(1, kLetters[p.letter]) + accidental(p.alter, ascii) + std::to_string(p.octave);
}

int key_signature_alter(int letter, int fifths) {
  static constexpr int kSharpOrder[7] = {3, 0, 4, 1, 5, 2, 6};  // F C G D A E B
  static constexpr int kFlatOrder[7] = {6, 2, 5, 1, 4, 0, 3};   // B E A D G C F
  for (int i = 0; i < std::abs(fifths) && i < 7; ++i) {
    if ((fifths > 0 ? kSharpOrder : kFlatOrder)[i] == letter) return fifths > 0 ? 1 : -1;
  }
  return 0;
}

std::vector<int> written_values(int start, int steps, Meter meter) {
  static constexpr int kValues[] = {16, 12, 8, 6, 4, 3, 2, 1};
  const int bar = steps_per_bar(meter);
  std::vector<int> out;
  int pos = start;
  const int end = start + steps;
  while (pos < end) {
    const int p = pos % bar;
    const int room = std::min(end - pos, bar - p);  // to the end of the note or of the bar
    int chosen = 1;
    for (int v : kValues) {
      if (v <= room && may_start(v, p, meter)) {
        chosen = v;
        break;
      }
    }
    out.push_back(chosen);
    pos += chosen;
  }
  return out;
}

const char* value_name(int steps) {
  switch (steps) {
    case 16: return "whole";
    case 12: return "dotted half";
    case 8: return "half";
    case 6: return "dotted quarter";
    case 4: return "quarter";
    case 3: return "dotted eighth";
    case 2: return "eighth";
    case 1: return "sixteenth";
    default: return "";
  }
}

std::string duration_words(int start, int steps, Meter meter) {
  std::string out;
  for (int v : written_values(start, steps, meter)) {
    if (!out.empty()) out += " tied to ";
    out += value_name(v);
  }
  return out;
}

std::string describe(const Melody& m) {
  const MelodySpec& s = m.spec;
  std::string out = key_name(s.key, s.mode, true) + ", " + meter_name(s.meter) + ", " + std::to_string(s.bars) + " bars";
  int lo = 1000, hi = -1;
  for (const MelodyEvent& e : m.events) {
    if (e.is_rest()) continue;
    lo = std::min(lo, e.midi);
    hi = std::max(hi, e.midi);
  }
  if (hi < 0) return out + ", no notes.";
  out += ", notes from " + spelled_name(spell(lo, s.key, s.mode), true) + " to " +
         spelled_name(spell(hi, s.key, s.mode), true) + ":";
  bool first = true;
  for (const MelodyEvent& e : m.events) {
    out += first ? " " : ", ";
    first = false;
    const std::string length = duration_words(e.start, e.steps, s.meter);
    if (e.is_rest()) {
      out += "rest " + length;
    } else {
      out += spelled_name(spell(e.midi, s.key, s.mode), true) + " " + length;
    }
  }
  return out + ".";
}

}  // namespace etude::music
