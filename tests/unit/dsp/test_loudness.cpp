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
