#include "app/rhythm_practice.h"

#include <gtest/gtest.h>

using etude::app::RhythmPractice;

namespace {
constexpr double kRate = 48000.0;
constexpr double kBeat = 24000.0;  // 120 BPM
}  // namespace

TEST(RhythmPractice, JudgesEarlyAndLateAfterSubtractingTheDeviceDelay) {
  RhythmPractice r;
  r.start(kRate, 80.0f);  // everything is heard 80 ms late
  r.add_beat(0, 0, 0, kBeat);
  r.add_onset(0 + (80 + 12) * kRate / 1000);  // 12 ms late
  r.add_beat(kBeat, 0, 1, kBeat);
  r.add_onset(kBeat + (80 - 20) * kRate / 1000);  // 20 ms early
  ASSERT_EQ(r.hit_count(), 2u);
  EXPECT_NEAR(r.hit(0).offset_ms, 12.0f, 0.01f);
  EXPECT_NEAR(r.hit(1).offset_ms, -20.0f, 0.01f);
  EXPECT_EQ(r.hit(1).beat, 1);
}

TEST(RhythmPractice, AnEarlyOnsetMatchesABeatThatArrivesLater) {
  RhythmPractice r;
  r.start(kRate, 0.0f);
  r.add_beat(0, 0, 0, kBeat);
  r.add_onset(kBeat - 0.05 * kRate);  // 50 ms before beat 2, which the app has not heard of yet
  EXPECT_EQ(r.hit_count(), 0u);       // too far from beat 1 (half a beat is 250 ms: it is 450 ms)
  r.add_beat(kBeat, 0, 1, kBeat);
  ASSERT_EQ(r.hit_count(), 1u);
  EXPECT_NEAR(r.hit(0).offset_ms, -50.0f, 0.01f);
}

TEST(RhythmPractice, BarSummariesCountHitsAndTendency) {
  RhythmPractice r;
  r.start(kRate, 0.0f);
  for (int beat = 0; beat < 4; ++beat) {
    r.add_beat(beat * kBeat, 0, beat, kBeat);
    if (beat != 2) r.add_onset(beat * kBeat + 0.010 * kRate);  // 10 ms late, beat 3 missed
    r.add_onset(beat * kBeat + 0.012 * kRate);                 // a double hit is ignored
  }
  EXPECT_FALSE(r.has_summary());
  r.add_beat(4 * kBeat, 1, 0, kBeat);  // the next bar closes bar 0
  ASSERT_TRUE(r.has_summary());
  EXPECT_EQ(r.last_summary().bar, 0);
  EXPECT_EQ(r.last_summary().beats, 4);
  EXPECT_EQ(r.last_summary().hits, 4);  // the double hit on beat 3 lands on it (12 ms late)
  EXPECT_NEAR(r.last_summary().mean_ms, 10.5f, 0.01f);
}

TEST(RhythmPractice, CountInIsNotJudgedAndStoppedIgnoresInput) {
  RhythmPractice r;
  r.start(kRate, 0.0f);
  r.add_beat(0, -1, 0, kBeat);
  r.add_onset(100);
  r.add_beat(kBeat, 0, 0, kBeat);
  EXPECT_FALSE(r.has_summary());
  r.stop();
  EXPECT_FALSE(r.add_onset(kBeat));
}
