#include "app/mic_check.h"

#include <gtest/gtest.h>

#include <string>

using namespace etude::app;

namespace {
// Runs a whole check: 3 s quiet at quiet_dbfs, then 3 s playing at play_dbfs, frames every 10 ms.
MicCheckResult run(float quiet_dbfs, float play_dbfs, float quiet_flatness = 0.1f) {
  MicCheck check;
  check.start(0.0f);
  float t = 0.0f;
  while (check.step() != MicCheckStep::Done && t < 10.0f) {
    etude::dsp::FeatureFrame f;
    f.time_s = t;
    const bool quiet = check.step() == MicCheckStep::Quiet;
    f.rms_dbfs = quiet ? quiet_dbfs : play_dbfs;
    f.flatness = quiet ? quiet_flatness : 0.05f;
    check.on_frame(f);
    t += 0.01f;
  }
  EXPECT_EQ(check.step(), MicCheckStep::Done);
  EXPECT_NEAR(t, 2 * MicCheck::kStepSeconds, 0.05f);
  return check.result();
}
bool says(const MicCheckResult& r, const char* words) {
  for (auto a : r.advice) {
    if (std::string(a).find(words) != std::string::npos) return true;
  }
  return false;
}
}  // namespace

TEST(MicCheck, GoodSetupIsReady) {
  const MicCheckResult r = run(-70.0f, -20.0f);
  EXPECT_TRUE(r.ready);
  EXPECT_NEAR(r.noise_floor_dbfs, -70.0f, 0.01f);
  EXPECT_NEAR(r.playing_dbfs, -20.0f, 0.01f);
  EXPECT_NEAR(r.snr_db, 50.0f, 0.02f);
  EXPECT_TRUE(says(r, "ready"));
}

TEST(MicCheck, TooQuietTooLoudAndAFan) {
  EXPECT_TRUE(says(run(-70.0f, -45.0f), "move closer") || says(run(-70.0f, -45.0f), "Move closer"));
  EXPECT_FALSE(run(-70.0f, -45.0f).ready);
  EXPECT_TRUE(says(run(-70.0f, -2.0f), "Too loud"));
  const MicCheckResult fan = run(-40.0f, -15.0f, 0.6f);
  EXPECT_FALSE(fan.ready);
  EXPECT_TRUE(says(fan, "fan"));
  EXPECT_TRUE(says(run(-40.0f, -15.0f, 0.05f), "other sounds"));
}

TEST(MicCheck, LowContrastAsksToMoveCloser) {
  const MicCheckResult r = run(-52.0f, -34.0f);  // neither too quiet nor noisy alone, but only 18 dB apart
  EXPECT_FALSE(r.ready);
  EXPECT_TRUE(says(r, "not much louder"));
}

TEST(MicCheck, ProgressAndCancel) {
  MicCheck check;
  EXPECT_EQ(check.step_progress(1.0f), 0.0f);
  check.start(10.0f);
  EXPECT_NEAR(check.step_progress(11.5f), 0.5f, 1e-6f);
  check.cancel();
  EXPECT_EQ(check.step(), MicCheckStep::NotStarted);
}
