#include "dsp/live_onset_cues.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "dsp/live_analyzer.h"
#include "live_params.h"
#include "signals.h"

using namespace etude::dsp;
using etude::test::live_params;

namespace {
// The live analyser's onset flags (FeatureFrame::onset) as frame times.
std::vector<float> live_onsets(const LiveAnalyzerParams& p, const std::vector<float>& x) {
  LiveAnalyzer a(p);
  std::vector<float> found;
  for (std::size_t i = 0; i < x.size(); i += 128) {
    a.process({x.data() + i, std::min<std::size_t>(128, x.size() - i)});
    for (const FeatureFrame& f : a.frames()) {
      if (f.onset > 0) found.push_back(f.time_s);
    }
  }
  return found;
}

// A tone of 8 partials at 1/k whose frequency follows hz(t) (phase accumulated: no click, no level change),
// sounding from start_s on, after silence.
std::vector<float> tone(double rate, double seconds, double start_s, const std::function<double(double)>& hz, double amp = 0.3) {
  std::vector<float> x(std::size_t(seconds * rate), 0.0f);
  double phase = 0;
  for (std::size_t i = std::size_t(start_s * rate); i < x.size(); ++i) {
    const double t = double(i) / rate;
    phase += 2.0 * M_PI * hz(t) / rate;
    double v = 0;
    for (int k = 1; k <= 8; ++k) v += std::sin(k * phase) / k;
    x[i] = float(amp * v);
  }
  return x;
}

// Two tones of 8 partials at 1/k, the second taking over from the first at change_s with an equal-power
// crossfade of xfade_s (legato: no attack, no level dip), after silence until start_s.
std::vector<float> legato_pair(double rate, double seconds, double start_s, double hz1, double hz2, double change_s, double xfade_s,
                               double amp = 0.3) {
  std::vector<float> x(std::size_t(seconds * rate), 0.0f);
  double p1 = 0, p2 = 0;
  for (std::size_t i = std::size_t(start_s * rate); i < x.size(); ++i) {
    const double t = double(i) / rate;
    p1 += 2.0 * M_PI * hz1 / rate;
    p2 += 2.0 * M_PI * hz2 / rate;
    const double w = xfade_s > 0 ? std::clamp((t - change_s) / xfade_s + 0.5, 0.0, 1.0) : double(t >= change_s);
    double v1 = 0, v2 = 0;
    for (int k = 1; k <= 8; ++k) v1 += std::sin(k * p1) / k, v2 += std::sin(k * p2) / k;
    x[i] = float(amp * (std::cos(w * M_PI / 2) * v1 + std::sin(w * M_PI / 2) * v2));
  }
  return x;
}

int count_between(const std::vector<float>& times, double from, double to) {
  int n = 0;
  for (float t : times) n += t >= from && t < to;
  return n;
}

}  // namespace

TEST(LiveOnsetCues, RejectsBadParams) {
  LiveOnsetCueParams c;
  EXPECT_EQ(c.validate(), nullptr);
  c.change_cents = 10.0f;
  EXPECT_NE(c.validate(), nullptr);
  c = {};
  c.min_confidence = 1.5f;
  EXPECT_NE(c.validate(), nullptr);
  c = {};
  c.slip_span_s = 0.6f;
  EXPECT_NE(c.validate(), nullptr);
  LiveAnalyzerParams p;
  p.pitch_onset_cents = 5.0f;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.pitch_onset_hold_s = 0.5f;
  EXPECT_NE(p.validate(), nullptr);
}

