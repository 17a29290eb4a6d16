#include "app/generate_session.h"

#include <gtest/gtest.h>

#include <vector>

#include "ml/melody_codec.h"

using namespace etude;
using app::GenerateSession;

namespace {

// Model output that says these tokens with probability 0.9 each (the rest spread evenly).
std::vector<float> sample(const std::vector<int>& tokens) {
  std::vector<float> p(std::size_t(ml::kModelSteps) * ml::kVocab, 0.1f / (ml::kVocab - 1));
  for (int t = 0; t < ml::kModelSteps; ++t) {
    const int tok = t < int(tokens.size()) ? tokens[std::size_t(t)] : ml::kRestToken;
    p[std::size_t(t) * ml::kVocab + std::size_t(tok)] = 0.9f;
  }
  return p;
}
std::vector<float> batch(const std::vector<std::vector<int>>& rows) {
  std::vector<float> out;
  for (int i = 0; i < GenerateSession::kBatch; ++i) {
    const auto s = sample(rows[std::size_t(i) % rows.size()]);
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}
constexpr int N(int midi) { return midi - ml::kPitchLo + 2; }
constexpr int H = ml::kHoldToken, R = ml::kRestToken;

}  // namespace

TEST(GenerateSession, AsksTheModelWithOneNoisePerRowAndTheChosenConditions) {
  GenerateSession s(11);
  s.spec.key = 7;
  s.spec.bars = 3;
  ASSERT_TRUE(s.generate());
  EXPECT_TRUE(s.waiting());
  ASSERT_EQ(s.noise().size(), std::size_t(GenerateSession::kBatch * ml::kNoiseDim));
  ASSERT_EQ(s.conditions().size(), std::size_t(GenerateSession::kBatch * ml::kConditionDim));
  const auto row = ml::condition_vector(s.spec);
  for (int i = 0; i < GenerateSession::kBatch; ++i) {
    for (int k = 0; k < ml::kConditionDim; ++k) EXPECT_EQ(s.conditions()[std::size_t(i * ml::kConditionDim + k)], row[std::size_t(k)]);
  }
  // Rows differ in noise (each sample is its own draw).
  EXPECT_NE(s.noise()[0], s.noise()[ml::kNoiseDim]);
  const std::vector<float> first(s.noise().begin(), s.noise().end());
  s.generate();
  EXPECT_NE(std::vector<float>(s.noise().begin(), s.noise().end()), first) << "Regenerate uses new noise";
}

TEST(GenerateSession, TakesTheFirstUsableSampleAndRegenerateGivesANewMelody) {
  GenerateSession s(1);
  s.spec.bars = 2;  // 32 steps of 4/4
  const std::vector<int> empty(32, R);
  const std::vector<int> a = {N(60), H, H, H, N(62), H, H, H, N(64), H, H, H, N(65), H, H, H, N(67)};
  const std::vector<int> b = {N(67), H, H, H, N(65), H, H, H, N(64), H, H, H, N(62), H, H, H, N(60)};
  s.generate();
  s.on_probabilities(batch({empty, a, b}), GenerateSession::kBatch);
  ASSERT_TRUE(s.has_melody());
  EXPECT_EQ(s.melody().source, music::MelodySource::Model);
  EXPECT_EQ(s.melody().events[0].midi, 60);
  EXPECT_FLOAT_EQ(s.melody().events[0].confidence, 0.9f);
  EXPECT_EQ(s.fallback_reason(), "");
  // The model answers with the same melodies again: Regenerate shows the one not seen yet.
  s.generate();
  s.on_probabilities(batch({a, b}), GenerateSession::kBatch);
  EXPECT_EQ(s.melody().events[0].midi, 67);
  EXPECT_EQ(s.generated(), 2);
}

TEST(GenerateSession, FallsBackToTheRulesWithTheReason) {
  GenerateSession s(5);
  s.spec.difficulty = 2;
  ASSERT_TRUE(s.generate());
  s.on_model_failed("The melody generator could not be loaded (404 models/melody_gan.onnx).");
  ASSERT_TRUE(s.has_melody());
  EXPECT_FALSE(s.waiting());
  EXPECT_EQ(s.melody().source, music::MelodySource::Rules);
  EXPECT_NE(s.fallback_reason().find("404"), std::string::npos);
  // Known to be unavailable: the rules answer at once, with the same reason.
  const music::Melody before = s.melody();
  EXPECT_FALSE(s.generate());
  EXPECT_EQ(s.melody().source, music::MelodySource::Rules);
  EXPECT_NE(s.melody().events, before.events);
  EXPECT_NE(s.fallback_reason().find("404"), std::string::npos);
  s.retry_model();
  EXPECT_TRUE(s.generate());
}

TEST(GenerateSession, NothingUsableOrAWrongShapeMeansRulesToo) {
  GenerateSession s(9);
  s.generate();
  s.on_probabilities(batch({std::vector<int>(64, R)}), GenerateSession::kBatch);
  EXPECT_EQ(s.melody().source, music::MelodySource::Rules);
  EXPECT_NE(s.fallback_reason().find("no usable melody"), std::string::npos);
  EXPECT_FALSE(s.model_failed()) << "the next request still asks the model";
  s.generate();
  s.on_probabilities(std::vector<float>(10, 0.5f), GenerateSession::kBatch);
  EXPECT_NE(s.fallback_reason().find("wrong shape"), std::string::npos);
}

TEST(GenerateSession, AMelodyOutOfTheRequestedKeyIsReplacedByTheRulesWithTheReason) {
  // C minor asked; every sample uses E natural (the major 3rd), as the previous model did for most minor requests.
  GenerateSession s(11);
  s.spec.bars = 2;
  s.spec.mode = music::Mode::Minor;
  const std::vector<int> major_sounding = {N(60), H, H, H, N(64), H, H, H, N(67), H, H, H, N(64), H, H, H, N(60)};
  s.generate();
  s.on_probabilities(batch({major_sounding}), GenerateSession::kBatch);
  ASSERT_TRUE(s.has_melody());
  EXPECT_EQ(s.melody().source, music::MelodySource::Rules);
  EXPECT_NE(s.fallback_reason().find("3 of 5 notes in C minor"), std::string::npos) << s.fallback_reason();
  EXPECT_FALSE(s.model_failed()) << "the next request still asks the model";
  // The same notes asked in C major fit: the model's melody is shown.
  s.spec.mode = music::Mode::Major;
  s.generate();
  s.on_probabilities(batch({major_sounding}), GenerateSession::kBatch);
  EXPECT_EQ(s.melody().source, music::MelodySource::Model);
  EXPECT_EQ(s.fallback_reason(), "");
}

TEST(GenerateSession, PracticeRangesSuitEveryInstrumentAndTheModel) {
  for (const music::Instrument& inst : music::instruments()) {
    int prev_width = 0;
    for (int d = 1; d <= 5; ++d) {
      const app::PitchRange r = app::practice_range(inst, d);
      music::MelodySpec spec;
      spec.low = r.low;
      spec.high = r.high;
      spec.difficulty = d;
      EXPECT_EQ(spec.validate(), nullptr) << inst.name << " " << d;
      EXPECT_GE(r.high - r.low, prev_width) << "harder means a wider range";
      prev_width = r.high - r.low;
      if (inst.high_midi - inst.low_midi >= 12) {
        EXPECT_GE(r.low, std::max(inst.low_midi, music::kLowestMidi)) << inst.name;
        EXPECT_LE(r.high, std::min(inst.high_midi, music::kHighestMidi)) << inst.name;
      }
    }
  }
  EXPECT_EQ(app::practice_range(music::instrument_by_id("voice-bass"), 5).high, 64);
}

TEST(GenerateSession, DefaultRangesEndOnNotesOfTheKey) {
  const app::PitchRange r = app::in_key_range({61, 70}, 0, music::Mode::Major);
  EXPECT_EQ(r.low, 60);
  EXPECT_EQ(r.high, 71);
  const app::PitchRange same = app::in_key_range({62, 69}, 0, music::Mode::Major);
  EXPECT_EQ(same.low, 62);
  EXPECT_EQ(same.high, 69);
  const app::PitchRange edge = app::in_key_range({48, 84}, 1, music::Mode::Major);  // C is not in D-flat major
  EXPECT_EQ(edge.low, 48);
  EXPECT_EQ(edge.high, 84);
}

TEST(GenerateSession, TempoCountsQuartersOrDottedQuarters) {
  EXPECT_DOUBLE_EQ(app::seconds_per_step(music::Meter::FourFour, 60), 0.25);
  EXPECT_DOUBLE_EQ(app::seconds_per_step(music::Meter::SixEight, 60), 1.0 / 6.0);
}
