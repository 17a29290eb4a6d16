#include "music/metronome.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace etude::music;

namespace {
std::vector<Beat> run(MetronomeClock& clock, std::int64_t frames, int block = 128) {
  std::vector<Beat> beats;
  for (std::int64_t f = 0; f < frames; f += block) clock.advance(f, block, [&](const Beat& b) { beats.push_back(b); });
  return beats;
}
}  // namespace

TEST(Metronome, SettingsValidate) {
  MetronomeSettings s;
  EXPECT_EQ(s.validate(), nullptr);
  s.bpm = 20;
  EXPECT_NE(s.validate(), nullptr);
  s = {};
  s.beats_per_bar = 0;
  EXPECT_NE(s.validate(), nullptr);
}

TEST(Metronome, BeatsLandOnExactFramesWithoutDrift) {
  MetronomeClock clock(48000.0);
  MetronomeSettings s;
  s.bpm = 120.0f;
  clock.start(s, 1000);
  const auto beats = run(clock, 48000 * 60);  // one minute
  ASSERT_EQ(beats.size(), 120u);
  for (std::size_t i = 0; i < beats.size(); ++i) EXPECT_EQ(beats[i].frame, 1000 + std::int64_t(i) * 24000);
}

TEST(Metronome, FractionalBeatLengthsDoNotAccumulateError) {
  MetronomeClock clock(44100.0);
  MetronomeSettings s;
  s.bpm = 97.0f;  // 27278.35... frames per beat
  clock.start(s, 0);
  const auto beats = run(clock, 44100LL * 600);  // ten minutes
  const double exact = 44100.0 * 60.0 / 97.0;
  for (std::size_t i = 0; i < beats.size(); ++i) {
    EXPECT_LE(std::fabs(double(beats[i].frame) - exact * double(i)), 0.5 + 1e-6) << i;
  }
}

TEST(Metronome, CountInBarsAccentsAndMetre) {
  MetronomeClock clock(48000.0);
  MetronomeSettings s;
  s.bpm = 60.0f;
  s.beats_per_bar = 3;
  s.count_in_bars = 1;
  s.accents = 0b001;
  clock.start(s, 0);
  const auto beats = run(clock, 48000 * 7);
  ASSERT_EQ(beats.size(), 7u);
  EXPECT_TRUE(beats[0].count_in());
  EXPECT_EQ(beats[0].bar, -1);
  EXPECT_EQ(beats[2].bar, -1);
  EXPECT_EQ(beats[3].bar, 0);
  EXPECT_FALSE(beats[3].count_in());
  EXPECT_EQ(beats[6].bar, 1);
  for (const Beat& b : beats) EXPECT_EQ(b.accent, b.beat == 0) << b.bar << ":" << b.beat;
  EXPECT_EQ(beats[4].beat, 1);
}

TEST(Metronome, TempoChangeTakesEffectFromTheNextBeat) {
  MetronomeClock clock(48000.0);
  MetronomeSettings s;
  s.bpm = 120.0f;
  clock.start(s, 0);
  std::vector<Beat> beats;
  clock.advance(0, 30000, [&](const Beat& b) { beats.push_back(b); });  // beats at 0 and 24000
  s.bpm = 60.0f;
  clock.update(s);
  clock.advance(30000, 100000, [&](const Beat& b) { beats.push_back(b); });
  ASSERT_GE(beats.size(), 4u);
  EXPECT_EQ(beats[2].frame, 48000);          // scheduled at the old tempo
  EXPECT_EQ(beats[3].frame, 48000 + 48000);  // then one second apart
}

TEST(Metronome, ClickSoundsAtItsOffsetAndDecays) {
  ClickVoice click(48000.0);
  Beat b;
  b.accent = true;
  std::vector<float> out(128, 0.0f);
  click.render(std::span(out).first(100));  // nothing sounding yet
  click.trigger(b);
  click.render(std::span(out).subspan(100));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(out[std::size_t(i)], 0.0f);
  float peak = 0;
  for (int i = 100; i < 128; ++i) peak = std::max(peak, std::fabs(out[std::size_t(i)]));
  EXPECT_GT(peak, 0.1f);
  // 40 ms later the click is over.
  std::vector<float> later(128, 0.0f);
  for (int k = 0; k < 20; ++k) {
    std::fill(later.begin(), later.end(), 0.0f);
    click.render(later);
  }
  for (float v : later) EXPECT_EQ(v, 0.0f);
}

TEST(Metronome, TapTempoUsesTheMedianAndResetsAfterAPause) {
  TapTempo tap;
  EXPECT_EQ(tap.tap(10.0), 0.0f);
  EXPECT_NEAR(tap.tap(10.5), 120.0f, 1e-3f);
  tap.tap(11.0);
  tap.tap(11.9);  // one late tap
  EXPECT_NEAR(tap.tap(12.4), 120.0f, 1e-3f);
  EXPECT_EQ(tap.tap(20.0), 0.0f);  // long pause: start again
  EXPECT_NEAR(tap.tap(20.25), 240.0f, 1e-3f);
  EXPECT_NEAR(tap.tap(20.26), 240.0f, 1e-3f);  // clamped at 240 (median of 0.25 and 0.01 is 0.13 s)
}
