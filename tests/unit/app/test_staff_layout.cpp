#include "app/staff_layout.h"

#include <gtest/gtest.h>

using namespace etude;
using app::Clef;
using app::StaffSymbol;

namespace {
music::Melody melody(int key, music::Mode mode, int low, int high, std::vector<music::MelodyEvent> events,
                     int bars = 2, music::Meter meter = music::Meter::FourFour) {
  music::Melody m;
  m.spec.key = key;
  m.spec.mode = mode;
  m.spec.low = low;
  m.spec.high = high;
  m.spec.bars = bars;
  m.spec.meter = meter;
  m.events = std::move(events);
  return m;
}
}  // namespace

TEST(StaffLayout, ClefFollowsTheRange) {
  EXPECT_EQ(app::clef_for_range(60, 72), Clef::Treble);
  EXPECT_EQ(app::clef_for_range(48, 64), Clef::Bass);
  EXPECT_EQ(app::staff_position(music::spell(64, 0, music::Mode::Major), Clef::Treble), 0);  // E4 bottom line
  EXPECT_EQ(app::staff_position(music::spell(77, 0, music::Mode::Major), Clef::Treble), 8);  // F5 top line
  EXPECT_EQ(app::staff_position(music::spell(43, 0, music::Mode::Major), Clef::Bass), 0);    // G2
  EXPECT_EQ(app::staff_position(music::spell(57, 0, music::Mode::Major), Clef::Bass), 8);    // A3
}

TEST(StaffLayout, KeySignatureAndAccidentalsAsAReaderNeedsThem) {
  // D major: F# and C# in the signature; F natural needs a natural sign, once per bar.
  const auto m = melody(2, music::Mode::Major, 60, 74,
                        {{0, 4, 66, 1}, {4, 4, 65, 1}, {8, 4, 65, 1}, {12, 4, 66, 1}, {16, 4, 65, 1}, {20, 12, 62, 1}});
  const app::StaffLayout l = app::layout_staff(m, 600, 2);
  EXPECT_EQ(l.fifths, 2);
  EXPECT_EQ(l.key_positions, std::vector<int>({8, 5}));
  ASSERT_EQ(l.symbols.size(), 7u);  // the last D: a quarter tied to a half (not across the middle of 4/4)
  EXPECT_EQ(l.symbols[0].accidental, 0);  // F#: the signature says so
  EXPECT_EQ(l.symbols[1].accidental, 3);  // F natural
  EXPECT_EQ(l.symbols[2].accidental, 0);  // still natural in this bar
  EXPECT_EQ(l.symbols[3].accidental, 1);  // F# again must be marked
  EXPECT_EQ(l.symbols[4].accidental, 3);  // new bar: the natural again
  EXPECT_EQ(l.symbols[5].accidental, 0);
  EXPECT_TRUE(l.symbols[5].tie_to_next);
  EXPECT_EQ(l.symbols[6].value, 8);
}

TEST(StaffLayout, FlatKeysInTheBassClef) {
  const auto m = melody(3, music::Mode::Minor, 48, 62, {{0, 16, 51, 1}, {16, 16, 50, 1}});  // Eb minor: Eb3, D3 (leading tone)
  const app::StaffLayout l = app::layout_staff(m, 600, 2);
  EXPECT_EQ(l.clef, Clef::Bass);
  EXPECT_EQ(l.fifths, -6);
  EXPECT_EQ(l.key_positions, std::vector<int>({2, 5, 1, 4, 0, 3}));
  EXPECT_EQ(l.symbols[0].accidental, 0);
  EXPECT_EQ(l.symbols[1].accidental, 3);  // D natural against the signature's Db
  EXPECT_EQ(l.symbols[0].value, 16);
}

TEST(StaffLayout, LedgerLinesStemsAndTies) {
  const auto m = melody(0, music::Mode::Major, 60, 84,
                        {{0, 4, 60, 1}, {4, 4, 84, 1}, {8, 2, 81, 1}, {10, 2, -1, 1}, {12, 8, 67, 1}, {20, 12, 72, 1}});
  const app::StaffLayout l = app::layout_staff(m, 600, 1);
  ASSERT_EQ(l.systems.size(), 2u);
  ASSERT_EQ(l.symbols.size(), 8u);  // the G4 over the bar line is two tied quarters; the C5 a quarter + half
  EXPECT_EQ(l.symbols[0].position, -2);
  EXPECT_EQ(l.symbols[0].ledger_below, 1);
  EXPECT_TRUE(l.symbols[0].stem_up);
  EXPECT_EQ(l.symbols[1].position, 12);  // C6: two ledger lines (A5, C6)
  EXPECT_EQ(l.symbols[1].ledger_above, 2);
  EXPECT_FALSE(l.symbols[1].stem_up);
  EXPECT_EQ(l.symbols[2].flags(), 1);
  EXPECT_TRUE(l.symbols[3].rest);
  EXPECT_TRUE(l.symbols[4].tie_to_next);
  EXPECT_FALSE(l.symbols[5].first_piece);
  EXPECT_EQ(l.symbols[5].system, 1);
  EXPECT_EQ(l.symbols[5].event, 4);
  for (std::size_t i = 1; i < l.symbols.size(); ++i) {
    if (l.symbols[i].system == l.symbols[i - 1].system) {
      EXPECT_GT(l.symbols[i].x, l.symbols[i - 1].x + 12);
    }
    EXPECT_LT(l.symbols[i].x, 600);
  }
}

TEST(StaffLayout, EighthsAndSixteenthsInOneBeatShareABeam) {
  // 4/4: two eighths | sixteenth, eighth, sixteenth | quarter | eighth, eighth rest | ...
  const auto m = melody(0, music::Mode::Major, 60, 72,
                        {{0, 2, 64, 1}, {2, 2, 65, 1}, {4, 1, 67, 1}, {5, 2, 65, 1}, {7, 1, 64, 1}, {8, 4, 62, 1},
                         {12, 2, 60, 1}, {14, 2, -1, 1}, {16, 16, 60, 1}});
  const app::StaffLayout l = app::layout_staff(m, 600, 2);
  const std::vector<int> g = app::beam_groups(l, m.spec.meter);
  ASSERT_EQ(g.size(), 9u);
  EXPECT_EQ(g[0], g[1]);
  EXPECT_GE(g[0], 0);
  EXPECT_EQ(g[2], g[3]);
  EXPECT_EQ(g[3], g[4]);
  EXPECT_NE(g[2], g[0]);
  EXPECT_EQ(g[5], -1);  // a quarter
  EXPECT_EQ(g[6], -1);  // an eighth alone in its beat (the rest is not beamed)
  EXPECT_EQ(g[8], -1);
  EXPECT_EQ(l.symbols[3].value, 2);
  EXPECT_EQ(l.symbols[3].start, 5);
}
