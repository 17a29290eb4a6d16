#include "app/chord_window.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "dsp/live_analyzer.h"
#include "support/marker_frame.h"
#include "support/wav_file.h"

using etude::app::ChordWindow;
using etude::dsp::FeatureFrame;
using etude::test::write_mono;
namespace ml = etude::ml;

namespace {
// A 48 kHz stream at the live hop whose priming makes frame n sound at ((n + 1) * 256 - 768) / 48000 s.
constexpr ml::LiveClock kClock{48000.0f, 256, 768};

FeatureFrame frame(float marker, int index) {
  return etude::test::marker_frame(marker, float((index + 1) * kClock.hop - kClock.latency_samples) / kClock.sample_rate);
}
FeatureFrame frame(float marker) { return frame(marker, int(marker)); }

}  // namespace

TEST(ChordWindow, FieldsAreTheModelsInputsInOrder) {
  // models/chord_classifier.golden.json "fields": the semitone spectrum E1..B6 (tests/unit/ml checks the names).
  EXPECT_EQ(ChordWindow::kFields, etude::dsp::kSemitoneBins);
  EXPECT_EQ(ChordWindow::kRowFloats, 16 * 68);
  EXPECT_EQ(ChordWindow::kRows, 17);
}

TEST(ChordWindow, KeepsEverySecondFrameOldestFirst) {
  ChordWindow w;
  for (int i = 0; i < 40; ++i) w.add(frame(float(i)));
  EXPECT_FALSE(w.full()) << "no clock yet, no model frames";
  w.start(kClock);
  for (int i = 3; i < 40; ++i) w.add(frame(float(i)));  // listening starts at any frame: the stream sets the phase
  ASSERT_TRUE(w.full());
  std::vector<float> batch(ChordWindow::kRows * ChordWindow::kRowFloats);
  w.occlusion_batch(batch);
  // Kept frames are 4, 6, ..., 38 (even stream indices); the newest 16 are 8, 10, ..., 38.
  for (int t = 0; t < 16; ++t) {
    EXPECT_FLOAT_EQ(batch[std::size_t(t * 68)], float(8 + 2 * t)) << t;
    EXPECT_FLOAT_EQ(batch[std::size_t(t * 68 + 67)], float(8 + 2 * t) + 67.0f / 128.0f) << t;
  }
}

TEST(ChordWindow, OcclusionRowsBlankOnePitchClassOrOneTimeGroup) {
  ChordWindow w;
  w.start(kClock);
  for (int i = 0; i < 32; ++i) w.add(frame(1.0f, i));
  std::vector<float> b(ChordWindow::kRows * ChordWindow::kRowFloats);
  w.occlusion_batch(b);
  const auto at = [&](int row, int t, int field) { return b[std::size_t(row * 16 * 68 + t * 68 + field)]; };
  // Row 1 + 4 (pitch class E): semitones 28 (E1), 40, 52, 64, 76, 88 are zero in every frame, nothing else.
  for (int t = 0; t < 16; ++t) {
    for (int k = 0; k < 68; ++k) EXPECT_EQ(at(5, t, k) == 0.0f, (28 + k) % 12 == 4) << t << " " << k;
    for (int k = 0; k < 68; ++k) EXPECT_EQ(at(1, t, k) == 0.0f, (28 + k) % 12 == 0) << t << " " << k;  // C
  }
  // Row 13 + 2: frames 8..11 lose every semitone, the others keep theirs.
  for (int t = 0; t < 16; ++t) {
    const bool blank = t >= 8 && t < 12;
    for (int k = 0; k < 68; ++k) EXPECT_EQ(at(15, t, k) == 0.0f, blank) << t << " " << k;
  }
  // Row 0 is the window itself.
  EXPECT_EQ(at(0, 3, 10), 1.0f + 10.0f / 128.0f);
  w.clear();
  EXPECT_FALSE(w.full());
}

