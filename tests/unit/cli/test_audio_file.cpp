#include "cli/audio_file.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "support/wav_file.h"

using namespace etude::cli;
using etude::test::temp_path;
using etude::test::write_wav;

namespace {
struct Read {
  std::string error;
  AudioStats stats;
  std::vector<float> mono;
};

Read read(const std::string& path) {
  Read r;
  r.error = read_audio(path, AudioLimits{}, [&](std::span<const float> block, const AudioStats&) { r.mono.insert(r.mono.end(), block.begin(), block.end()); }, r.stats);
  return r;
}
}  // namespace

TEST(AudioFile, StereoIsMixedToMono) {
  std::vector<float> x;
  for (int i = 0; i < 1000; ++i) {
    x.push_back(0.5f);
    x.push_back(-0.1f);
  }
  const Read r = read(write_wav("stereo.wav", 44100, 2, x));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.stats.channels, 2);
  EXPECT_EQ(r.stats.frames, 1000);
  ASSERT_EQ(r.mono.size(), 1000u);
  EXPECT_FLOAT_EQ(r.mono[10], 0.2f);
  EXPECT_FLOAT_EQ(r.stats.peak, 0.2f);
  EXPECT_EQ(check_content("x", r.stats), "");
}

TEST(AudioFile, UnsupportedRatesAndMissingFilesSayWhy) {
  const Read low = read(write_wav("8k.wav", 8000, 1, std::vector<float>(800, 0.1f)));
  EXPECT_NE(low.error.find("8000 Hz is outside the supported 16000..96000 Hz"), std::string::npos) << low.error;
  const Read high = read(write_wav("192k.wav", 192000, 1, std::vector<float>(800, 0.1f)));
  EXPECT_NE(high.error.find("192000 Hz"), std::string::npos);
  const Read missing = read(temp_path("does_not_exist.wav"));
  EXPECT_NE(missing.error.find("cannot read this file"), std::string::npos);
  EXPECT_EQ(missing.error.find('\n'), std::string::npos);
}

TEST(AudioFile, EmptySilentNanAndClippedContent) {
  EXPECT_NE(check_content("f", read(write_wav("empty.wav", 44100, 1, {})).stats).find("empty"), std::string::npos);
  EXPECT_NE(check_content("f", read(write_wav("silent.wav", 44100, 1, std::vector<float>(4410, 0.0f))).stats).find("silent"), std::string::npos);
  std::vector<float> nan(4410, 0.3f);
  nan[100] = std::nanf("");
  nan[200] = INFINITY;
  const Read r = read(write_wav("nan.wav", 44100, 1, nan));
  EXPECT_EQ(r.stats.non_finite, 2);
  EXPECT_NE(check_content("f", r.stats).find("2 samples are NaN or infinite"), std::string::npos);
  std::vector<float> clipped(4410);
  for (std::size_t i = 0; i < clipped.size(); ++i) clipped[i] = std::clamp(3.0f * std::sin(float(i) * 0.05f), -1.0f, 1.0f);
  const Read c = read(write_wav("clipped.wav", 44100, 1, clipped, false));
  EXPECT_EQ(check_content("f", c.stats), "");
  EXPECT_NE(content_warning("f", c.stats).find("clipped"), std::string::npos);
}

TEST(AudioFile, TooManyChannels) {
  const Read r = read(write_wav("twelve.wav", 44100, 12, std::vector<float>(12 * 100, 0.1f)));
  EXPECT_NE(r.error.find("12 channels"), std::string::npos);
}
