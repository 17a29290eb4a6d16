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

namespace {
ReattackParams reattack_params() {
  ReattackParams p;
  p.frame_rate = 100.0f;  // 10 ms frames: fall 6, rise 4, held 20, isolation 30 frames
  return p;
}

// A held note at -20 dB with a V-shaped dip of `depth` dB centred on each of `centres` (3 frames down, 3 up).
std::vector<float> held_with_dips(std::size_t frames, const std::vector<int>& centres, float depth) {
  std::vector<float> level(frames, -20.0f);
  for (int c : centres) {
    for (int k = -3; k <= 3; ++k) level[std::size_t(c + k)] = -20.0f - depth * float(3 - std::abs(k)) / 3.0f;
  }
  return level;
}
}  // namespace

TEST(Reattack, ParamsValidate) {
  EXPECT_EQ(ReattackParams{}.validate(), nullptr);
  ReattackParams p;
  p.depth_db = 0.5f;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(Reattack, AHeldNoteThatDipsAndComesBackIsReattacked) {
  const auto level = held_with_dips(100, {50}, 15.0f);
  const std::vector<float> f0(100, 440.0f);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(is_reattack(level, f0, i, reattack_params()), i == 50) << i;
}

TEST(Reattack, ShallowUnvoicedFadingOrRepeatedDipsAreNot) {
  const std::vector<float> f0(200, 440.0f);
  EXPECT_FALSE(is_reattack(held_with_dips(100, {50}, 5.0f), f0, 50, reattack_params()));             // under depth_db
  EXPECT_FALSE(is_reattack(held_with_dips(100, {50}, 15.0f), std::vector<float>(100, 0.0f), 50, reattack_params()));  // unvoiced
  auto tail = held_with_dips(100, {50}, 15.0f);
  for (int i = 0; i < 40; ++i) tail[std::size_t(i)] = -10.0f;  // a louder note 0.1-0.2 s before: its tail comes back 10 dB down
  EXPECT_FALSE(is_reattack(tail, f0, 50, reattack_params()));
  // Tremolo: a dip every 0.15 s. Only the first has no other within isolation_s before it.
  const auto tremolo = held_with_dips(200, {40, 55, 70, 85}, 15.0f);
  EXPECT_TRUE(is_reattack(tremolo, f0, 40, reattack_params()));
  for (int c : {55, 70, 85}) EXPECT_FALSE(is_reattack(tremolo, f0, c, reattack_params())) << c;
}

// In broadband noise the strength never rests: the largest frame of the window is as likely the noise's as
// the attack's. With noise_factor set, a pitch change whose window holds nothing above noise_factor times
// the noise floor keeps its own frame; a peak well above the floor is still taken.
TEST(OnsetLocator, InNoiseAPitchChangeKeepsItsFrameUnlessAnAttackStandsOut) {
  std::vector<float> strength(200), level(200, -20.0f);
  for (std::size_t i = 0; i < strength.size(); ++i) strength[i] = 2.0f + 1.0f * float((i * 7) % 5) / 4.0f;  // 2..3, no rest
  strength[140] = 4.5f;  // a noise peak 10 frames before the cue
  strength[139] = 1.0f;  // (and a trough before it, so that the locator does not move further back)
  OnsetLocatorParams p = params();
  std::vector<float> scratch(std::size_t(onset_floor_frames(p)));
  const float floor = onset_strength_floor(strength, 150, p, scratch);
  EXPECT_GE(floor, 2.0f);
  EXPECT_LE(floor, 2.5f);
  EXPECT_EQ(locate_onset(strength, level, 150, OnsetCue::pitch_change, p, floor), 140);  // off by default: the noise peak
  p.noise_factor = 2.5f;
  EXPECT_EQ(locate_onset(strength, level, 150, OnsetCue::pitch_change, p, floor), 150);  // 4.5 < 2.5 x floor: the cue
  strength[140] = 9.0f;  // a real attack stands out of the noise
  EXPECT_EQ(locate_onset(strength, level, 150, OnsetCue::pitch_change, p, floor), 140);
  // Clean: the floor is near 0 and the rule never fires.
  std::vector<float> quiet(200, 0.05f);
  quiet[140] = 1.5f;
  EXPECT_EQ(locate_onset(quiet, level, 150, OnsetCue::pitch_change, p, onset_strength_floor(quiet, 150, p, scratch)), 140);
  // Voicing cues are not moved.
  strength[140] = 4.5f;
  EXPECT_NE(locate_onset(strength, level, 150, OnsetCue::voicing, p, floor), 150);
  p.noise_factor = -1.0f;
  EXPECT_NE(p.validate(), nullptr);
}
