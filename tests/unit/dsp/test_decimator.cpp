#include "dsp/decimator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "signals.h"

using namespace etude::dsp;

namespace {
std::vector<float> decimate(Decimator& d, const std::vector<float>& x, std::size_t block) {
  std::vector<float> out, scratch(block / std::size_t(d.factor()) + 2);
  for (std::size_t i = 0; i < x.size(); i += block) {
    const std::size_t n = std::min(block, x.size() - i);
    const std::size_t got = d.push({x.data() + i, n}, scratch);
    out.insert(out.end(), scratch.begin(), scratch.begin() + long(got));
  }
  return out;
}
double rms(const std::vector<float>& x, std::size_t from) {
  double s = 0;
  for (std::size_t i = from; i < x.size(); ++i) s += double(x[i]) * x[i];
  return std::sqrt(s / double(x.size() - from));
}
}  // namespace

TEST(Decimator, FactorForRates) {
  EXPECT_EQ(pitch_decimation_factor(16000.0f), 1);
  EXPECT_EQ(pitch_decimation_factor(22050.0f), 1);
  EXPECT_EQ(pitch_decimation_factor(44100.0f), 2);
  EXPECT_EQ(pitch_decimation_factor(48000.0f), 3);
  EXPECT_EQ(pitch_decimation_factor(96000.0f), 6);
}

TEST(Decimator, PassbandKeepsAmplitudeAndDelayIsAsReported) {
  const double rate = 48000.0, hz = 1000.0;
  Decimator d(3);
  const auto x = etude::test::sine(hz, rate, 48000, 0.5);
  const auto y = decimate(d, x, 512);
  EXPECT_EQ(y.size(), 16000u);
  EXPECT_NEAR(rms(y, 100), 0.5 / std::sqrt(2.0), 0.005);
  // Output k is input sample 3k filtered: it should equal the input delay_samples() earlier.
  for (std::size_t k = 200; k < 300; ++k) {
    const double t = (double(3 * k) - d.delay_samples()) / rate;
    EXPECT_NEAR(y[k], 0.5 * std::sin(2 * M_PI * hz * t), 0.01) << k;
  }
}

TEST(Decimator, RejectsWhatWouldAliasAndBlockSizeDoesNotMatter) {
  Decimator a(3), b(3);
  const auto x = etude::test::sine(12000.0, 48000.0, 48000, 0.5);  // above the new Nyquist (8 kHz)
  EXPECT_LT(rms(decimate(a, x, 512), 100), 0.005);  // below -40 dB
  const auto noise = etude::test::noise(10000, 0.3);
  Decimator c(2), e(2);
  EXPECT_EQ(decimate(c, noise, 128), decimate(e, noise, 1000));
}

TEST(Decimator, FactorOnePassesThrough) {
  Decimator d(1);
  const auto x = etude::test::noise(1000, 0.3);
  EXPECT_EQ(decimate(d, x, 100), x);
  EXPECT_EQ(d.delay_samples(), 0);
}
