#include "app/latency_calibration.h"

#include <gtest/gtest.h>

using etude::app::LatencyCalibration;

namespace {
constexpr double kRate = 48000.0;

// Clicks 0.6 s apart; each heard `delay_ms` later, with a +-jitter_ms pattern (hop quantisation).
LatencyCalibration::Mode run_mode = LatencyCalibration::Mode::Loudspeaker;
etude::app::LatencyResult run(double delay_ms, double jitter_ms, int heard_every = 1, bool stray = false) {
  LatencyCalibration cal;
  cal.start(run_mode, kRate);
  for (int i = 0; i < LatencyCalibration::kClicks; ++i) {
    const double click = 10000.0 + i * 0.6 * kRate;
    cal.add_click(click);
    const double jitter = (i % 4 - 1.5) / 1.5 * jitter_ms;
    if (i % heard_every == 0) cal.add_onset(click + (delay_ms + jitter) * kRate / 1000.0);
    if (stray && i == 3) cal.add_onset(click + 0.01 * kRate);  // a cough right after a click
  }
  EXPECT_FALSE(cal.complete(10000.0 + 11 * 0.6 * kRate));
  EXPECT_TRUE(cal.complete(10000.0 + 11 * 0.6 * kRate + 0.5 * kRate));
  return cal.finish();
}
}  // namespace

TEST(LatencyCalibration, RecoversTheDelayThroughQuantisationJitter) {
  const auto r = run(83.0, 5.0);
  ASSERT_TRUE(r.ok);
  EXPECT_NEAR(r.latency_ms, 83.0, 1.0);
  EXPECT_EQ(r.matched, LatencyCalibration::kClicks);
  EXPECT_LE(r.spread_ms, 5.1);
}

TEST(LatencyCalibration, AStrayOnsetIsTrimmedAway) {
  const auto r = run(120.0, 1.0, 1, true);
  ASSERT_TRUE(r.ok);
  EXPECT_NEAR(r.latency_ms, 120.0, 2.0);
}

TEST(LatencyCalibration, TooFewHeardClicksIsAFailure) {
  const auto r = run(50.0, 0.0, 3);  // only every third click heard
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.matched, 4);
}

TEST(LatencyCalibration, TapAlongAcceptsEarlyTaps) {
  run_mode = LatencyCalibration::Mode::TapAlong;
  const auto r = run(-30.0, 10.0);
  run_mode = LatencyCalibration::Mode::Loudspeaker;
  ASSERT_TRUE(r.ok);
  EXPECT_NEAR(r.latency_ms, -30.0, 3.0);
}
