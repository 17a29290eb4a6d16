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
