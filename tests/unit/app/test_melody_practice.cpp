#include "app/melody_practice.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace etude;
using app::MelodyPractice;

namespace {

constexpr double kRate = 48000, kHop = 256, kStepS = 0.125;  // 120 BPM in 4/4
constexpr double kFirstStepFrame = 48000;

music::Melody melody(std::vector<music::MelodyEvent> events, int bars = 2) {
  music::Melody m;
  m.spec.bars = bars;
  m.events = std::move(events);
  return m;
}

// The student: the pitch they sing at true time t (seconds from step 0; 0 = silence). The analyser
// hears it `heard_late_ms` later. Onsets (true times) are reported the same way, and so is the onset
// strength (none when not given); the level is -20 dBFS while voiced, silence otherwise.
struct Singer {
  std::function<float(double)> pitch;
  std::vector<double> onsets_s;
  double heard_late_ms = 0;
  std::function<float(double)> strength = {};
};

// Feeds frames until the practice finishes; returns how many times add_frame reported the finish.
int perform(MelodyPractice& p, const Singer& s) {
  int finishes = 0;
  std::size_t next_onset = 0;
  for (double t = -1.0; t < 10.0; t += kHop / kRate) {
    const double frame = kFirstStepFrame + (t + s.heard_late_ms / 1000.0) * kRate;
    while (next_onset < s.onsets_s.size() && s.onsets_s[next_onset] <= t) {
      p.add_onset(kFirstStepFrame + (s.onsets_s[next_onset] + s.heard_late_ms / 1000.0) * kRate);
      ++next_onset;
    }
    const float midi = s.pitch(t);
    const float strength = s.strength ? s.strength(t) : 0.0f;
    finishes += p.add_frame(frame, midi, midi > 0 ? 0.9f : 0.1f, strength, midi > 0 ? -20.0f : -120.0f);
  }
  return finishes;
}

// The melody's own pitch at time t, shifted by `cents`, optionally late by `late_s`.
std::function<float(double)> follow(const music::Melody& m, double late_s = 0, double cents = 0) {
  return [=](double t) -> float {
    const double step = (t - late_s) / kStepS;
    for (const music::MelodyEvent& e : m.events) {
      // A short breath at the end of each note, as singers do.
      if (step >= e.start && step < e.start + e.steps - 0.3) return e.is_rest() ? 0.0f : float(e.midi + cents / 100.0);
    }
    return 0.0f;
  };
}

std::vector<double> starts_of(const music::Melody& m, double late_s = 0) {
  std::vector<double> out;
  for (const music::MelodyEvent& e : m.events) {
    if (!e.is_rest()) out.push_back(e.start * kStepS + late_s);
  }
  return out;
}

const music::Melody kTune = melody({{0, 4, 60, 1}, {4, 4, 62, 1}, {8, 4, -1, 1}, {12, 4, 62, 1}, {16, 16, 64, 1}});

}  // namespace

TEST(MelodyPractice, SungOnTimeAndInTuneScoresEveryNote) {
  MelodyPractice p;
  p.start(kTune, kFirstStepFrame, kStepS * kRate, kRate, 40.0f);
  EXPECT_EQ(perform(p, {follow(kTune), starts_of(kTune), 40.0}), 1);
  ASSERT_TRUE(p.finished());
  ASSERT_EQ(p.results().size(), 4u);
  for (const app::NoteResult& r : p.results()) {
    EXPECT_TRUE(r.in_tune) << r.event;
    EXPECT_GT(r.in_tune_fraction, 0.85f);
    EXPECT_TRUE(r.started);
    EXPECT_LT(std::fabs(r.start_ms), 6.0f) << "one analysis hop";  // the device delay is allowed for
  }
  EXPECT_EQ(p.results()[3].event, 4);
  EXPECT_EQ(p.summary().substr(0, 22), "4 of 4 notes in tune; ");
}

TEST(MelodyPractice, LateAndSlightlySharpIsInTuneButLate) {
  MelodyPractice p;
  p.start(kTune, kFirstStepFrame, kStepS * kRate, kRate, 0.0f);
  // No onsets: starts come from where the pitch arrives.
  perform(p, {follow(kTune, 0.080, 30.0), {}, 0.0});
  for (const app::NoteResult& r : p.results()) {
    EXPECT_TRUE(r.in_tune);
    EXPECT_NEAR(r.median_cents, 30.0f, 0.5f);
    ASSERT_TRUE(r.started) << r.event;
    EXPECT_NEAR(r.start_ms, 80.0f, 6.0f);
  }
  EXPECT_NE(p.summary().find("late on average"), std::string::npos);
}

TEST(MelodyPractice, TheDeviceDelayIsSubtracted) {
  MelodyPractice with, without;
  with.start(kTune, kFirstStepFrame, kStepS * kRate, kRate, 70.0f);
  without.start(kTune, kFirstStepFrame, kStepS * kRate, kRate, 0.0f);
  const Singer s{follow(kTune), starts_of(kTune), 70.0};
  perform(with, s);
  perform(without, s);
  EXPECT_LT(std::fabs(with.results()[0].start_ms), 6.0f);
  EXPECT_NEAR(without.results()[0].start_ms, 70.0f, 6.0f);
}

