#include "dsp/yin_pitch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

using namespace etude::dsp;

namespace {
std::vector<float> sine(float hz, float rate, int n, float amp = 0.5f) {
  std::vector<float> x(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) x[std::size_t(i)] = amp * std::sin(2.0f * float(M_PI) * hz * float(i) / rate);
  return x;
}
double cents(double a, double b) { return 1200.0 * std::log2(a / b); }
}  // namespace

TEST(YinPitch, ParamsValidate) {
  YinParams p;
  EXPECT_EQ(p.validate(), nullptr);
  p.min_hz = 5;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.max_hz = 30000;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.sample_rate = 1000;
  EXPECT_NE(p.validate(), nullptr);
}

class YinSine : public ::testing::TestWithParam<std::tuple<float, float>> {};

TEST_P(YinSine, SteadyToneWithinTwoCents) {
  const auto [rate, hz] = GetParam();
  YinParams p;
  p.sample_rate = rate;
  p.integration = int(rate * 0.0213f);
  YinPitch yin(p);
  const auto x = sine(hz, rate, yin.window_size());
  const PitchEstimate e = yin.estimate(x);
  ASSERT_GT(e.f0_hz, 0.0f);
  EXPECT_NEAR(cents(e.f0_hz, hz), 0.0, 2.0) << rate << " Hz rate, " << hz << " Hz tone";
  EXPECT_GT(e.confidence, 0.9f);
}

INSTANTIATE_TEST_SUITE_P(RatesAndNotes, YinSine,
                         ::testing::Combine(::testing::Values(44100.0f, 48000.0f),
                                            ::testing::Values(55.0f, 110.0f, 261.63f, 440.0f, 987.77f, 1760.0f)));

TEST(YinPitch, NoiseIsUnvoiced) {
  YinPitch yin(YinParams{});
  std::mt19937 rng(7);
  std::normal_distribution<float> n(0.0f, 0.3f);
  std::vector<float> x(std::size_t(yin.window_size()));
  for (float& v : x) v = n(rng);
  const PitchEstimate e = yin.estimate(x);
  EXPECT_EQ(e.f0_hz, 0.0f);
  EXPECT_LT(e.confidence, 0.5f);
}

TEST(YinPitch, UsesNewestSamplesOfALongerWindow) {
  YinParams p;
  YinPitch yin(p);
  auto low = sine(220.0f, p.sample_rate, yin.window_size());
  auto high = sine(660.0f, p.sample_rate, yin.window_size());
  low.insert(low.end(), high.begin(), high.end());
  EXPECT_NEAR(cents(yin.estimate(low).f0_hz, 660.0), 0.0, 2.0);
}
