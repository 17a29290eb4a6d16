#include "app/chord_window.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using etude::app::ChordWindow;
using etude::dsp::FeatureFrame;

namespace {
FeatureFrame frame(float marker) {
  FeatureFrame f;
  for (int i = 0; i < 12; ++i) {
    f.chroma[i] = marker + 0.01f * float(i);
    f.bass_chroma[i] = marker + 0.5f + 0.01f * float(i);
  }
  f.rms_dbfs = -marker;
  f.flatness = 0.25f;
  f.confidence = 0.75f;
  f.onset_strength = marker * 2;
  return f;
}
}  // namespace

TEST(ChordWindow, FieldsAreTheModelsInputsInOrder) {
  // models/chord_classifier.golden.json "fields": chroma, bass chroma, then these four.
  const char* const tail[] = {"rms_dbfs", "flatness", "confidence", "onset_strength"};
  const auto& names = etude::dsp::kFeatureFrameFieldNames;
  for (int i = 0; i < 4; ++i) {
    bool found = false;
    for (const char* n : names) found |= std::string(n) == tail[i];
    EXPECT_TRUE(found) << tail[i];
  }
  EXPECT_EQ(ChordWindow::kRowFloats, 448);
  EXPECT_EQ(ChordWindow::kRows, 17);
}

TEST(ChordWindow, KeepsEverySecondFrameOldestFirst) {
  ChordWindow w;
  for (int i = 0; i < 40; ++i) w.add(frame(float(i)));
  ASSERT_TRUE(w.full());
  std::vector<float> batch(ChordWindow::kRows * ChordWindow::kRowFloats);
  w.occlusion_batch(batch);
  // Kept frames are 0, 2, ..., 38; the newest 16 are 8, 10, ..., 38.
  for (int t = 0; t < 16; ++t) {
    EXPECT_FLOAT_EQ(batch[std::size_t(t * 28)], float(8 + 2 * t)) << t;
    EXPECT_FLOAT_EQ(batch[std::size_t(t * 28 + 24)], -float(8 + 2 * t));
    EXPECT_FLOAT_EQ(batch[std::size_t(t * 28 + 27)], 2.0f * float(8 + 2 * t));
  }
}

TEST(ChordWindow, OcclusionRowsBlankOnePitchClassOrOneTimeGroup) {
  ChordWindow w;
  for (int i = 0; i < 32; ++i) w.add(frame(1.0f));
  std::vector<float> b(ChordWindow::kRows * ChordWindow::kRowFloats);
  w.occlusion_batch(b);
  const auto at = [&](int row, int t, int field) { return b[std::size_t(row * 448 + t * 28 + field)]; };
  // Row 1 + 4 (pitch class E): chroma_4 and bass_chroma_4 are zero in every frame, nothing else.
  for (int t = 0; t < 16; ++t) {
    EXPECT_EQ(at(5, t, 4), 0.0f);
    EXPECT_EQ(at(5, t, 16), 0.0f);
    EXPECT_GT(at(5, t, 3), 0.0f);
    EXPECT_GT(at(5, t, 24 + 2), 0.0f);
  }
  // Row 13 + 2: frames 8..11 lose all chroma and bass chroma, keep the four scalars.
  for (int t = 0; t < 16; ++t) {
    const bool blank = t >= 8 && t < 12;
    EXPECT_EQ(at(15, t, 0) == 0.0f, blank) << t;
    EXPECT_EQ(at(15, t, 23) == 0.0f, blank) << t;
    EXPECT_EQ(at(15, t, 25), 0.25f);
  }
  w.clear();
  EXPECT_FALSE(w.full());
}
