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
  TunerState tuner;
  tuner.on_frame(voiced(0.00f, 440.0f));
  tuner.on_frame(voiced(0.01f, 440.0f * std::exp2(20.0f / 1200.0f)));
  EXPECT_NEAR(tuner.reading().note.cents, 10.0f, 0.05f);  // halfway with smoothing 0.5
  tuner.on_frame(voiced(0.02f, 523.25f));                 // C5: no smoothing across notes
  EXPECT_EQ(tuner.reading().note.midi, 72);
  EXPECT_NEAR(tuner.reading().note.cents, 0.0f, 0.1f);
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
