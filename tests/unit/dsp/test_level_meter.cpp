#include "dsp/level_meter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dsp/feature_frame.h"
#include "signals.h"

using namespace etude::dsp;

TEST(LevelMeter, SineDcSilenceAndNan) {
  const Level sine = measure_level(etude::test::sine(1000.0, 48000.0, 48000, 1.0));
  EXPECT_NEAR(sine.dbfs, -3.01f, 0.01f);
  const Level dc = measure_level(std::vector<float>(100, -0.5f));
  EXPECT_NEAR(dc.rms, 0.5f, 1e-6f);
  EXPECT_EQ(measure_level(std::vector<float>(100, 0.0f)).dbfs, kSilenceDbfs);
  EXPECT_EQ(measure_level({}).dbfs, kSilenceDbfs);
  std::vector<float> nan(100, std::nanf(""));
  EXPECT_EQ(measure_level(nan).dbfs, kSilenceDbfs);
}