TEST(MelodyPractice, AFlatNoteAndAMissingNoteAreNotInTune) {
  MelodyPractice p;
  p.start(kTune, kFirstStepFrame, kStepS * kRate, kRate, 0.0f);
  const auto tune = follow(kTune);
  const auto singer = [&](double t) -> float {
    const double step = t / kStepS;
    if (step >= 4 && step < 8) return 62.0f - 0.8f;  // D4 sung 80 cents flat
    if (step >= 16) return 0.0f;                      // the last note not sung
    return tune(t);
  };
  perform(p, {singer, {}, 0.0});
  const auto& r = p.results();
  EXPECT_TRUE(r[0].in_tune);
  EXPECT_FALSE(r[1].in_tune);
  EXPECT_NEAR(r[1].median_cents, -80.0f, 0.5f);
  EXPECT_GT(r[1].voiced_fraction, 0.85f);
  EXPECT_FALSE(r[3].in_tune);
  EXPECT_FALSE(r[3].started);
  EXPECT_EQ(r[3].voiced_fraction, 0.0f);
  EXPECT_EQ(p.summary().substr(0, 21), "2 of 4 notes in tune;");
}

TEST(MelodyPractice, ARepeatedNoteNeedsAnOnsetToBeTimed) {
  const music::Melody m = melody({{0, 8, 60, 1}, {8, 8, 60, 1}, {16, 16, 62, 1}});
  MelodyPractice no_onsets, with_onsets;
  no_onsets.start(m, kFirstStepFrame, kStepS * kRate, kRate, 0.0f);
  with_onsets.start(m, kFirstStepFrame, kStepS * kRate, kRate, 0.0f);
  // Sung legato: no break between the two Cs.
  const auto legato = [](double t) -> float { return t < 0 ? 0.0f : t < 2.0 ? 60.0f : t < 3.9 ? 62.0f : 0.0f; };
  perform(no_onsets, {legato, {}, 0.0});
  perform(with_onsets, {legato, {0.0, 1.02, 2.0}, 0.0});
  EXPECT_FALSE(no_onsets.results()[1].started);
  EXPECT_TRUE(no_onsets.results()[2].started);  // the pitch change to D shows where it starts
  ASSERT_TRUE(with_onsets.results()[1].started);
  EXPECT_NEAR(with_onsets.results()[1].start_ms, 20.0f, 6.0f);
}

TEST(MelodyPractice, ALegatoNoteStartsAtItsSoftAttackNotWhereThePitchArrives) {
  // C4 into D4 with no break and no spectral onset: the D's slow attack leaves a low flux bump at its
  // true start (step 8, 1.0 s), while the pitch track reaches D only 80 ms later. E4 after a rest
  // starts on time, with a bump. The short A4 (one step: a 62.5 ms start window) arrives 50 ms late
  // with a bump 80 ms early in front of it: outside its window, so not taken for its start.
  const music::Melody m = melody({{0, 8, 60, 1}, {8, 8, 62, 1}, {16, 4, -1, 1}, {20, 4, 64, 1}, {24, 1, 69, 1}, {25, 7, -1, 1}});
  const auto pitch = [](double t) -> float {
    if (t < 0) return 0.0f;
    if (t < 1.08) return 60.0f;
    if (t < 1.95) return 62.0f;
    if (t < 2.5) return 0.0f;
    if (t < 3.05) return 64.0f;
    return t < 3.12 ? 69.0f : 0.0f;
  };
  // A soft attack: two weak frames' worth of flux, under the spectral picker's threshold.
  const auto bump = [](double t, double at) { return t >= at && t < at + 0.02 ? (t < at + 0.01 ? 2.0f : 3.0f) : 0.0f; };
  const auto strength = [&](double t) -> float { return 0.2f + bump(t, 1.0) + bump(t, 2.5) + bump(t, 2.92); };
  MelodyPractice p;
  p.start(m, kFirstStepFrame, kStepS * kRate, kRate, 0.0f);
  perform(p, {pitch, {}, 0.0, strength});
  const auto& r = p.results();
  ASSERT_EQ(r.size(), 4u);
  ASSERT_TRUE(r[1].started);
  EXPECT_NEAR(r[1].start_ms, 0.0f, 15.0f) << "not where the pitch arrives, 80 ms late";
  ASSERT_TRUE(r[2].started);
  EXPECT_NEAR(r[2].start_ms, 0.0f, 6.0f);
  ASSERT_TRUE(r[3].started);
  EXPECT_NEAR(r[3].start_ms, 50.0f, 6.0f);
  // Without the bump (nothing sounds like an attack) the D's start stays where its pitch arrives.
  MelodyPractice flat;
  flat.start(m, kFirstStepFrame, kStepS * kRate, kRate, 0.0f);
  perform(flat, {pitch, {}, 0.0});
  EXPECT_NEAR(flat.results()[1].start_ms, 80.0f, 6.0f);
}

TEST(MelodyPractice, FinishesAfterTheTailAndStopsListening) {
  MelodyPractice p;
  p.start(kTune, kFirstStepFrame, kStepS * kRate, kRate, 0.0f);
  EXPECT_TRUE(p.running());
  const double end_frame = kFirstStepFrame + (32 * kStepS + MelodyPractice::kTailS) * kRate;
  EXPECT_FALSE(p.add_frame(end_frame - kHop, 60, 0.9f, 0.0f, -20.0f));
  EXPECT_TRUE(p.add_frame(end_frame + kHop, 60, 0.9f, 0.0f, -20.0f));
  EXPECT_FALSE(p.running());
  EXPECT_FALSE(p.add_frame(end_frame + 2 * kHop, 60, 0.9f, 0.0f, -20.0f));
  EXPECT_NEAR(p.step_at(kFirstStepFrame), 0.0, 1e-9);
}
