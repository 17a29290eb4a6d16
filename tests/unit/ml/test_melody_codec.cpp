// The C++ melody codec against the Python reference (models/melody/common.py) on the real model's
// output: the fixture is written at test time by make_melody_fixture.py (onnxruntime on
// models/melody_gan.onnx), so a change to the model, common.py or the C++ shows up here.
#include "ml/melody_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using etude::music::Melody;
using etude::music::MelodyEvent;
using etude::music::MelodySpec;

struct ModelCase {
  MelodySpec spec;
  int steps = 0;
  std::vector<float> cond, probs;
  std::vector<int> tokens;
  std::vector<MelodyEvent> events;
};
struct TokenCase {
  std::vector<int> tokens;
  std::vector<MelodyEvent> events;
};

float from_hex(const std::string& h) {
  const std::uint32_t bits = std::uint32_t(std::stoul(h, nullptr, 16));
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::vector<MelodyEvent> read_events(std::istream& in) {
  std::string w;
  in >> w;
  EXPECT_EQ(w, "events");
  int n = 0;
  in >> n;
  std::vector<MelodyEvent> out(std::size_t(std::max(n, 0)));
  for (MelodyEvent& e : out) in >> e.start >> e.steps >> e.midi;
  return out;
}

class MelodyCodecFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string out = std::string(ETUDE_BINARY_DIR) + "/fixtures/melody_codec_fixture.txt";
    const std::string cmd = std::string(ETUDE_PYTHON) + " " + ETUDE_SOURCE_DIR +
                            "/tests/unit/ml/make_melody_fixture.py " + out;
    made_ = std::system(cmd.c_str()) == 0;
    std::ifstream in(out);
    if (!made_ || !in) return;
    std::string w;
    int n = 0;
    in >> w >> n;
    for (int i = 0; i < n && in; ++i) {
      ModelCase c;
      int mode = 0, meter = 0;
      in >> w >> c.spec.key >> mode >> c.spec.difficulty >> meter >> c.spec.bars >> c.spec.low >> c.spec.high >> c.steps;
      c.spec.mode = etude::music::Mode(mode);
      c.spec.meter = etude::music::Meter(meter);
      in >> w;
      for (int k = 0; k < etude::ml::kConditionDim; ++k) in >> w, c.cond.push_back(from_hex(w));
      in >> w;
      for (int k = 0; k < etude::ml::kModelSteps * etude::ml::kVocab; ++k) in >> w, c.probs.push_back(from_hex(w));
      in >> w;
      c.tokens.resize(std::size_t(c.steps));
      for (int& t : c.tokens) in >> t;
      c.events = read_events(in);
      model_cases_.push_back(std::move(c));
    }
    in >> w >> n;
    for (int i = 0; i < n && in; ++i) {
      TokenCase c;
      int length = 0;
      in >> w >> length;
      c.tokens.resize(std::size_t(length));
      for (int& t : c.tokens) in >> t;
      c.events = read_events(in);
      token_cases_.push_back(std::move(c));
    }
  }
  static inline bool made_ = false;
  static inline std::vector<ModelCase> model_cases_;
  static inline std::vector<TokenCase> token_cases_;
};

TEST_F(MelodyCodecFixture, FixtureWasWrittenFromTheRealModel) {
  ASSERT_TRUE(made_) << "make_melody_fixture.py failed: it needs .venv with onnxruntime (scripts/setup.sh)";
  EXPECT_EQ(model_cases_.size(), 160u);
  EXPECT_EQ(token_cases_.size(), 200u);
}

TEST_F(MelodyCodecFixture, ConditionVectorIsBitIdenticalToCommonPy) {
  ASSERT_FALSE(model_cases_.empty());
  for (const ModelCase& c : model_cases_) {
    ASSERT_EQ(c.spec.validate(), nullptr);
    const auto v = etude::ml::condition_vector(c.spec);
    for (int k = 0; k < etude::ml::kConditionDim; ++k) {
      ASSERT_EQ(std::memcmp(&v[std::size_t(k)], &c.cond[std::size_t(k)], 4), 0)
          << "element " << k << ": " << v[std::size_t(k)] << " vs " << c.cond[std::size_t(k)];
    }
  }
}

