#include "worklet/metronome_abi.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

TEST(MetronomeAbi, RejectsBadSettingsWithAReason) {
  EXPECT_EQ(etude_metronome_create(100.0f, 128), nullptr);
  EtudeMetronome* m = etude_metronome_create(48000.0f, 128);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(etude_metronome_start(m, 500.0f, 4, 1, 0, 0.0), -1);
  EXPECT_NE(std::string(etude_metronome_last_error()), "");
  EXPECT_EQ(etude_metronome_update(m, 100.0f, 0, 1, 0), -1);
  etude_metronome_destroy(m);
}

TEST(MetronomeAbi, RendersClicksAndReportsBeatsAtExactFrames) {
  EtudeMetronome* m = etude_metronome_create(48000.0f, 128);
  ASSERT_EQ(etude_metronome_start(m, 120.0f, 4, 1, 1, 1000.0), 0);
  const int doubles = etude_metronome_beat_doubles();
  std::vector<double> frames;
  std::vector<int> bars;
  double energy_after_beat = 0, energy_before = 0;
  for (int block = 0; block < 48000 * 3 / 128; ++block) {
    const double from = block * 128.0;
    const int n = etude_metronome_render(m, from, 128);
    const float* out = etude_metronome_output(m);
    for (int i = 0; i < 128; ++i) (from + i < 1000 ? energy_before : energy_after_beat) += out[i] * out[i];
    for (int k = 0; k < n; ++k) {
      const double* r = etude_metronome_beats(m) + k * doubles;
      frames.push_back(r[0]);
      bars.push_back(int(r[1]));
    }
  }
  ASSERT_EQ(frames.size(), 6u);  // 3 s at 120 BPM
  for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(frames[i], 1000.0 + 24000.0 * double(i));
  EXPECT_EQ(bars[0], -1);  // the count-in bar
  EXPECT_EQ(bars[4], 0);
  EXPECT_EQ(energy_before, 0.0);
  EXPECT_GT(energy_after_beat, 1.0);
  etude_metronome_stop(m);
  EXPECT_EQ(etude_metronome_render(m, 48000.0 * 10, 128), 0);
  etude_metronome_destroy(m);
}
