#include "music/melody.h"

#include <gtest/gtest.h>

#include <numeric>
#include <set>

using namespace etude::music;

TEST(Melody, MetresMatchTheModelGrid) {
  EXPECT_EQ(steps_per_bar(Meter::TwoFour), 8);
  EXPECT_EQ(steps_per_bar(Meter::ThreeFour), 12);
  EXPECT_EQ(steps_per_bar(Meter::FourFour), 16);
  EXPECT_EQ(steps_per_bar(Meter::SixEight), 12);
  EXPECT_EQ(beats_per_bar(Meter::SixEight), 2);
  EXPECT_EQ(beats_per_bar(Meter::ThreeFour), 3);
  MelodySpec s;
  s.meter = Meter::SixEight;
  s.bars = 3;
  EXPECT_EQ(s.steps(), 36);
  EXPECT_EQ(s.validate(), nullptr);
  s.low = 47;
  EXPECT_NE(s.validate(), nullptr);
}

// In every one of the 24 keys, the scale spells with seven different letters, and each scale note's
// alteration is exactly what the key signature gives its letter.
TEST(Melody, EveryKeySpellsItsScaleByItsSignature) {
  for (int mode = 0; mode < 2; ++mode) {
    for (int key = 0; key < 12; ++key) {
      const Mode m = Mode(mode);
      const int fifths = key_fifths(key, m);
      EXPECT_LE(std::abs(fifths), 6);
      static constexpr int kMajor[] = {0, 2, 4, 5, 7, 9, 11}, kMinor[] = {0, 2, 3, 5, 7, 8, 10};
      std::set<int> letters;
      for (int d : (m == Mode::Major ? kMajor : kMinor)) {
        const int midi = 60 + key + d;
        const SpelledPitch p = spell(midi, key, m);
        letters.insert(p.letter);
        EXPECT_EQ(p.alter, key_signature_alter(p.letter, fifths)) << key_name(key, m) << " degree " << d;
        EXPECT_TRUE(in_key(midi, key, m));
      }
      EXPECT_EQ(letters.size(), 7u) << key_name(key, m);
    }
  }
}

TEST(Melody, SpellingInContext) {
  EXPECT_EQ(spelled_name(spell(70, 5, Mode::Major), true), "Bb4");   // F major
  EXPECT_EQ(spelled_name(spell(68, 9, Mode::Minor), true), "G#4");   // A minor, leading tone
  EXPECT_EQ(spelled_name(spell(66, 9, Mode::Minor), true), "F#4");   // A minor, raised 6th
  EXPECT_EQ(spelled_name(spell(65, 6, Mode::Major), true), "E#4");   // F# major
  EXPECT_EQ(spelled_name(spell(71, 3, Mode::Minor), true), "Cb5");   // Eb minor (6 flats)
  EXPECT_EQ(spelled_name(spell(60, 1, Mode::Minor), true), "B#3");   // C# minor leading tone
  EXPECT_EQ(spelled_name(spell(61, 0, Mode::Major), true), "C#4");   // chromatic, sharp key
  EXPECT_EQ(spelled_name(spell(61, 5, Mode::Major), true), "Db4");   // chromatic, flat key
  EXPECT_EQ(spelled_name(spell(67, 6, Mode::Major), true), "G4");    // not F##: the smaller alteration
  EXPECT_EQ(spelled_name(spell(70, 10, Mode::Major)), "B\u266D4");
  EXPECT_EQ(key_name(3, Mode::Minor, true), "Eb minor");
  EXPECT_EQ(key_name(6, Mode::Major), "F\u266F major");
  EXPECT_EQ(spell(60, 0, Mode::Major).staff_step(), 28);
  EXPECT_EQ(spell(60, 1, Mode::Minor).staff_step(), 27);  // B#3 sits a step below C4
}

TEST(Melody, WrittenValuesTileEveryStretchWithoutCrossingBars) {
  std::set<int> valid = {1, 2, 3, 4, 6, 8, 12, 16};
  for (int meter = 0; meter < kMeterCount; ++meter) {
    const Meter m = Meter(meter);
    const int bar = steps_per_bar(m);
    for (int start = 0; start < 4 * bar; ++start) {
      for (int steps = 1; start + steps <= 4 * bar; ++steps) {
        const std::vector<int> v = written_values(start, steps, m);
        EXPECT_EQ(std::accumulate(v.begin(), v.end(), 0), steps);
        int pos = start;
        for (int piece : v) {
          EXPECT_TRUE(valid.count(piece)) << piece;
          EXPECT_EQ(pos / bar, (pos + piece - 1) / bar) << "crosses a bar line";
          pos += piece;
        }
      }
    }
  }
}

TEST(Melody, WrittenValuesReadTheWayMusiciansWriteThem) {
  using V = std::vector<int>;
  EXPECT_EQ(written_values(0, 16, Meter::FourFour), V({16}));
  EXPECT_EQ(written_values(0, 12, Meter::FourFour), V({12}));
  EXPECT_EQ(written_values(4, 8, Meter::FourFour), V({4, 4}));  // not a half across the middle
  EXPECT_EQ(written_values(4, 8, Meter::ThreeFour), V({8}));    // fine in 3/4
  EXPECT_EQ(written_values(12, 8, Meter::FourFour), V({4, 4})); // tied over the bar line
  EXPECT_EQ(written_values(2, 4, Meter::FourFour), V({2, 2}));  // syncopation: eighth tied to eighth
  EXPECT_EQ(written_values(0, 6, Meter::TwoFour), V({6}));
  EXPECT_EQ(written_values(0, 12, Meter::SixEight), V({12}));
  EXPECT_EQ(written_values(0, 9, Meter::SixEight), V({6, 3}));
  EXPECT_EQ(written_values(2, 4, Meter::SixEight), V({4}));
  EXPECT_EQ(written_values(4, 4, Meter::SixEight), V({2, 2}));  // not a quarter across the beat
  EXPECT_EQ(duration_words(12, 8, Meter::FourFour), "quarter tied to quarter");
  EXPECT_EQ(duration_words(0, 3, Meter::FourFour), "dotted eighth");
  EXPECT_EQ(written_values(1, 2, Meter::FourFour), V({2}));     // sixteenth-EIGHTH-sixteenth
  EXPECT_EQ(written_values(3, 2, Meter::FourFour), V({1, 1}));  // across the beat: tied sixteenths
}

TEST(Melody, DescriptionNamesKeyMetreBarsRangeAndNotes) {
  Melody m;
  m.spec.key = 7;
  m.spec.meter = Meter::ThreeFour;
  m.spec.bars = 2;
  m.spec.low = 60;
  m.spec.high = 76;
  m.events = {{0, 4, 67, 1}, {4, 2, 69, 1}, {6, 2, -1, 1}, {8, 4, 66, 1}, {12, 12, 67, 1}};
  EXPECT_EQ(describe(m),
            "G major, 3/4, 2 bars, notes from F#4 to A4: G4 quarter, A4 eighth, rest eighth, F#4 quarter, G4 dotted half.");
  EXPECT_EQ(m.note_count(), 4);
}
