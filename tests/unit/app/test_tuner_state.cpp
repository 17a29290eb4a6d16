#include "app/tuner_state.h"

#include <gtest/gtest.h>

#include <cmath>

using etude::app::TunerState;
using etude::dsp::FeatureFrame;

namespace {
FeatureFrame voiced(float t, float hz, float conf = 0.95f, float dbfs = -20.0f) {
  FeatureFrame f;
  f.time_s = t;
  f.f0_hz = hz;
  f.confidence = conf;
  f.rms_dbfs = dbfs;
  f.rms = std::pow(10.0f, dbfs / 20.0f);
  return f;
}
FeatureFrame silent(float t) {
  FeatureFrame f;
  f.time_s = t;
  f.rms_dbfs = etude::dsp::kSilenceDbfs;
  return f;
}
}  // namespace

TEST(TunerState, ShowsNoteAndCents) {
  TunerState tuner;
  EXPECT_EQ(tuner.spoken(), "No note");
  EXPECT_TRUE(tuner.on_frame(voiced(0.0f, 440.0f * std::exp2(5.0f / 1200.0f))));
  ASSERT_TRUE(tuner.reading().has_note);
  EXPECT_EQ(tuner.reading().note.midi, 69);
  EXPECT_NEAR(tuner.reading().note.cents, 5.0f, 0.01f);
  EXPECT_EQ(tuner.spoken(), "A 4, 5 cents sharp");
}

TEST(TunerState, SpokenForms) {
  TunerState tuner;
  tuner.on_frame(voiced(0.0f, 277.18f));  // C#4, in tune
  EXPECT_EQ(tuner.spoken(), "C sharp 4, in tune");
  TunerState flat;
  flat.on_frame(voiced(0.0f, 440.0f * std::exp2(-1.0f / 1200.0f)));
  EXPECT_EQ(flat.spoken(), "A 4, 1 cent flat");
}

TEST(TunerState, IgnoresUnsureAndQuietFrames) {
  TunerState tuner;
  tuner.on_frame(voiced(0.0f, 440.0f, 0.3f));
  EXPECT_FALSE(tuner.reading().has_note);
  tuner.on_frame(voiced(0.01f, 440.0f, 0.95f, -80.0f));
  EXPECT_FALSE(tuner.reading().has_note);
}

TEST(TunerState, SmoothsWhileTheNoteHoldsAndJumpsOnANewNote) {
  TunerState tuner;  // time constant 0.15 s
  tuner.on_frame(voiced(0.00f, 440.0f));
  tuner.on_frame(voiced(0.15f, 440.0f * std::exp2(20.0f / 1200.0f)));
  EXPECT_NEAR(tuner.reading().note.cents, 20.0f * (1.0f - std::exp(-1.0f)), 0.05f);  // one time constant
  // The same at a fine hop: the smoothing depends on time, not on the number of frames.
  TunerState fine;
  fine.on_frame(voiced(0.00f, 440.0f));
  for (int i = 1; i <= 30; ++i) fine.on_frame(voiced(0.005f * float(i), 440.0f * std::exp2(20.0f / 1200.0f)));
  EXPECT_NEAR(fine.reading().note.cents, 20.0f * (1.0f - std::exp(-1.0f)), 0.05f);
  tuner.on_frame(voiced(0.16f, 523.25f));  // C5: no smoothing across notes
  EXPECT_EQ(tuner.reading().note.midi, 72);
  EXPECT_NEAR(tuner.reading().note.cents, 0.0f, 0.1f);
}

