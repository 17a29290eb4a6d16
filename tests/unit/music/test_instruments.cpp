#include "music/instruments.h"

#include <gtest/gtest.h>

#include <cmath>

#include <set>
#include <string>

using namespace etude::music;

TEST(Instruments, PresetsAreWellFormedAndUnique) {
  std::set<std::string> ids;
  ASSERT_GE(instruments().size(), 10u);
  EXPECT_EQ(instruments()[0].id, "any");
  for (const Instrument& i : instruments()) {
    EXPECT_TRUE(ids.insert(std::string(i.id)).second) << i.id;
    EXPECT_LT(i.low_midi, i.high_midi) << i.id;
    EXPECT_GE(i.low_midi, 21 - 12) << i.id;
    EXPECT_LE(i.high_midi, 108) << i.id;
  }
}

TEST(Instruments, TranspositionsReadTheWrittenNote) {
  // A concert B♭3 (MIDI 58) is a written C4 (60) for a B♭ clarinet and G4 (67) for an alto sax.
  EXPECT_EQ(58 + instrument_by_id("clarinet-bb").transposition, 60);
  EXPECT_EQ(58 + instrument_by_id("alto-sax").transposition, 67);
  // A concert F3 (53) is a written C4 (60) on a horn in F.
  EXPECT_EQ(53 + instrument_by_id("horn-f").transposition, 60);
  EXPECT_EQ(transposition_name(instrument_by_id("clarinet-bb").transposition), "in B\u266D");
  EXPECT_EQ(transposition_name(instrument_by_id("tenor-sax").transposition), "in B\u266D");
  EXPECT_EQ(transposition_name(instrument_by_id("alto-sax").transposition), "in E\u266D");
  EXPECT_EQ(transposition_name(instrument_by_id("horn-f").transposition), "in F");
  EXPECT_EQ(transposition_name(instrument_by_id("violin").transposition), "");
  EXPECT_EQ(transposition_name(instrument_by_id("double-bass").transposition), "");
}

TEST(Instruments, UnknownIdFallsBackToAny) {
  EXPECT_EQ(instrument_by_id("kazoo").id, "any");
}

TEST(Instruments, PitchSearchRangeCoversTheInstrumentAndFitsTheAnalyser) {
  EXPECT_EQ(pitch_search_range(instruments()[0]).min_hz, 0.0f);  // "any": the analyser's default
  EXPECT_EQ(pitch_search_range(instruments()[0]).max_hz, 0.0f);
  for (const Instrument& i : instruments().subspan(1)) {
    const PitchRange r = pitch_search_range(i);
    const float low = 440.0f * std::exp2(float(i.low_midi - 69) / 12.0f);
    const float high = 440.0f * std::exp2(float(i.high_midi - 69) / 12.0f);
    EXPECT_LT(r.min_hz, low) << i.id;
    EXPECT_GT(r.max_hz, high) << i.id;
    EXPECT_GE(r.min_hz, 30.0f) << i.id;     // dsp::YinParams limits
    EXPECT_LE(r.max_hz, 4000.0f) << i.id;
    EXPECT_GE(r.max_hz, 2.0f * r.min_hz) << i.id;
  }
  // A double bass's low E1 (41.2 Hz) is inside its range although below the default 50 Hz.
  EXPECT_LT(pitch_search_range(instrument_by_id("double-bass")).min_hz, 41.2f);
}
