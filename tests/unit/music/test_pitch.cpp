#include "music/pitch.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace etude::music;

TEST(Pitch, A4IsMidi69) {
  EXPECT_DOUBLE_EQ(midi_from_hz(440.0), 69.0);
  EXPECT_NEAR(hz_from_midi(60.0), 261.6256, 1e-3);
  EXPECT_NEAR(midi_from_hz(hz_from_midi(37.25)), 37.25, 1e-9);
}

TEST(Pitch, ReadNoteGivesNearestNoteAndCents) {
  const NoteReading a = read_note(440.0);
  EXPECT_EQ(a.midi, 69);
  EXPECT_EQ(a.pitch_class, 9);
  EXPECT_EQ(a.octave, 4);
  EXPECT_NEAR(a.cents, 0.0f, 1e-4);

  const NoteReading sharp = read_note(440.0 * std::exp2(10.0 / 1200.0));
  EXPECT_EQ(sharp.midi, 69);
  EXPECT_NEAR(sharp.cents, 10.0f, 1e-3);

  const NoteReading flat_c = read_note(261.6256 * std::exp2(-20.0 / 1200.0));
  EXPECT_EQ(flat_c.midi, 60);
  EXPECT_EQ(flat_c.octave, 4);
  EXPECT_NEAR(flat_c.cents, -20.0f, 1e-2);
}

TEST(Pitch, ReferencePitchShiftsReadings) {
  // Baroque pitch: 415 Hz is A4 when A4 = 415.
  EXPECT_EQ(read_note(415.0, 415.0).midi, 69);
  EXPECT_EQ(read_note(415.0, 440.0).midi, 68);
}

TEST(Pitch, Names) {
  EXPECT_EQ(note_name(69), "A4");
  EXPECT_EQ(note_name(61, true), "C#4");
  EXPECT_EQ(note_name(61), "C\u266F4");
  EXPECT_EQ(note_name(0, true), "C-1");
  EXPECT_STREQ(pitch_class_name(-1, true), "B");
}
