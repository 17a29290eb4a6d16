#include "dsp/spectral_features.h"

#include <gtest/gtest.h>

#include "dsp/stft.h"
#include "signals.h"

using namespace etude::dsp;

namespace {
SpectralFrame analyse(const std::vector<float>& x, float rate = 48000.0f) {
  SpectralParams p;
  p.sample_rate = rate;
  Stft stft(rate, p.frame_size);
  SpectralFeatures features(p);
  return features.process(stft.compute(x), std::span<const float>(x).last(512));
}
}  // namespace

TEST(SpectralFeatures, ParamsValidate) {
  EXPECT_EQ(SpectralParams{}.validate(), nullptr);
  SpectralParams p;
  p.mel_bands = 2;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(SpectralFeatures, SineIsTonalWithCentroidAtItsFrequency) {
  const SpectralFrame f = analyse(etude::test::sine(1000.0, 48000.0, 4096));
  EXPECT_NEAR(f.centroid_hz, 1000.0f, 15.0f);
  EXPECT_LT(f.spread_hz, 60.0f);
  EXPECT_LT(f.flatness, 0.01f);
  EXPECT_NEAR(f.rolloff_hz, 1000.0f, 30.0f);
  EXPECT_NEAR(f.zcr, 2.0f * 1000.0f / 48000.0f, 0.005f);
}

TEST(SpectralFeatures, WhiteNoiseIsFlatAndBright) {
  const SpectralFrame f = analyse(etude::test::noise(4096, 0.3));
  EXPECT_GT(f.flatness, 0.4f);
  EXPECT_NEAR(f.centroid_hz, 12000.0f, 1500.0f);
  EXPECT_NEAR(f.rolloff_hz, 0.85f * 24000.0f, 1500.0f);
  EXPECT_GT(f.zcr, 0.4f);
}

TEST(SpectralFeatures, MfccTrackBrightnessAndSilenceIsFinite) {
  const SpectralFrame dull = analyse(etude::test::sine(200.0, 48000.0, 4096));
  const SpectralFrame bright = analyse(etude::test::sine(4000.0, 48000.0, 4096));
  // MFCC 1 is the spectral tilt: more energy low -> larger.
  EXPECT_GT(dull.mfcc[1], bright.mfcc[1]);
  const SpectralFrame silent = analyse(std::vector<float>(4096, 0.0f));
  EXPECT_EQ(silent.centroid_hz, 0.0f);
  EXPECT_FLOAT_EQ(silent.mfcc[0], -10.0f * std::sqrt(40.0f));  // log10 floor 1e-10 in every band
  // DC: all energy in bin 0.
  EXPECT_LT(analyse(std::vector<float>(4096, 0.5f)).centroid_hz, 20.0f);
}
