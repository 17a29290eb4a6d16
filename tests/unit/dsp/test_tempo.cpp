#include "dsp/tempo.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "signals.h"

using namespace etude::dsp;

namespace {
constexpr float kFrameRate = 100.0f;

// An onset-strength envelope with pulses every 60/bpm s (accent on every `accent`th), plus noise.
std::vector<float> pulses(double bpm, double seconds, double offset_s = 0.1, double noise_sd = 0.0) {
  std::vector<float> env(std::size_t(seconds * kFrameRate), 0.0f);
  if (noise_sd > 0) {
    const auto n = etude::test::noise(env.size(), noise_sd, 11);
    for (std::size_t i = 0; i < env.size(); ++i) env[i] = std::abs(n[i]);
  }
  for (double t = offset_s; t < seconds; t += 60.0 / bpm) {
    const std::size_t i = std::size_t(std::lround(t * kFrameRate));
    if (i < env.size()) env[i] += 5.0f;
    if (i + 1 < env.size()) env[i + 1] += 2.0f;
  }
  return env;
}
TempoParams params() {
  TempoParams p;
  p.frame_rate = kFrameRate;
  return p;
}
}  // namespace

TEST(Tempo, ParamsValidate) {
  EXPECT_EQ(params().validate(), nullptr);
  auto p = params();
  p.max_bpm = p.min_bpm;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(Tempo, PulseTrainsReadTheirTempoWithinTwoPercent) {
  for (double bpm : {72.0, 96.0, 120.0, 133.0, 160.0}) {
    const TempoEstimate e = estimate_tempo(pulses(bpm, 20.0, 0.1, 0.3), params());
    EXPECT_NEAR(e.bpm, bpm, 0.02 * bpm) << bpm;
    EXPECT_GT(e.confidence, 0.3f) << bpm;
  }
}

TEST(Tempo, SilenceAndNoiseHaveNoConfidentTempo) {
  EXPECT_EQ(estimate_tempo(std::vector<float>(2000, 0.0f), params()).bpm, 0.0f);
  auto n = etude::test::noise(2000, 1.0, 5);
  for (float& v : n) v = std::abs(v);
  EXPECT_LT(estimate_tempo(n, params()).confidence, 0.2f);
}

TEST(Tempo, StreamingEstimatorFollowsTheLastWindow) {
  TempoEstimator estimator(params());
  for (float v : pulses(90.0, 20.0)) estimator.push(v);
  for (float v : pulses(140.0, 15.0)) estimator.push(v);
  EXPECT_NEAR(estimator.estimate().bpm, 140.0f, 3.0f);
}

TEST(Beats, LandOnThePulsesAndSkipLeadingSilence) {
  const double bpm = 110.0, offset = 2.0;
  auto env = pulses(bpm, 20.0, offset, 0.2);
  for (std::size_t i = 0; i < std::size_t(1.9 * kFrameRate); ++i) env[i] = 0.0f;
  const auto beats = track_beats(env, float(bpm), params());
  ASSERT_GT(beats.size(), 30u);
  EXPECT_NEAR(beats.front() / kFrameRate, offset, 0.03);
  for (float b : beats) {
    const double t = b / kFrameRate - offset;
    const double phase = t / (60.0 / bpm) - std::round(t / (60.0 / bpm));
    EXPECT_LT(std::abs(phase * 60.0 / bpm), 0.03) << b;
  }
}
