#include "app/label_fit.h"

#include <gtest/gtest.h>

using etude::app::fit_label;

namespace {
// 10 units per character, "…" (three UTF-8 bytes) counted as one.
float width(std::string_view s) {
  float chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return 10.0f * chars;
}
}  // namespace

TEST(LabelFit, ANameThatFitsIsShownWhole) {
  const auto f = fit_label("Violin", 60, width);
  EXPECT_EQ(f.box, "Violin");
  EXPECT_EQ(f.below, "");
}

TEST(LabelFit, TheBracketGoesUnderneath) {
  const auto f = fit_label("Descant recorder (sounds an octave higher)", 200, width);
  EXPECT_EQ(f.box, "Descant recorder");
  EXPECT_EQ(f.below, "(sounds an octave higher)");
}

TEST(LabelFit, OtherwiseTheFirstWordsThatFitAndTheWholeNameUnderneath) {
  // "Voice / any instrument" is 22 characters; "Voice / any…" is 12.
  const auto f = fit_label("Voice / any instrument", 150, width);
  EXPECT_EQ(f.box, "Voice / any\u2026");
  EXPECT_EQ(f.below, "Voice / any instrument");
  // A bracketed name whose head does not fit either falls back to words.
  const auto g = fit_label("Double bass (sounds an octave lower)", 100, width);
  EXPECT_EQ(g.box, "Double\u2026");
  EXPECT_EQ(g.below, "Double bass (sounds an octave lower)");
}

TEST(LabelFit, NoRoomForOneWordLeavesTheBoxEmpty) {
  const auto f = fit_label("Saxophone in E", 30, width);
  EXPECT_EQ(f.box, "");
  EXPECT_EQ(f.below, "Saxophone in E");
  EXPECT_EQ(fit_label("Saxophone", 30, width).below, "Saxophone");
}
