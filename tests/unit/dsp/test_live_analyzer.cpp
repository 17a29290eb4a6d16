#include "dsp/live_analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "signals.h"

using namespace etude::dsp;

namespace {
std::vector<FeatureFrame> run(LiveAnalyzer& a, const std::vector<float>& x, std::size_t block = 128) {
  std::vector<FeatureFrame> out;
  for (std::size_t i = 0; i < x.size(); i += block) {
    const std::size_t n = std::min(block, x.size() - i);
    a.process({x.data() + i, n});
    out.insert(out.end(), a.frames().begin(), a.frames().end());
  }
  return out;
}
}  // namespace

TEST(LiveAnalyzer, RejectsBadParams) {
  LiveAnalyzerParams p;
  p.hop = 4;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.sample_rate = 8000;
  EXPECT_NE(p.validate(), nullptr);
  p.sample_rate = 192000;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.lookahead_frames = -1;
  EXPECT_NE(p.validate(), nullptr);
  EXPECT_EQ(LiveAnalyzerParams{}.validate(), nullptr);
}

TEST(LiveAnalyzer, FramesEveryHopWhateverTheBlockSize) {
  for (std::size_t block : {1u, 37u, 128u, 512u, 1500u}) {
    LiveAnalyzerParams p;
    LiveAnalyzer a(p);
    const auto x = etude::test::sine(440.0, p.sample_rate, 48000);
    const auto frames = run(a, x, block);
    // One frame per hop: the pipeline starts primed with lookahead hops of silence.
    EXPECT_EQ(frames.size(), 48000u / 512u) << "block " << block;
    EXPECT_LT(frames.front().time_s, 0.0f);
  }
}

TEST(LiveAnalyzer, SineGivesPitchLevelLoudnessAndTime) {
  for (float rate : {16000.0f, 44100.0f, 48000.0f, 96000.0f}) {
    LiveAnalyzerParams p;
    p.sample_rate = rate;
    LiveAnalyzer a(p);
    const auto x = etude::test::sine(440.0, rate, std::size_t(4 * rate), 0.5);
    const auto frames = run(a, x);
    ASSERT_FALSE(frames.empty());
    for (std::size_t i = 1; i < frames.size(); ++i) ASSERT_GT(frames[i].time_s, frames[i - 1].time_s);
    const FeatureFrame& last = frames.back();
    EXPECT_NEAR(etude::test::cents(last.f0_hz, 440.0), 0.0, 1.0) << rate;
    EXPECT_GT(last.confidence, 0.9f);
    EXPECT_NEAR(last.rms, 0.5f / std::sqrt(2.0f), 0.01f);
    EXPECT_NEAR(last.rms_dbfs, -9.03f, 0.2f);  // a 512-sample hop holds a fractional number of cycles
    // -9.03 dB mean square, -0.69 dB BS.1770 offset, and K-weighting lifts 440 Hz by about 0.1 dB.
    EXPECT_NEAR(last.short_term_lufs, -9.63f, 0.15f);
    EXPECT_EQ(last.chroma[9], 1.0f);  // A
    EXPECT_LT(last.chroma[0], 0.2f);
    EXPECT_NEAR(last.centroid_hz, 440.0f, 30.0f);
    // The frame describes the moment latency_samples() before the newest sample.
    const float newest = float(x.size() - x.size() % std::size_t(p.hop)) / rate;
    EXPECT_NEAR(last.time_s, newest - float(a.latency_samples()) / rate, 1.5f / rate);
  }
}

TEST(LiveAnalyzer, SilenceNoiseAndGarbageAreUnvoiced) {
  LiveAnalyzer a(LiveAnalyzerParams{});
  const auto silent = run(a, std::vector<float>(48000, 0.0f));
  ASSERT_FALSE(silent.empty());
  EXPECT_EQ(silent.back().f0_hz, 0.0f);
  EXPECT_EQ(silent.back().rms_dbfs, kSilenceDbfs);
  EXPECT_EQ(silent.back().onset, 0.0f);
  for (float c : silent.back().chroma) EXPECT_EQ(c, 0.0f);

  const auto noisy = run(a, etude::test::noise(48000, 0.2));
  int voiced = 0;
  for (const auto& f : noisy) voiced += f.f0_hz > 0;
  EXPECT_LT(voiced, int(noisy.size() / 10));

  std::vector<float> bad(8192, std::nanf(""));
  for (std::size_t i = 0; i < bad.size(); i += 3) bad[i] = i % 2 ? 3e38f : -1e30f;  // corrupt float files
  const auto garbage = run(a, bad);
  for (const auto& f : garbage) {
    for (std::size_t i = 0; i < kFeatureFrameFloats; ++i) ASSERT_TRUE(std::isfinite(reinterpret_cast<const float*>(&f)[i]));
  }
}

TEST(LiveAnalyzer, MarksOnsetsOfPluckedNotesWithinTwentyMilliseconds) {
  LiveAnalyzerParams p;
  LiveAnalyzer a(p);
  const std::vector<double> truth = {0.5, 1.0, 1.5, 1.8, 2.4};
  const auto x = etude::test::plucks(truth, {220.0, 330.0, 262.0, 392.0, 294.0}, p.sample_rate, std::size_t(3 * p.sample_rate));
  std::vector<float> found;
  for (const auto& f : run(a, x)) {
    if (f.onset > 0) found.push_back(f.time_s);
  }
  ASSERT_EQ(found.size(), truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) EXPECT_NEAR(found[i], truth[i], 0.02) << i;
}

TEST(LiveAnalyzer, ResetStartsTimeAgain) {
  LiveAnalyzer a(LiveAnalyzerParams{});
  std::vector<float> x(8192, 0.1f);
  a.process(x);
  a.reset();
  const auto frames = run(a, std::vector<float>(512 * 4, 0.1f));
  ASSERT_FALSE(frames.empty());
  EXPECT_LT(frames.front().time_s, 0.0f + 512.0f / 48000.0f);
}
