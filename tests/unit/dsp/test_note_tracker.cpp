#include "dsp/note_tracker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace etude::dsp;

namespace {
constexpr float kRate = 100.0f;  // frames per second

struct Frame {
  float f0;
  bool onset;
};

std::vector<Note> track(const std::vector<Frame>& frames) {
  NoteTrackerParams p;
  p.frame_rate = kRate;
  NoteTracker tracker(p);
  std::vector<Note> notes;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (tracker.push(float(i) / kRate, frames[i].f0, frames[i].onset)) notes.push_back(tracker.note());
  }
  if (tracker.finish(float(frames.size()) / kRate)) notes.push_back(tracker.note());
  return notes;
}
void append(std::vector<Frame>& frames, float hz, int count, bool onset_first = false, float vibrato_cents = 0) {
  for (int i = 0; i < count; ++i) {
    const float f = hz * std::exp2(vibrato_cents / 1200.0f * std::sin(2.0f * float(M_PI) * 5.5f * float(frames.size()) / kRate));
    frames.push_back({f, onset_first && i == 0});
  }
}
}  // namespace

TEST(NoteTracker, SeparatedNotesWithPitchAndCents) {
  std::vector<Frame> f;
  append(f, 0, 10);
  append(f, 440.0f, 50);
  append(f, 0, 10);
  append(f, 261.63f * std::exp2(20.0f / 1200.0f), 30);  // C4, 20 cents sharp
  const auto notes = track(f);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].midi, 69);
  EXPECT_NEAR(notes[0].onset_s, 0.10f, 0.001f);
  EXPECT_NEAR(notes[0].offset_s, 0.60f, 0.001f);
  EXPECT_EQ(notes[1].midi, 60);
  EXPECT_NEAR(notes[1].cents, 20.0f, 1.0f);
  EXPECT_FALSE(notes[1].pitch_change_onset);
  EXPECT_TRUE(notes[0].voicing_onset);
  EXPECT_TRUE(notes[1].voicing_onset);  // voicing after a gap starts it
}

TEST(NoteTracker, LegatoPitchChangeSplitsButVibratoDoesNot) {
  std::vector<Frame> f;
  append(f, 392.0f, 60, false, 80.0f);  // G4 with wide vibrato
  append(f, 440.0f, 60, false, 80.0f);  // legato to A4
  const auto notes = track(f);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].midi, 67);
  EXPECT_EQ(notes[1].midi, 69);
  EXPECT_TRUE(notes[1].pitch_change_onset);
  EXPECT_FALSE(notes[1].voicing_onset);
  EXPECT_NEAR(notes[1].onset_s, 0.60f, 0.05f);
}

TEST(NoteTracker, RepeatedNoteSplitsOnSpectralOnsetAndBlipsAreDropped) {
  std::vector<Frame> f;
  append(f, 330.0f, 30, true);
  append(f, 330.0f, 30, true);
  append(f, 0, 10);
  append(f, 500.0f, 2);  // 20 ms: too short to be a note
  append(f, 0, 10);
  const auto notes = track(f);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NEAR(notes[1].onset_s, 0.30f, 0.001f);
  EXPECT_FALSE(notes[1].voicing_onset);  // started by the spectral onset
}
