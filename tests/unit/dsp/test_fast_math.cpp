#include "dsp/fast_math.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace etude::dsp;

TEST(FastMath, Log2WithinThreeHundredThousandths) {
  double worst = 0;
  for (double x = 1e-30; x < 1e30; x *= 1.0137) worst = std::max(worst, std::abs(double(fast_log2(float(x))) - std::log2(double(float(x)))));
  EXPECT_LT(worst, 3e-5);
  EXPECT_EQ(fast_log2(1.0f), 0.0f);
  EXPECT_NEAR(fast_log10(1000.0f), 3.0f, 1e-5f);
  EXPECT_NEAR(fast_ln(std::exp(2.0f)), 2.0f, 2e-5f);
}

TEST(FastMath, NonPositiveReadsAsTheSmallestNormal) {
  EXPECT_NEAR(fast_log2(0.0f), -126.0f, 1e-4f);
  EXPECT_NEAR(fast_log2(-5.0f), -126.0f, 1e-4f);
  EXPECT_NEAR(fast_log2(std::nanf("")), -126.0f, 1e-4f);
}