// Legato: A3 to B3 and to G3, the new note taking over within 50 ms with no attack and no level dip (a
// slurred change). SuperFlux hears neither change (WithoutTheCuesTheLegatoChangesAreNotHeard); the pitch
// track hears each, and flags it within the look-ahead the frames already wait for.
TEST(LiveOnsetCues, ALegatoNoteChangeIsOneOnsetAtTheChange) {
  for (const LiveAnalyzerParams& p : live_params()) {
    for (double hz2 : {246.94, 196.0}) {
      const double change = 1.3;
      const auto found = live_onsets(p, legato_pair(p.sample_rate, 2.5, 0.3, 220.0, hz2, change, 0.05));
      for (float t : found) std::printf("%.0f Hz / %d, 220 -> %.0f Hz: onset at %.3f s\n", p.sample_rate, p.hop, hz2, t);
      EXPECT_EQ(count_between(found, 0.25, 0.35), 1) << "the first note, " << p.hop << " " << hz2;
      ASSERT_EQ(count_between(found, 0.35, 2.5), 1) << "one onset after the first, " << p.hop << " " << hz2;
      for (float t : found) {
        if (t > 0.35f) {
          EXPECT_NEAR(t, change, 0.03) << p.hop << " " << hz2;
        }
      }
    }
  }
}

// The same changes with the live cues off: what the flags were before them (and what `etude analyze
// onsets` still feeds its own whole-file cues), at the app's hops. (At hop 512 SuperFlux, comparing frames
// further apart, does catch these two.)
TEST(LiveOnsetCues, WithoutTheCuesTheLegatoChangesAreNotHeard) {
  for (LiveAnalyzerParams p : live_params()) {
    if (p.hop == 512) continue;
    p.pitch_onsets = p.voicing_onsets = false;
    for (double hz2 : {246.94, 196.0}) {
      EXPECT_EQ(count_between(live_onsets(p, legato_pair(p.sample_rate, 2.5, 0.3, 220.0, hz2, 1.3, 0.05)), 0.35, 2.5), 0)
          << p.sample_rate << " " << p.hop << " " << hz2;
    }
  }
}

TEST(LiveOnsetCues, VibratoAndASteadyNoteAreOneOnset) {
  for (const LiveAnalyzerParams& p : live_params()) {
    for (double rate_hz : {5.0, 5.5, 6.0}) {
      const auto x = tone(p.sample_rate, 3.0, 0.3, [&](double t) { return 196.0 * std::exp2(40.0 / 1200.0 * std::sin(2 * M_PI * rate_hz * (t - 0.3))); });
      const auto found = live_onsets(p, x);
      EXPECT_EQ(count_between(found, 0.25, 0.35), 1) << p.hop << " vibrato " << rate_hz;
      EXPECT_EQ(count_between(found, 0.35, 3.0), 0) << p.hop << " vibrato " << rate_hz;
    }
    const auto steady = live_onsets(p, tone(p.sample_rate, 3.0, 0.3, [](double) { return 330.0; }));
    EXPECT_EQ(count_between(steady, 0.25, 0.35), 1) << p.hop;
    EXPECT_EQ(count_between(steady, 0.35, 3.0), 0) << p.hop;
  }
}

// A legato phrase of five notes, up and down by 1-4 semitones: one onset per note.
TEST(LiveOnsetCues, ALegatoPhraseHasOneOnsetPerNote) {
  const std::vector<double> starts = {0.3, 0.8, 1.3, 1.8, 2.3}, hz = {262.0, 294.0, 330.0, 277.0, 247.0};
  for (const LiveAnalyzerParams& p : live_params()) {
    const auto x = tone(p.sample_rate, 2.8, 0.3, [&](double t) {
      std::size_t i = 0;
      while (i + 1 < starts.size() && t >= starts[i + 1]) ++i;
      return hz[i];
    });
    const auto found = live_onsets(p, x);
    ASSERT_EQ(found.size(), starts.size()) << p.hop;
    for (std::size_t i = 0; i < starts.size(); ++i) EXPECT_NEAR(found[i], starts[i], 0.03) << p.hop << " note " << i;
  }
}

