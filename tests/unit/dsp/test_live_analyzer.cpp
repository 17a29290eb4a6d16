#include "dsp/live_analyzer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace etude::dsp;

namespace {
std::vector<float> sine(float hz, float rate, int n, float amp) {
  std::vector<float> x(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) x[std::size_t(i)] = amp * std::sin(2.0f * float(M_PI) * hz * float(i) / rate);
  return x;
}
}  // namespace

TEST(LiveAnalyzer, RejectsBadParams) {
  LiveAnalyzerParams p;
  p.hop = 4;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.sample_rate = 500;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(LiveAnalyzer, FramesEveryHopWhateverTheBlockSize) {
  for (int block : {1, 37, 128, 512, 1500}) {
    LiveAnalyzerParams p;
    p.hop = 512;
    LiveAnalyzer a(p);
    const auto x = sine(440.0f, p.sample_rate, 48000, 0.5f);
    std::size_t frames = 0;
    for (std::size_t i = 0; i < x.size(); i += std::size_t(block)) {
      const std::size_t n = std::min<std::size_t>(std::size_t(block), x.size() - i);
      frames += a.process({x.data() + i, n});
    }
    EXPECT_EQ(frames, 48000u / 512u) << "block " << block;
  }
}

TEST(LiveAnalyzer, SineGivesPitchLevelAndTime) {
  for (float rate : {44100.0f, 48000.0f}) {
    LiveAnalyzerParams p;
    p.sample_rate = rate;
    LiveAnalyzer a(p);
    const auto x = sine(440.0f, rate, int(rate), 0.5f);
    FeatureFrame last;
    float last_time = -1;
    for (std::size_t i = 0; i < x.size(); i += 128) {
      const std::size_t n = std::min<std::size_t>(128, x.size() - i);
      if (a.process({x.data() + i, n}) > 0) {
        last = a.frames().back();
        EXPECT_GT(last.time_s, last_time);
        last_time = last.time_s;
      }
    }
    EXPECT_NEAR(1200.0 * std::log2(last.f0_hz / 440.0), 0.0, 2.0);
    EXPECT_GT(last.confidence, 0.9f);
    EXPECT_NEAR(last.rms, 0.5f / std::sqrt(2.0f), 0.01f);
    EXPECT_NEAR(last.rms_dbfs, -9.03f, 0.1f);
    // Frame time points at the centre of the analysis window, i.e. latency before the newest sample.
    EXPECT_NEAR(last.time_s, (float(x.size()) - float(a.latency_samples())) / rate, 512.0f / rate);
  }
}

TEST(LiveAnalyzer, SilenceAndGarbageAreUnvoiced) {
  LiveAnalyzer a(LiveAnalyzerParams{});
  std::vector<float> silence(4096, 0.0f);
  ASSERT_GT(a.process(silence), 0u);
  EXPECT_EQ(a.frames().back().f0_hz, 0.0f);
  EXPECT_EQ(a.frames().back().rms_dbfs, kSilenceDbfs);

  std::vector<float> nan(4096, std::nanf(""));
  ASSERT_GT(a.process(nan), 0u);
  EXPECT_TRUE(std::isfinite(a.frames().back().rms));
}

TEST(LiveAnalyzer, ResetStartsTimeAgain) {
  LiveAnalyzer a(LiveAnalyzerParams{});
  std::vector<float> x(4096, 0.1f);
  a.process(x);
  a.reset();
  a.process({x.data(), 512});
  EXPECT_LT(a.frames().back().time_s, 0.0f + 512.0f / 48000.0f);
}