TEST_F(MelodyCodecFixture, ArgmaxAndDecodeMatchThePythonReference) {
  ASSERT_FALSE(model_cases_.empty());
  int notes = 0;
  for (const ModelCase& c : model_cases_) {
    EXPECT_EQ(c.spec.steps(), c.steps);
    EXPECT_EQ(etude::ml::argmax_tokens(c.probs, c.steps), c.tokens);
    const Melody m = etude::ml::melody_from_probabilities(c.probs, c.spec, 1);
    ASSERT_EQ(m.events.size(), c.events.size());
    for (std::size_t i = 0; i < m.events.size(); ++i) {
      const MelodyEvent& e = m.events[i];
      EXPECT_EQ(e.start, c.events[i].start);
      EXPECT_EQ(e.steps, c.events[i].steps);
      EXPECT_EQ(e.midi, c.events[i].midi);
      // The confidence is the probability of the token at the event's first step.
      const int token = c.tokens[std::size_t(e.start)];
      EXPECT_EQ(e.confidence, c.probs[std::size_t(e.start) * etude::ml::kVocab + std::size_t(token)]);
      EXPECT_GT(e.confidence, 0.0f);
      EXPECT_LE(e.confidence, 1.0f);
      if (!e.is_rest()) {
        ++notes;
        // The model's range mask: every note inside the requested range.
        EXPECT_GE(e.midi, c.spec.low);
        EXPECT_LE(e.midi, c.spec.high);
      }
    }
  }
  EXPECT_GT(notes, 500);  // the fixture really holds melodies
}

TEST_F(MelodyCodecFixture, DecodeMatchesOnAwkwardTokenStrings) {
  ASSERT_FALSE(token_cases_.empty());
  int hold_first = 0;
  for (const TokenCase& c : token_cases_) {
    hold_first += c.tokens[0] == etude::ml::kHoldToken;
    const auto events = etude::ml::decode_tokens(c.tokens);
    ASSERT_EQ(events.size(), c.events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].start, c.events[i].start);
      EXPECT_EQ(events[i].steps, c.events[i].steps);
      EXPECT_EQ(events[i].midi, c.events[i].midi);
    }
  }
  EXPECT_GT(hold_first, 20);  // the rule "hold at step 0 is a rest" was exercised
}

TEST(MelodyCodec, NoiseIsSeededAndStandardNormal) {
  std::vector<float> a(20000), b(20000), c(20000);
  etude::ml::fill_noise(3, a);
  etude::ml::fill_noise(3, b);
  etude::ml::fill_noise(4, c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  double sum = 0, sq = 0;
  for (float x : a) sum += x, sq += double(x) * x;
  const double mean = sum / double(a.size()), var = sq / double(a.size()) - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.03);
  EXPECT_NEAR(var, 1.0, 0.04);
}

TEST(MelodyCodec, PickFreshSkipsRepeatsAndNearlyEmptySamples) {
  MelodySpec spec;
  const auto melody = [&](std::vector<int> pitches) {
    Melody m;
    m.spec = spec;
    int t = 0;
    for (int p : pitches) m.events.push_back({t, 4, p, 1}), t += 4;
    return m;
  };
  const std::vector<Melody> recent = {melody({60, 62, 64, 65})};
  const std::vector<Melody> batch = {melody({60, 62}), melody({60, 62, 64, 65}), melody({60, 64, 67, 72})};
  EXPECT_EQ(etude::ml::pick_fresh(batch, recent), 2);
  // Among fresh samples, the one that stays in the key (C major) wins over one that leaves it.
  const std::vector<Melody> mixed = {melody({60, 61, 63, 66}), melody({60, 62, 63, 65}), melody({67, 65, 64, 60})};
  EXPECT_EQ(etude::ml::pick_fresh(mixed, recent), 2);
  // Everything seen before: the first usable one rather than nothing.
  EXPECT_EQ(etude::ml::pick_fresh(std::vector<Melody>(batch.begin(), batch.begin() + 2), recent), 1);
  EXPECT_EQ(etude::ml::pick_fresh(std::vector<Melody>(batch.begin(), batch.begin() + 1), recent), -1);
}

}  // namespace
