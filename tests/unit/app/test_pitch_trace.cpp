#include "app/pitch_trace.h"

#include <gtest/gtest.h>

#include <vector>

using etude::app::PitchTrace;
using etude::app::TracePoint;

namespace {
etude::dsp::FeatureFrame frame(float t, float hz, float conf = 0.9f) {
  etude::dsp::FeatureFrame f;
  f.time_s = t;
  f.f0_hz = hz;
  f.confidence = conf;
  return f;
}
}  // namespace

TEST(PitchTrace, KeepsOnlyTheWindowOldestFirst) {
  PitchTrace trace(1.0f, 64);
  for (int i = 0; i < 300; ++i) trace.add(frame(0.01f * float(i), 440.0f), 440.0f);
  std::vector<float> times;
  trace.for_each([&](const TracePoint& p) { times.push_back(p.time_s); });
  ASSERT_FALSE(times.empty());
  EXPECT_LE(times.size(), 64u);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_FLOAT_EQ(times.back(), 2.99f);
  EXPECT_GE(times.front(), 2.99f - 1.0f);
}

TEST(PitchTrace, UnvoicedFramesAreGapsAndMedianIgnoresThem) {
  PitchTrace trace;
  trace.add(frame(0.00f, 440.0f), 440.0f);
  trace.add(frame(0.01f, 0.0f, 0.0f), 440.0f);
  trace.add(frame(0.02f, 466.16f), 440.0f);
  trace.add(frame(0.03f, 493.88f), 440.0f);
  std::vector<float> midi;
  trace.for_each([&](const TracePoint& p) { midi.push_back(p.midi); });
  ASSERT_EQ(midi.size(), 4u);
  EXPECT_NEAR(midi[0], 69.0f, 1e-3f);
  EXPECT_EQ(midi[1], 0.0f);
  EXPECT_NEAR(trace.median_midi(), 70.0f, 1e-2f);
}

TEST(PitchTrace, EmptyAndCleared) {
  PitchTrace trace;
  EXPECT_EQ(trace.median_midi(), 0.0f);
  trace.add(frame(0.0f, 440.0f), 440.0f);
  trace.clear();
  EXPECT_EQ(trace.size(), 0u);
}
