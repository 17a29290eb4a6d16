#include "dsp/chord_templates.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace etude::dsp;

namespace {
ChromaFrame triad(int root, bool minor, float noise = 0.05f) {
  ChromaFrame f;
  f.chroma.fill(noise);
  f.chroma[std::size_t(root % 12)] = 1.0f;
  f.chroma[std::size_t((root + (minor ? 3 : 4)) % 12)] = 0.8f;
  f.chroma[std::size_t((root + 7) % 12)] = 0.9f;
  f.bass[std::size_t(root % 12)] = 1.0f;
  return f;
}
}  // namespace

TEST(ChordTemplates, LabelsFollowTheModelsLabelFile) {
  EXPECT_STREQ(chord_label(0), "C:maj");
  EXPECT_STREQ(chord_label(13), "C#:min");
  EXPECT_STREQ(chord_label(24), "N");
  EXPECT_STREQ(chord_label(99), "N");
}

TEST(ChordTemplates, EveryTriadIsRecognised) {
  ChordParams p;
  for (int chord = 0; chord < 24; ++chord) {
    std::vector<float> sim(kChordCount);
    chord_similarities(triad(chord % 12, chord >= 12), p, sim);
    EXPECT_EQ(int(std::max_element(sim.begin(), sim.end()) - sim.begin()), chord) << chord_label(chord);
  }
}

TEST(ChordTemplates, SegmentsAcrossAProgressionWithSilence) {
  ChordParams p;
  p.frame_rate = 10.0f;
  std::vector<ChromaFrame> frames;
  std::vector<float> times;
  auto add = [&](const ChromaFrame& f, int count) {
    for (int i = 0; i < count; ++i) {
      times.push_back(float(frames.size()) / p.frame_rate);
      frames.push_back(f);
    }
  };
  add(triad(0, false), 20);   // C:maj 0..2 s
  add(triad(9, true), 20);    // A:min 2..4 s
  add(ChromaFrame{}, 10);     // silence 4..5 s
  add(triad(7, false), 19);   // G:maj
  add(triad(2, true), 1);     // a one-frame blip the smoothing should absorb
  const auto segments = recognise_chords(frames, times, 7.0f, p);
  ASSERT_EQ(segments.size(), 4u);
  EXPECT_EQ(segments[0].label(), "C:maj");
  EXPECT_EQ(segments[1].label(), "A:min");
  EXPECT_NEAR(segments[1].start_s, 2.0f, 0.11f);
  EXPECT_EQ(segments[2].label(), "N");
  EXPECT_EQ(segments[3].label(), "G:maj");
  EXPECT_EQ(segments[3].end_s, 7.0f);
}