TEST(TunerState, ShowsTheCentreOfAVibrato) {
  TunerState tuner;
  const float hop = 256.0f / 48000.0f, centre = 7.0f;  // a singer 7 cents sharp, ±15 cents at 5.5 Hz
  float lo = 1e9f, hi = -1e9f;
  for (int i = 0; i < int(3.0f / hop); ++i) {
    const float t = float(i) * hop;
    const float cents = centre + 15.0f * std::sin(2.0f * float(M_PI) * 5.5f * t);
    tuner.on_frame(voiced(t, 220.0f * std::exp2(cents / 1200.0f)));
    if (t > 1.0f) {
      lo = std::min(lo, tuner.reading().note.cents);
      hi = std::max(hi, tuner.reading().note.cents);
    }
  }
  EXPECT_NEAR(0.5f * (lo + hi), centre, 0.5f);
  EXPECT_LT(hi - lo, 6.0f);  // the needle moves ±2.8 cents, not ±15
}

TEST(TunerState, HoldsThenClearsAfterSilence) {
  TunerState tuner;
  tuner.on_frame(voiced(1.0f, 440.0f));
  tuner.on_frame(silent(1.3f));
  EXPECT_TRUE(tuner.reading().has_note);
  EXPECT_TRUE(tuner.on_frame(silent(1.7f)));
  EXPECT_FALSE(tuner.reading().has_note);
}

TEST(TunerState, ReferencePitchIsClampedAndApplied) {
  TunerState tuner;
  tuner.on_frame(voiced(0.0f, 415.0f));
  EXPECT_EQ(tuner.reading().note.midi, 68);
  tuner.set_a4_hz(415.0f);
  EXPECT_EQ(tuner.reading().note.midi, 69);
  tuner.set_a4_hz(1000.0f);
  EXPECT_FLOAT_EQ(tuner.settings().a4_hz, 466.0f);
}

TEST(TunerState, HysteresisHoldsTheNoteNearTheBoundary) {
  TunerState tuner;
  const float a4 = 440.0f;
  tuner.on_frame(voiced(0.00f, a4 * std::exp2(45.0f / 1200.0f)));  // A4 +45
  ASSERT_EQ(tuner.reading().note.midi, 69);
  // One frame just over the boundary (A#4 -48 cents = A4 +52) does not switch...
  tuner.on_frame(voiced(0.01f, a4 * std::exp2(52.0f / 1200.0f)));
  EXPECT_EQ(tuner.reading().note.midi, 69);
  // ...a second one in a row does.
  tuner.on_frame(voiced(0.02f, a4 * std::exp2(52.0f / 1200.0f)));
  EXPECT_EQ(tuner.reading().note.midi, 70);
}

TEST(TunerState, AlternatingAcrossTheBoundaryDoesNotFlicker) {
  TunerState tuner;
  tuner.on_frame(voiced(0.0f, 440.0f * std::exp2(48.0f / 1200.0f)));
  int switches = 0;
  int shown = tuner.reading().note.midi;
  for (int i = 1; i < 40; ++i) {
    const float cents = (i % 2) ? 52.0f : 48.0f;
    tuner.on_frame(voiced(0.01f * float(i), 440.0f * std::exp2(cents / 1200.0f)));
    if (tuner.reading().note.midi != shown) {
      ++switches;
      shown = tuner.reading().note.midi;
    }
  }
  EXPECT_EQ(switches, 0);
}

TEST(TunerState, ALeapSwitchesAtOnce) {
  TunerState tuner;
  tuner.on_frame(voiced(0.00f, 440.0f));
  tuner.on_frame(voiced(0.01f, 659.26f));  // E5: far beyond the switch distance
  EXPECT_EQ(tuner.reading().note.midi, 76);
}

TEST(TunerState, TranspositionShowsTheWrittenNote) {
  TunerState tuner;
  tuner.set_transposition(2);             // B♭ instrument
  tuner.on_frame(voiced(0.0f, 233.08f));  // concert B♭3
  EXPECT_EQ(tuner.reading().note.midi, 58);
  EXPECT_EQ(tuner.reading().written_midi, 60);
  EXPECT_EQ(tuner.spoken(), "C 4, in tune");
  tuner.set_transposition(0);
  EXPECT_EQ(tuner.reading().written_midi, 58);
}
