#include "dsp/stft.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "signals.h"

using namespace etude::dsp;

TEST(Stft, FullScaleSineAtABinCentreReadsOne) {
  Stft stft(48000.0f, 2048);
  const double hz = 100 * stft.bin_hz();
  const auto magnitude = stft.compute(etude::test::sine(hz, 48000.0, 4096, 1.0));
  EXPECT_NEAR(magnitude[100], 1.0f, 1e-3f);
  EXPECT_NEAR(magnitude[99], 0.5f, 1e-3f);  // Hann main lobe
  EXPECT_LT(magnitude[110], 1e-3f);
}

TEST(Stft, ReadsTheNewestFrameAndSilenceIsZero) {
  Stft stft(44100.0f, 1024);
  std::vector<float> x = etude::test::sine(1000.0, 44100.0, 4096);
  x.resize(8192, 0.0f);
  const auto magnitude = stft.compute(x);
  EXPECT_EQ(*std::max_element(magnitude.begin(), magnitude.end()), 0.0f);
}

TEST(Stft, FrameSizeForPicksTheNearestPowerOfTwo) {
  EXPECT_EQ(Stft::frame_size_for(44100.0f, 0.0464f), 2048);
  EXPECT_EQ(Stft::frame_size_for(48000.0f, 0.0464f), 2048);
  EXPECT_EQ(Stft::frame_size_for(96000.0f, 0.0464f), 4096);
  EXPECT_EQ(Stft::frame_size_for(16000.0f, 0.0464f), 1024);  // 742 samples: 2^9.54
}
