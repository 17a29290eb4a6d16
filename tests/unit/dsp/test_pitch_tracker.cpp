#include "dsp/pitch_tracker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "signals.h"

using namespace etude::dsp;
using etude::test::cents;

namespace {
constexpr float kRate = 48000.0f;
constexpr int kHop = 256;

std::vector<YinCandidates> candidates_of(const std::vector<float>& x) {
  YinParams yp;
  yp.sample_rate = kRate;
  YinPitch yin(yp);
  std::vector<YinCandidates> out;
  for (std::size_t end = std::size_t(yin.window_size()); end <= x.size(); end += kHop)
    out.push_back(yin.analyze({x.data(), end}));
  return out;
}

PitchTrackerParams params(int lookahead = 2) {
  PitchTrackerParams p;
  p.frame_rate = kRate / kHop;
  p.lookahead_frames = lookahead;
  return p;
}
}  // namespace

TEST(PitchTracker, ParamsValidate) {
  EXPECT_EQ(params().validate(), nullptr);
  auto p = params();
  p.lookahead_frames = 100;
  EXPECT_NE(p.validate(), nullptr);
  p = params();
  p.voicing_switch_prob = 0;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(PitchTracker, LiveDecisionsArriveLookaheadFramesLate) {
  const auto frames = candidates_of(etude::test::sine(330.0, kRate, 48000));
  PitchTracker tracker(params(3));
  int decided = 0;
  for (const auto& f : frames) decided += tracker.push(f);
  EXPECT_EQ(decided, int(frames.size()) - 3);
  EXPECT_NEAR(cents(tracker.decided().f0_hz, 330.0), 0.0, 1.0);
}

// path(): the decided frame first, then the look-ahead as the best path has it now. On a note change the
// newest frames of the path already read the new note while decided() still reads the old one.
TEST(PitchTracker, PathRunsFromTheDecidedFrameToTheNewest) {
  auto x = etude::test::sine(330.0, kRate, 24000);
  const auto y = etude::test::sine(440.0, kRate, 24000);
  x.insert(x.end(), y.begin(), y.end());
  const auto frames = candidates_of(x);
  PitchTracker tracker(params(4));
  bool seen_change = false;
  for (const auto& f : frames) {
    if (!tracker.push(f)) continue;
    ASSERT_EQ(tracker.path().size(), 5u);
    EXPECT_EQ(tracker.path()[0].f0_hz, tracker.decided().f0_hz);
    const auto path = tracker.path();
    if (std::abs(cents(path[0].f0_hz, 330.0)) < 20 && std::abs(cents(path.back().f0_hz, 440.0)) < 20) seen_change = true;
  }
  EXPECT_TRUE(seen_change);
  EXPECT_NEAR(cents(tracker.path().back().f0_hz, 440.0), 0.0, 1.0);
}

// A vibrato tone with noise has frames whose most probable candidate is an octave off; the HMM keeps
// the continuous track, offline and live.
TEST(PitchTracker, SmoothsOctaveErrorsOfSingleFrames) {
  auto x = etude::test::vibrato(196.0, 60.0, 5.5, kRate, 3 * 48000, 0.3);
  etude::test::add(x, etude::test::noise(x.size(), 0.08));
  const auto frames = candidates_of(x);
  const auto offline = track_pitch_offline(frames, params());
  PitchTracker live(params(2));
  std::vector<PitchPoint> online;
  for (const auto& f : frames) {
    if (live.push(f)) online.push_back(live.decided());
  }
  auto gross_errors = [](const std::vector<PitchPoint>& track) {
    int bad = 0;
    for (const auto& p : track) bad += p.f0_hz <= 0 || std::abs(cents(p.f0_hz, 196.0)) > 100.0;
    return bad;
  };
  // About 8 dB SNR: allow 1% of frames to be more than a semitone off or unvoiced.
  EXPECT_LE(gross_errors(offline), int(offline.size() / 100));
  EXPECT_LE(gross_errors(online), int(online.size() / 100));
}

TEST(PitchTracker, NoteThenSilenceThenNote) {
  std::vector<float> x = etude::test::sine(440.0, kRate, 24000, 0.4);
  x.resize(48000, 0.0f);
  const auto second = etude::test::sine(110.0, kRate, 24000, 0.4);
  x.insert(x.end(), second.begin(), second.end());
  const auto track = track_pitch_offline(candidates_of(x), params());
  int voiced_in_gap = 0, wrong = 0;
  for (std::size_t i = 0; i < track.size(); ++i) {
    const double centre_s = (double(i) * kHop + 2000) / kRate;  // roughly the window centre
    if (centre_s > 0.6 && centre_s < 0.9) voiced_in_gap += track[i].f0_hz > 0;
    if (centre_s > 0.1 && centre_s < 0.4) wrong += std::abs(cents(track[i].f0_hz, 440.0)) > 1.0;
    if (centre_s > 1.1 && centre_s < 1.4) wrong += std::abs(cents(track[i].f0_hz, 110.0)) > 1.0;
  }
  EXPECT_EQ(voiced_in_gap, 0);
  EXPECT_EQ(wrong, 0);
}

TEST(PitchTracker, FollowsAChirpAcrossTheRange) {
  const double f0 = 60.0, f1 = 1800.0, seconds = 3.0;
  const auto x = etude::test::chirp(f0, f1, kRate, std::size_t(seconds * kRate), 0.4);
  const auto frames = candidates_of(x);
  const auto track = track_pitch_offline(frames, params());
  YinParams yp;
  const double centre = YinPitch(yp).window_size() / 2.0;
  int bad = 0;
  for (std::size_t i = 0; i < track.size(); ++i) {
    const double t = (double(i) * kHop + centre) / kRate;
    const double truth = f0 * std::exp(std::log(f1 / f0) * t / seconds);
    bad += std::abs(cents(track[i].f0_hz, truth)) > 50.0;
  }
  EXPECT_LT(bad, int(track.size() / 50));
}

TEST(PitchTracker, NoiseStaysUnvoiced) {
  const auto frames = candidates_of(etude::test::noise(48000, 0.3));
  int voiced = 0;
  for (const auto& p : track_pitch_offline(frames, params())) voiced += p.f0_hz > 0;
  EXPECT_EQ(voiced, 0);
}
