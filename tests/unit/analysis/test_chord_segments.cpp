#include "analysis/chord_segments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace etude::analysis;

namespace {
// frames x 3 classes: log-likelihood 0 for the winner, -5 for the others.
std::vector<float> scores_of(const std::vector<int>& winners) {
  std::vector<float> s;
  for (int w : winners) {
    for (int c = 0; c < 3; ++c) s.push_back(c == w ? 0.0f : -5.0f);
  }
  return s;
}
std::vector<float> times_of(std::size_t n, float step) {
  std::vector<float> t;
  for (std::size_t i = 0; i < n; ++i) t.push_back(float(i) * step);
  return t;
}
}  // namespace

TEST(ChordSegments, ValidatesParameters) {
  EXPECT_EQ(ChordDecodeParams{}.validate(), nullptr);
  EXPECT_NE((ChordDecodeParams{0.9f, 0.0f}.validate()), nullptr);
  EXPECT_NE((ChordDecodeParams{0.02f, -1.0f}.validate()), nullptr);
}

TEST(ChordSegments, SegmentsFollowTheScoresAndCoverTheFile) {
  std::vector<int> w(20, 0);
  w.insert(w.end(), 20, 2);
  const auto spans = decode_chords(scores_of(w), 3, times_of(40, 0.1f), 4.2f, ChordDecodeParams{});
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].chord, 0);
  EXPECT_EQ(spans[0].start_s, 0.0f);
  EXPECT_NEAR(spans[0].end_s, 2.0f, 1e-6);
  EXPECT_EQ(spans[1].chord, 2);
  EXPECT_EQ(spans[1].end_s, 4.2f);
}

TEST(ChordSegments, OneOddFrameDoesNotFlicker) {
  std::vector<int> w(30, 1);
  w[15] = 0;  // a single frame that disagrees costs less than two changes
  const auto spans = decode_chords(scores_of(w), 3, times_of(30, 0.1f), 3.0f, ChordDecodeParams{0.001f, 0.0f});
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].chord, 1);
}

TEST(ChordSegments, ShortSegmentsMergeIntoTheirNeighbours) {
  std::vector<int> w(10, 0);
  w.insert(w.end(), 2, 1);   // 0.2 s of chord 1
  w.insert(w.end(), 10, 2);
  ChordDecodeParams p{0.5f, 0.0f};  // changes are cheap: the decoder keeps the short span
  ASSERT_EQ(decode_chords(scores_of(w), 3, times_of(22, 0.1f), 2.2f, p).size(), 3u);
  p.min_segment_s = 0.3f;
  const auto spans = decode_chords(scores_of(w), 3, times_of(22, 0.1f), 2.2f, p);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_NEAR(spans[1].start_s, 1.2f, 1e-6);  // chord 1's time went to its predecessor
}

TEST(ChordSegments, ConfidenceIsTheMeanProbabilityOfTheChosenChord) {
  std::vector<int> w(10, 0);
  w.insert(w.end(), 10, 1);
  std::vector<float> prob;
  for (int i = 0; i < 20; ++i) {
    const float top = i < 10 ? 0.9f : 0.6f;
    const int win = w[std::size_t(i)];
    for (int c = 0; c < 3; ++c) prob.push_back(c == win ? top : (1 - top) / 2);
  }
  std::vector<float> logp;
  for (float p : prob) logp.push_back(std::log(p));
  const auto spans = decode_chords(logp, 3, times_of(20, 0.1f), 2.0f, ChordDecodeParams{}, prob);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_NEAR(spans[0].confidence, 0.9f, 1e-6);
  EXPECT_NEAR(spans[1].confidence, 0.6f, 1e-6);
}

TEST(ChordSegments, EmptyOrNonFiniteInputIsHandled) {
  EXPECT_TRUE(decode_chords({}, 3, {}, 1.0f, ChordDecodeParams{}).empty());
  std::vector<float> s = scores_of({1, 1, 1});
  s[0] = NAN;
  const auto spans = decode_chords(s, 3, times_of(3, 0.1f), 0.3f, ChordDecodeParams{});
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].chord, 1);
}

TEST(ChordSegments, BassPitchClassNeedsAClearBass) {
  std::array<float, 12> e_bass{};
  e_bass[4] = 1.0f;
  e_bass[0] = 0.3f;
  const std::vector<std::array<float, 12>> frames(5, e_bass);
  EXPECT_EQ(bass_pitch_class(frames), 4);
  std::array<float, 12> two{};
  two[4] = 1.0f;
  two[0] = 0.8f;  // ambiguous
  EXPECT_EQ(bass_pitch_class(std::vector<std::array<float, 12>>(3, two)), -1);
  EXPECT_EQ(bass_pitch_class(std::vector<std::array<float, 12>>(3, std::array<float, 12>{})), -1);  // silent
  EXPECT_EQ(bass_pitch_class({}), -1);
}

TEST(ChordSegments, InversionsInHarteSyntax) {
  EXPECT_EQ(with_bass("C:maj", 4), "C:maj/3");
  EXPECT_EQ(with_bass("C:maj", 7), "C:maj/5");
  EXPECT_EQ(with_bass("A:min", 0), "A:min/b3");
  EXPECT_EQ(with_bass("G:7", 5), "G:7/b7");
  EXPECT_EQ(with_bass("B:hdim7", 5), "B:hdim7/b5");
  EXPECT_EQ(with_bass("C#:maj7", 0), "C#:maj7/7");
  EXPECT_EQ(with_bass("C:maj", 0), "C:maj");    // root position
  EXPECT_EQ(with_bass("C:maj", 2), "C:maj");    // a bass off the chord is not an inversion
  EXPECT_EQ(with_bass("C:maj", -1), "C:maj");   // no clear bass
  EXPECT_EQ(with_bass("C:aug", 4), "C:aug");    // root named by the bass only
  EXPECT_EQ(with_bass("C:sus4", 7), "C:sus4");
  EXPECT_EQ(with_bass("N", 4), "N");
  EXPECT_EQ(with_bass("C:maj/3", 7), "C:maj/3");
}

TEST(ChordSegments, ShortNoChordBetweenChordsIsSplitBetweenThem) {
  std::vector<int> w(20, 0);
  w.insert(w.end(), 3, 2);  // 0.3 s of N (class 2) at a change
  w.insert(w.end(), 20, 1);
  w.insert(w.end(), 3, 2);  // and 0.3 s of N closing the file: kept
  ChordDecodeParams p{0.5f, 0.2f};
  ASSERT_EQ(decode_chords(scores_of(w), 3, times_of(46, 0.1f), 4.6f, p).size(), 4u);  // N kept without the rule
  p.no_chord = 2;
  p.min_no_chord_s = 0.5f;
  const auto spans = decode_chords(scores_of(w), 3, times_of(46, 0.1f), 4.6f, p);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].chord, 0);
  EXPECT_NEAR(spans[0].end_s, 2.15f, 1e-5);  // the middle of the N
  EXPECT_EQ(spans[1].chord, 1);
  EXPECT_NEAR(spans[1].start_s, 2.15f, 1e-5);
  EXPECT_EQ(spans[2].chord, 2);
  // A chord on both sides of a short N joins into one span.
  std::vector<int> same(10, 0);
  same.insert(same.end(), 3, 2);
  same.insert(same.end(), 10, 0);
  EXPECT_EQ(decode_chords(scores_of(same), 3, times_of(23, 0.1f), 2.3f, p).size(), 1u);
}
