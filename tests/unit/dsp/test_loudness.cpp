#include "dsp/loudness.h"

#include <gtest/gtest.h>

#include <cmath>

#include "signals.h"

using namespace etude::dsp;

TEST(Loudness, ParamsValidate) {
  EXPECT_EQ(LoudnessParams{}.validate(), nullptr);
  EXPECT_NE(LoudnessParams{8000.0f}.validate(), nullptr);
}

// BS.1770's calibration point: a 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS, at any rate.
TEST(Loudness, FullScale997HzSineReadsMinus3Lufs) {
  for (float rate : {16000.0f, 44100.0f, 48000.0f, 96000.0f}) {
    LoudnessMeter meter(LoudnessParams{rate});
    const auto x = etude::test::sine(997.0, rate, std::size_t(4 * rate), 1.0);
    meter.process(x);
    EXPECT_NEAR(meter.short_term_lufs(), -3.01f, 0.05f) << rate;
    EXPECT_NEAR(meter.momentary_lufs(), -3.01f, 0.05f) << rate;
  }
}

TEST(Loudness, TwentyDbQuieterReadsTwentyLuLower) {
  LoudnessMeter meter(LoudnessParams{48000.0f});
  meter.process(etude::test::sine(997.0, 48000.0, 4 * 48000, 0.1));
  EXPECT_NEAR(meter.short_term_lufs(), -23.01f, 0.05f);
}

TEST(Loudness, KWeightingCutsBassAndLiftsTreble) {
  LoudnessMeter bass(LoudnessParams{48000.0f}), treble(LoudnessParams{48000.0f});
  bass.process(etude::test::sine(30.0, 48000.0, 4 * 48000, 1.0));
  treble.process(etude::test::sine(8000.0, 48000.0, 4 * 48000, 1.0));
  EXPECT_LT(bass.short_term_lufs(), -3.01f - 3.0f);    // RLB high-pass at 38 Hz
  EXPECT_GT(treble.short_term_lufs(), -3.01f + 3.0f);  // +4 dB head shelf
}

// The K-weighting curve against the standard itself: at 48 kHz BS.1770-4 (Tables 1 and 2) gives the two
// biquads' coefficients; a full-scale sine at f must read -0.691 + 10 log10(0.5 |H_shelf(f) H_RLB(f)|^2)
// LUFS, the filters' gains evaluated here at e^(j 2 pi f / 48000). The meter derives its coefficients
// from the analogue prototype for any rate, so this checks that derivation as well.
TEST(Loudness, KWeightingFollowsTheStandardsCoefficientsAt48kHz) {
  const double rate = 48000.0;
  const auto gain2 = [rate](double f, double b0, double b1, double b2, double a1, double a2) {
    const double w = 2 * M_PI * f / rate;
    const double nr = b0 + b1 * std::cos(w) + b2 * std::cos(2 * w), ni = -b1 * std::sin(w) - b2 * std::sin(2 * w);
    const double dr = 1 + a1 * std::cos(w) + a2 * std::cos(2 * w), di = -a1 * std::sin(w) - a2 * std::sin(2 * w);
    return (nr * nr + ni * ni) / (dr * dr + di * di);
  };
  for (double f : {25.0, 40.0, 60.0, 100.0, 300.0, 997.0, 2000.0, 4000.0, 8000.0, 16000.0}) {
    const double shelf = gain2(f, 1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585);
    const double rlb = gain2(f, 1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621);
    const double expected = -0.691 + 10 * std::log10(0.5 * shelf * rlb);
    LoudnessMeter meter(LoudnessParams{float(rate)});
    meter.process(etude::test::sine(f, rate, std::size_t(4 * rate), 1.0));
    EXPECT_NEAR(meter.short_term_lufs(), expected, 0.02) << f << " Hz";
  }
}

TEST(Loudness, SilenceAndNanReadTheFloorAndMomentaryFollowsFaster) {
  LoudnessMeter meter(LoudnessParams{48000.0f});
  EXPECT_EQ(meter.short_term_lufs(), kSilenceLufs);
  std::vector<float> x(48000, std::nanf(""));
  meter.process(x);
  EXPECT_EQ(meter.short_term_lufs(), kSilenceLufs);
  meter.process(etude::test::sine(997.0, 48000.0, 48000 * 3, 1.0));
  meter.process(std::vector<float>(48000, 0.0f));
  EXPECT_EQ(meter.momentary_lufs(), kSilenceLufs);   // the last 400 ms are silent
  EXPECT_NEAR(meter.short_term_lufs(), -3.01f + 10.0f * std::log10(2.0f / 3.0f), 0.1f);
}
