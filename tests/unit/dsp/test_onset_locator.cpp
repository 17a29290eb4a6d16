#include "dsp/onset_locator.h"

#include <gtest/gtest.h>

#include <vector>

using namespace etude::dsp;

namespace {
OnsetLocatorParams params() {
  OnsetLocatorParams p;
  p.frame_rate = 100.0f;  // 10 ms frames: the 0.15 s change window is 15 frames, the voicing window 10
  return p;
}
}  // namespace

TEST(OnsetLocator, PitchChangeGoesBackToTheStartOfItsSoftAttack) {
  // A steady note (strength 0.2), then a soft attack rising from frame 40 to a low peak at frame 42,
  // the pitch track switching at frame 50.
  std::vector<float> strength(60, 0.2f), level(60, -20.0f);
  strength[40] = 1.4f;
  strength[41] = 2.5f;
  strength[42] = 3.0f;
  strength[43] = 1.0f;
  EXPECT_EQ(locate_onset(strength, level, 50, OnsetCue::pitch_change, params()), 41);  // 2.5 holds half of the 3.0 peak; 1.4 does not
}

TEST(OnsetLocator, LooksOnlyBackAndOnlyWithinItsWindow) {
  std::vector<float> strength(80, 0.1f), level(80, -20.0f);
  strength[30] = 9.0f;  // 20 frames before the cue: outside the 15-frame window
  strength[52] = 9.0f;  // after the cue: not looked at for a pitch change
  strength[40] = 2.0f;
  EXPECT_EQ(locate_onset(strength, level, 50, OnsetCue::pitch_change, params()), 40);
  EXPECT_EQ(locate_onset(strength, level, 200, OnsetCue::pitch_change, params()), -1);  // out of range
}

TEST(OnsetLocator, ACueWithNoAttackInFrontOfItIsNoOnset) {
  // A pitch track wandering in a reverberant tail: the strength before the cue stays under min_strength.
  std::vector<float> strength(60, 0.3f), level(60, -30.0f);
  strength[45] = 1.0f;
  EXPECT_EQ(locate_onset(strength, level, 50, OnsetCue::pitch_change, params()), -1);
  std::vector<float> silent(60, 0.0f);
  EXPECT_EQ(locate_onset(silent, level, 50, OnsetCue::voicing, params()), -1);
  OnsetLocatorParams any = params();
  any.min_strength = 0.5f;
  EXPECT_EQ(locate_onset(strength, level, 50, OnsetCue::pitch_change, any), 45);
}

TEST(OnsetLocator, VoicingStartIgnoresTheSplatterOfTheNoteBeforeIt) {
  // The previous note stops at frame 42 (strong flux, level falling to silence); the next note's
  // attack starts at frame 50, where voicing starts, and its strength peaks one frame later.
  std::vector<float> strength(60, 0.0f), level(60, -20.0f);
  strength[42] = 20.0f;
  strength[43] = 15.0f;
  for (int i = 42; i < 50; ++i) level[std::size_t(i)] = -80.0f;
  level[50] = -40.0f;
  level[51] = -25.0f;
  strength[50] = 4.0f;
  strength[51] = 6.0f;
  EXPECT_EQ(locate_onset(strength, level, 50, OnsetCue::voicing, params()), 50);
  // As a pitch change (no level rule) the bigger splatter would win: the rule is what keeps it out.
  EXPECT_EQ(locate_onset(strength, level, 50, OnsetCue::pitch_change, params()), 42);
}

TEST(OnsetLocator, ValidatesItsParameters) {
  OnsetLocatorParams p;
  EXPECT_EQ(p.validate(), nullptr);
  p.fraction = 1.5f;
  EXPECT_NE(p.validate(), nullptr);
  p = OnsetLocatorParams{};
  p.change_window_s = 0.6f;
  EXPECT_NE(p.validate(), nullptr);
  p = OnsetLocatorParams{};
  p.min_strength = -1.0f;
  EXPECT_NE(p.validate(), nullptr);
  p = OnsetLocatorParams{};
  p.voicing_after_frames = 9;
  EXPECT_NE(p.validate(), nullptr);
}