// A plucked A2 fading into white noise: the pitch track wanders in the tail (into and out of voicing, to
// octaves and twelfths of the note); the only onset is the pluck.
TEST(LiveOnsetCues, APluckFadingIntoNoiseIsOneOnset) {
  for (const LiveAnalyzerParams& p : live_params()) {
    for (double hz : {110.0, 196.0}) {
      auto x = etude::test::plucks({0.5}, {hz}, p.sample_rate, std::size_t(3.0 * p.sample_rate));
      const auto n = etude::test::noise(x.size(), 0.003, 5);
      for (std::size_t i = 0; i < x.size(); ++i) x[i] += n[i];
      const auto found = live_onsets(p, x);
      EXPECT_EQ(count_between(found, 0.45, 0.55), 1) << p.hop << " " << hz;
      EXPECT_EQ(count_between(found, 0.55, 3.0), 0) << p.hop << " " << hz;
    }
  }
}

namespace {
// Drives LiveOnsetCues directly: every hop a frame of strength, level, candidates and the pitch the track
// reads there (the path through the look-ahead is those frames' pitches). Returns the frames flagged.
struct Driver {
  LiveOnsetCueParams params;
  LiveOnsetCues cues;
  explicit Driver(const LiveOnsetCueParams& p) : params(p), cues(p) {}
  std::vector<float> track;
  std::vector<std::int64_t> flagged;
  void hop(float strength, float level_db, std::initializer_list<float> candidate_hz, float track_hz) {
    YinCandidates c;
    for (float hz : candidate_hz) {
      c.candidates[std::size_t(c.count)].f0_hz = hz;
      c.candidates[std::size_t(c.count)].probability = 0.9f / float(candidate_hz.size());
      c.candidates[std::size_t(c.count)].aperiodicity = 0.05f;
      ++c.count;
    }
    c.voiced_probability = candidate_hz.size() > 0 ? 0.9f : 0.0f;
    cues.add_frame(strength, level_db, c);
    track.push_back(track_hz);
    const std::size_t lookahead = std::size_t(params.lookahead_frames);
    if (track.size() <= lookahead) return;
    std::vector<PitchPoint> path;
    for (std::size_t k = track.size() - 1 - lookahead; k < track.size(); ++k) path.push_back({track[k], 0.9f});
    const std::int64_t at = cues.decide(path);
    if (at >= 0) flagged.push_back(at);
  }
};

LiveOnsetCueParams driver_params() {
  LiveOnsetCueParams p;
  p.frame_rate = 187.5f;
  p.lookahead_frames = 4;
  p.voicing_starts = false;
  return p;
}
}  // namespace

// The track leaves 220 Hz for 110 Hz while 220 Hz stays among the candidates (an octave slip in one
// sound): no onset. A fourth down, where neither the old period stays nor the new one was there, is a note.
TEST(LiveOnsetCues, AnOctaveSlipIsNoNoteButANewPeriodIs) {
  for (bool slip : {true, false}) {
    Driver d(driver_params());
    for (int i = 0; i < 100; ++i) d.hop(0.5f, -20.0f, {220.0f, 110.0f}, 220.0f);
    for (int i = 0; i < 60; ++i) {
      if (slip) {
        d.hop(i == 0 ? 2.0f : 0.5f, -20.0f, {220.0f, 110.0f}, 110.0f);
      } else {
        d.hop(i == 0 ? 2.0f : 0.5f, -20.0f, {165.0f, 82.5f}, 165.0f);
      }
    }
    if (slip) {
      EXPECT_TRUE(d.flagged.empty());
    } else {
      ASSERT_EQ(d.flagged.size(), 1u);
      EXPECT_EQ(d.flagged[0], 100);  // the first frame of the new period
    }
  }
}

// A change deep in a fading tail (the level 20 dB under where it was 0.2 s before) is the tail, not a note.
TEST(LiveOnsetCues, AChangeInAFadingTailIsNoNote) {
  for (float fade_db : {20.0f, 0.0f}) {
    Driver d(driver_params());
    for (int i = 0; i < 100; ++i) d.hop(0.5f, -20.0f - fade_db * std::max(0.0f, float(i - 60) / 40.0f), {220.0f}, 220.0f);
    for (int i = 0; i < 60; ++i) d.hop(i == 0 ? 2.0f : 0.5f, -20.0f - fade_db, {277.0f}, 277.0f);
    EXPECT_EQ(d.flagged.size(), fade_db > 0 ? 0u : 1u) << fade_db;
  }
}
