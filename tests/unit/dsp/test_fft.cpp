#include "dsp/fft.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "signals.h"

using namespace etude::dsp;

TEST(RealFft, ValidSizesHaveOnlyFactorsTwoThreeFive) {
  EXPECT_TRUE(RealFft::is_valid_size(2048));
  EXPECT_TRUE(RealFft::is_valid_size(2000));
  EXPECT_FALSE(RealFft::is_valid_size(2002));  // 7 * 11 * 13
  EXPECT_FALSE(RealFft::is_valid_size(1025));  // odd
  EXPECT_EQ(RealFft::valid_size_at_least(1987), 2000);
  EXPECT_EQ(RealFft::valid_size_at_least(2048), 2048);
}

TEST(RealFft, SineLandsInItsBinAndRoundTrips) {
  for (int n : {256, 1000, 2048}) {
    RealFft fft(n);
    const auto x = etude::test::sine(10.0, double(n), std::size_t(n), 1.0);  // exactly 10 cycles
    std::vector<std::complex<float>> spectrum(std::size_t(fft.bins()));
    fft.forward(x, spectrum);
    for (int k = 0; k < fft.bins(); ++k) {
      const float expected = k == 10 ? float(n) / 2.0f : 0.0f;
      ASSERT_NEAR(std::abs(spectrum[std::size_t(k)]), expected, 1e-3f * float(n)) << "n " << n << " bin " << k;
    }
    std::vector<float> back(std::size_t(n), 0.0f);
    fft.inverse(spectrum, back);
    for (int i = 0; i < n; ++i) ASSERT_NEAR(back[std::size_t(i)] / float(n), x[std::size_t(i)], 1e-5f);
  }
}