// The app's live path (the worklet's 128-sample quanta into a LiveAnalyzer, its frames into ChordWindow
// from an arbitrary frame on) and the offline path (`etude analyze chords`: the file analysed at the live
// hop, ml::model_frames, ml::pack_windows) give the model bit-identical windows.
TEST(ChordWindow, TheAppsWindowsAreTheOfflineWindowsBitForBit) {
  for (const int rate : {44100, 48000}) {
    auto chord = [&](std::vector<int> midi, double seconds) {
      std::vector<float> x(std::size_t(seconds * rate), 0.0f);
      for (int m : midi) {
        const double hz = 440.0 * std::exp2((m - 69) / 12.0);
        for (std::size_t i = 0; i < x.size(); ++i) {
          const double t = double(i) / rate;
          double v = 0;
          for (int k = 1; k <= 4; ++k) v += std::sin(2 * M_PI * k * hz * t) / (k * k);
          x[i] += float(0.12 * v * std::exp(-0.8 * t));
        }
      }
      return x;
    };
    std::vector<float> x = chord({48, 60, 64, 67}, 1.5);  // C:maj
    const auto am = chord({45, 57, 60, 64}, 1.5);         // A:min
    x.insert(x.end(), am.begin(), am.end());

    etude::cli::AnalysisOptions options;
    options.live_hop = true;  // as `etude analyze chords` runs
    etude::cli::Analysis a;
    ASSERT_EQ(etude::cli::analyse_file(write_mono("cmaj_amin.wav", rate, x), options, a), "");
    const std::vector<FeatureFrame> model = ml::model_frames(a.frames, a.clock());
    std::vector<std::size_t> ends;
    const std::vector<float> offline = ml::pack_windows(model, 1, ends);
    std::map<float, std::size_t> offline_row;  // newest frame's time -> window
    for (std::size_t r = 0; r < ends.size(); ++r) offline_row[model[ends[r]].time_s] = r;
    // The CLI classifies every ml::kWindowStride-th of these windows.
    std::vector<std::size_t> cli_ends;
    EXPECT_EQ(etude::cli::chord_windows(a).inputs, ml::pack_windows(model, ml::kWindowStride, cli_ends));

    etude::dsp::LiveAnalyzerParams p;  // web/audio.js and src/worklet: the live hop, 128-sample quanta
    p.sample_rate = float(rate);
    p.hop = ml::live_hop(float(rate));
    p.max_block = 128;
    etude::dsp::LiveAnalyzer analyzer(p);
    ChordWindow w;
    w.start({float(rate), p.hop, analyzer.latency_samples()});
    x.resize(x.size() + std::size_t(rate) / 2, 0.0f);  // the stream goes on after the chords
    std::vector<float> batch(ChordWindow::kRows * ChordWindow::kRowFloats);
    long seen = 0;
    int compared = 0;
    for (std::size_t at = 0; at + 128 <= x.size(); at += 128) {
      analyzer.process(std::span<const float>(x.data() + at, 128));
      for (const FeatureFrame& f : analyzer.frames()) {
        if (seen++ < 37) continue;  // the Chords screen opened a little after the microphone
        w.add(f);
        if (!w.full() || !ml::is_model_frame(f, {float(rate), p.hop, analyzer.latency_samples()})) continue;
        const auto it = offline_row.find(f.time_s);
        if (it == offline_row.end() || it->second < std::size_t(ml::kContextFrames)) continue;  // offline pads its first windows
        w.occlusion_batch(batch);
        const float* want = offline.data() + it->second * std::size_t(ml::kWindowFloats);
        for (int i = 0; i < ml::kWindowFloats; ++i) {
          ASSERT_EQ(batch[std::size_t(i)], want[i]) << rate << " Hz, window ending " << f.time_s << " s, value " << i;
        }
        ++compared;
      }
    }
    EXPECT_GT(compared, int(ends.size()) - 40) << rate;  // all but the first and the last windows
  }
}

using etude::app::ExplanationPacer;

TEST(ExplanationPacer, TheOcclusionBatchGoesOnlyWhenTheExplanationWouldBeStale) {
  ExplanationPacer p;
  // No explanation yet: the first request carries it.
  ASSERT_EQ(p.rows(0.0), ChordWindow::kRows);
  p.sent(0.0, ChordWindow::kRows);
  EXPECT_TRUE(p.answered("C:maj", ChordWindow::kRows));
  EXPECT_EQ(p.explained(), "C:maj");
  // The same chord, every 0.15 s: the window alone until the explanation is 0.6 s old.
  for (double t = 0.15; t < 0.6 - 1e-9; t += 0.15) {
    ASSERT_EQ(p.rows(t), 1) << t;
    p.sent(t, 1);
    EXPECT_TRUE(p.answered("C:maj", 1)) << t;
  }
  EXPECT_EQ(p.rows(0.6), ChordWindow::kRows);
  p.sent(0.6, ChordWindow::kRows);
  EXPECT_TRUE(p.answered("C:maj", ChordWindow::kRows));
  // A window-only answer that names another chord is held back, and the next request explains it.
  ASSERT_EQ(p.rows(0.75), 1);
  p.sent(0.75, 1);
  EXPECT_FALSE(p.answered("A:min", 1));
  EXPECT_EQ(p.explained(), "C:maj");
  EXPECT_EQ(p.rows(0.76), ChordWindow::kRows);
  p.sent(0.76, ChordWindow::kRows);
  EXPECT_TRUE(p.answered("A:min", ChordWindow::kRows));
  EXPECT_EQ(p.explained(), "A:min");
  EXPECT_EQ(p.rows(0.91), 1);
  // After a reset (a new microphone stream, or silence) the next request explains again.
  p.reset();
  EXPECT_EQ(p.rows(0.92), ChordWindow::kRows);
  EXPECT_EQ(p.explained(), "");
}

TEST(ChordWindow, TheWindowIsRowZeroOfTheOcclusionBatch) {
  ChordWindow w;
  w.start(kClock);
  for (int i = 0; i < 40; ++i) w.add(frame(float(i)));
  std::vector<float> batch(ChordWindow::kRows * ChordWindow::kRowFloats), window(ChordWindow::kRowFloats);
  w.occlusion_batch(batch);
  w.window(window);
  EXPECT_FLOAT_EQ(window[0], 8.0f);  // the oldest kept frame (as KeepsEverySecondFrameOldestFirst)
  for (int i = 0; i < ChordWindow::kRowFloats; ++i) ASSERT_EQ(window[std::size_t(i)], batch[std::size_t(i)]) << i;
}
