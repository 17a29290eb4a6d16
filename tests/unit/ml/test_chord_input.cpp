#include "ml/chord_input.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dsp/live_analyzer.h"
#include "support/marker_frame.h"

using namespace etude::ml;
using etude::dsp::FeatureFrame;

namespace {
FeatureFrame frame(float marker) { return etude::test::marker_frame(marker, marker); }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST(ChordInput, ModelFramesAreEverySecondLiveFrame) {
  // models/chords/make_dataset.py trains on every 2nd frame at the live hop: one model frame every
  // 512 samples at 48 kHz, 480 at 44.1 kHz.
  EXPECT_EQ(chord_model_hop(48000), 512);
  EXPECT_EQ(chord_model_hop(44100), 480);
  EXPECT_EQ(chord_model_hop(16000), 160);
  EXPECT_EQ(chord_model_hop(96000), 1024);
  EXPECT_EQ(live_hop(48000), 256);
  EXPECT_EQ(live_hop(44100), 240);
}

TEST(ChordInput, TheBrowserComputesTheSameHop) {
  // web/audio.js cannot include this header: check that it still states the same rule.
  const std::string js = read(std::string(ETUDE_SOURCE_DIR) + "/web/audio.js");
  EXPECT_NE(js.find("const TRAINING_HOP_SECONDS = 0.0107;"), std::string::npos);
  EXPECT_NE(js.find("Math.max(64, Math.round(sampleRate * TRAINING_HOP_SECONDS / 32) * 32) / 2"), std::string::npos);
}

TEST(ChordInput, AFramesStreamIndexComesFromItsTime) {
  // A live analyser's every frame, from its first (a priming frame before time 0) on, in worklet-sized blocks.
  for (float rate : {44100.0f, 48000.0f}) {
    etude::dsp::LiveAnalyzerParams p;
    p.sample_rate = rate;
    p.hop = live_hop(rate);
    p.max_block = 128;
    etude::dsp::LiveAnalyzer analyzer(p);
    const LiveClock clock{rate, p.hop, analyzer.latency_samples()};
    std::vector<FeatureFrame> frames;
    std::vector<float> block(128);
    for (int b = 0; b < int(rate) * 3 / 128; ++b) {  // 3 s of a tone
      for (int i = 0; i < 128; ++i) block[std::size_t(i)] = 0.3f * std::sin(float(b * 128 + i) * 0.05f);
      analyzer.process(block);
      for (const FeatureFrame& f : analyzer.frames()) frames.push_back(f);
    }
    ASSERT_GT(frames.size(), 500u);
    for (std::size_t n = 0; n < frames.size(); ++n) ASSERT_EQ(live_frame_index(frames[n], clock), long(n)) << rate << " " << n;
    const std::vector<FeatureFrame> kept = model_frames(frames, clock);
    ASSERT_EQ(kept.size(), (frames.size() + 1) / 2);
    for (std::size_t k = 0; k < kept.size(); ++k) EXPECT_EQ(kept[k].time_s, frames[2 * k].time_s);
    // The same frames, whichever frame a listener starts at.
    const std::vector<FeatureFrame> late = model_frames(std::span(frames).subspan(7), clock);
    ASSERT_EQ(late.size(), kept.size() - 4);
    EXPECT_EQ(late.front().time_s, frames[8].time_s);
  }
  EXPECT_FALSE(is_model_frame(frame(0), LiveClock{}));  // no clock, no model frames
}

TEST(ChordInput, FieldsAreTheModelsNamedInputsInOrder) {
  // The golden file of the shipped model lists its fields; they must be kFieldNames, in order.
  const std::string golden = read(std::string(ETUDE_SOURCE_DIR) + "/models/chord_classifier.golden.json");
  std::string expected = "\"fields\": [";
  for (int i = 0; i < kFields; ++i) expected += std::string(i ? ", " : "") + "\"" + kFieldNames[std::size_t(i)] + "\"";
  EXPECT_NE(golden.find(expected + "]"), std::string::npos) << expected;
  float row[kFields];
  const FeatureFrame f = frame(3.0f);
  pack_fields(f, row);
  const float* fields = reinterpret_cast<const float*>(&f);
  for (int i = 0; i < kFields; ++i) {
    int index = -1;
    for (std::size_t k = 0; k < etude::dsp::kFeatureFrameFloats; ++k) {
      if (std::string(etude::dsp::kFeatureFrameFieldNames[k]) == kFieldNames[std::size_t(i)]) index = int(k);
    }
    ASSERT_GE(index, 0) << kFieldNames[std::size_t(i)];
    EXPECT_EQ(row[i], fields[index]) << kFieldNames[std::size_t(i)];
  }
}

TEST(ChordInput, WindowsEndAtEveryStrideAndAtTheLastFrame) {
  std::vector<FeatureFrame> frames;
  for (int i = 0; i < 40; ++i) frames.push_back(frame(float(i)));
  std::vector<std::size_t> ends;
  const auto w = pack_windows(frames, 4, ends);
  EXPECT_EQ(ends, (std::vector<std::size_t>{15, 19, 23, 27, 31, 35, 39}));
  ASSERT_EQ(w.size(), ends.size() * kWindowFloats);
  for (std::size_t r = 0; r < ends.size(); ++r) {
    for (int t = 0; t < kContextFrames; ++t) {  // oldest first, frame-major
      EXPECT_EQ(w[r * kWindowFloats + std::size_t(t) * kFields], float(ends[r]) - 15 + float(t));
      EXPECT_EQ(w[r * kWindowFloats + std::size_t(t) * kFields + 64], float(ends[r]) - 15 + float(t) + 0.5f);
    }
  }
}

TEST(ChordInput, AShortClipGetsOneWindowPaddedWithItsFirstFrame) {
  std::vector<FeatureFrame> frames = {frame(5), frame(6), frame(7)};
  std::vector<std::size_t> ends;
  const auto w = pack_windows(frames, 4, ends);
  EXPECT_EQ(ends, (std::vector<std::size_t>{2}));
  ASSERT_EQ(w.size(), std::size_t(kWindowFloats));
  for (int t = 0; t < kContextFrames; ++t) EXPECT_EQ(w[std::size_t(t) * kFields], t < 13 ? 5.0f : float(t - 13 + 5));
  EXPECT_TRUE(pack_windows({}, 4, ends).empty());
  EXPECT_TRUE(ends.empty());
}
