#include "music/rule_melody.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <set>

using namespace etude::music;

namespace {

// Every promise of the fallback generator, for one melody.
void expect_obeys(const Melody& m) {
  const MelodySpec& s = m.spec;
  ASSERT_FALSE(m.events.empty());
  EXPECT_EQ(m.source, MelodySource::Rules);
  int t = 0;
  for (const MelodyEvent& e : m.events) {
    EXPECT_EQ(e.start, t) << "events must tile the phrase";
    EXPECT_GT(e.steps, 0);
    t += e.steps;
    if (e.is_rest()) continue;
    EXPECT_GE(e.midi, s.low);
    EXPECT_LE(e.midi, s.high);
    EXPECT_TRUE(in_key(e.midi, s.key, s.mode)) << e.midi;
  }
  EXPECT_EQ(t, s.steps());
  EXPECT_FALSE(m.events.front().is_rest());
  EXPECT_FALSE(m.events.back().is_rest());
  EXPECT_GE(m.events.back().steps, steps_per_beat(s.meter)) << "ends on a long note";
  EXPECT_GE(m.note_count(), 3);
  // Sixteenths only from difficulty 4.
  if (s.difficulty < 4) {
    for (const MelodyEvent& e : m.events) EXPECT_GE(e.steps, 2);
  }
}

}  // namespace

TEST(RuleMelody, ObeysEveryConditionInEveryKeyMetreAndLength) {
  for (int key = 0; key < 12; ++key) {
    for (int mode = 0; mode < 2; ++mode) {
      for (int meter = 0; meter < kMeterCount; ++meter) {
        for (int bars = 2; bars <= 4; ++bars) {
          for (int difficulty = 1; difficulty <= 5; ++difficulty) {
            MelodySpec s;
            s.key = key;
            s.mode = Mode(mode);
            s.meter = Meter(meter);
            s.bars = bars;
            s.difficulty = difficulty;
            s.low = 55 + key % 5;
            s.high = s.low + 5 + (key * 3) % 14;
            ASSERT_EQ(s.validate(), nullptr);
            const Melody m = rule_melody(s, std::uint64_t(key * 1000 + difficulty));
            SCOPED_TRACE(describe(m));
            expect_obeys(m);
          }
        }
      }
    }
  }
}

TEST(RuleMelody, EndsOnTheTonicWithARaisedLeadingToneInMinor) {
  MelodySpec s;
  s.key = 9;  // A minor
  s.mode = Mode::Minor;
  s.low = 57;
  s.high = 76;
  int leading = 0;
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const Melody m = rule_melody(s, seed);
    EXPECT_EQ(m.events.back().midi % 12, 9);
    const MelodyEvent& before = m.events[m.events.size() - 2];
    EXPECT_NE(before.midi % 12, 7) << "G natural just before the final A";
    leading += before.midi % 12 == 8;
  }
  EXPECT_GT(leading, 20);
}

TEST(RuleMelody, SameSeedSameMelodyNewSeedNewMelody) {
  MelodySpec s;
  s.difficulty = 3;
  s.bars = 4;
  EXPECT_EQ(rule_melody(s, 42).events, rule_melody(s, 42).events);
  std::set<std::vector<int>> distinct;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    std::vector<int> sig;
    for (const MelodyEvent& e : rule_melody(s, seed).events) sig.push_back(e.midi * 100 + e.steps);
    distinct.insert(sig);
  }
  EXPECT_GE(distinct.size(), 45u);
}

// Difficulty changes what the rules promise: larger intervals and more notes per beat.
TEST(RuleMelody, DifficultyWidensIntervalsAndQuickensRhythm) {
  double prev_interval = 0, prev_density = 0;
  for (int difficulty = 1; difficulty <= 5; ++difficulty) {
    MelodySpec s;
    s.difficulty = difficulty;
    s.bars = 4;
    s.low = 55;
    s.high = 79;
    double interval_sum = 0, notes = 0, intervals = 0;
    int max_leap = 0;
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
      const Melody m = rule_melody(s, seed);
      int prev = -1;
      for (const MelodyEvent& e : m.events) {
        if (e.is_rest()) continue;
        ++notes;
        if (prev >= 0) {
          interval_sum += std::abs(e.midi - prev);
          ++intervals;
          max_leap = std::max(max_leap, std::abs(e.midi - prev));
        }
        prev = e.midi;
      }
    }
    const double mean_interval = interval_sum / intervals;
    const double density = notes / (300.0 * 4 * beats_per_bar(s.meter));
    EXPECT_GT(mean_interval, prev_interval + 0.2) << "difficulty " << difficulty;
    EXPECT_GT(density, prev_density + 0.1) << "difficulty " << difficulty;
    if (difficulty == 1) {
      EXPECT_LE(max_leap, 7) << "a fifth at most at difficulty 1 (incl. the cadence)";
    }
    prev_interval = mean_interval;
    prev_density = density;
  }
}
