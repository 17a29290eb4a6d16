#include "dsp/live_analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "live_params.h"
#include "signals.h"

using namespace etude::dsp;

namespace {
std::vector<FeatureFrame> run(LiveAnalyzer& a, const std::vector<float>& x, std::size_t block = 128) {
  std::vector<FeatureFrame> out;
  for (std::size_t i = 0; i < x.size(); i += block) {
    const std::size_t n = std::min(block, x.size() - i);
    a.process({x.data() + i, n});
    out.insert(out.end(), a.frames().begin(), a.frames().end());
  }
  return out;
}
}  // namespace

TEST(LiveAnalyzer, RejectsBadParams) {
  LiveAnalyzerParams p;
  p.hop = 4;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.sample_rate = 8000;
  EXPECT_NE(p.validate(), nullptr);
  p.sample_rate = 192000;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.lookahead_frames = -1;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.pitch_prior_mean = 0.6f;
  EXPECT_NE(p.validate(), nullptr);
  EXPECT_EQ(LiveAnalyzerParams{}.validate(), nullptr);
}

TEST(LiveAnalyzer, FramesEveryHopWhateverTheBlockSize) {
  for (std::size_t block : {1u, 37u, 128u, 512u, 1500u}) {
    LiveAnalyzerParams p;
    LiveAnalyzer a(p);
    const auto x = etude::test::sine(440.0, p.sample_rate, 48000);
    const auto frames = run(a, x, block);
    // One frame per hop: the pipeline starts primed with lookahead hops of silence.
    EXPECT_EQ(frames.size(), 48000u / 512u) << "block " << block;
    EXPECT_LT(frames.front().time_s, 0.0f);
  }
}

TEST(LiveAnalyzer, SineGivesPitchLevelLoudnessAndTime) {
  for (float rate : {16000.0f, 44100.0f, 48000.0f, 96000.0f}) {
    LiveAnalyzerParams p;
    p.sample_rate = rate;
    LiveAnalyzer a(p);
    const auto x = etude::test::sine(440.0, rate, std::size_t(4 * rate), 0.5);
    const auto frames = run(a, x);
    ASSERT_FALSE(frames.empty());
    for (std::size_t i = 1; i < frames.size(); ++i) ASSERT_GT(frames[i].time_s, frames[i - 1].time_s);
    const FeatureFrame& last = frames.back();
    EXPECT_NEAR(etude::test::cents(last.f0_hz, 440.0), 0.0, 1.0) << rate;
    EXPECT_GT(last.confidence, 0.9f);
    EXPECT_NEAR(last.rms, 0.5f / std::sqrt(2.0f), 0.01f);
    EXPECT_NEAR(last.rms_dbfs, -9.03f, 0.2f);  // a 512-sample hop holds a fractional number of cycles
    // -9.03 dB mean square, -0.69 dB BS.1770 offset, and K-weighting lifts 440 Hz by about 0.1 dB.
    EXPECT_NEAR(last.short_term_lufs, -9.63f, 0.15f);
    EXPECT_EQ(last.chroma[9], 1.0f);  // A
    EXPECT_LT(last.chroma[0], 0.2f);
    EXPECT_NEAR(last.centroid_hz, 440.0f, 30.0f);
    // The frame describes the moment latency_samples() before the newest sample.
    const float newest = float(x.size() - x.size() % std::size_t(p.hop)) / rate;
    EXPECT_NEAR(last.time_s, newest - float(a.latency_samples()) / rate, 1.5f / rate);
  }
}

// An overloaded input: A4 at amplitude 3, hard-clipped to +-1 before it reaches the analyser (the analyser
// itself only clamps absurd values at +-1000). The clipped wave keeps its period, and its level is that of
// the clipped wave, not the 3/sqrt(2) (+6.5 dBFS) the unclipped sine would have: with theta0 = asin(1/A),
// a quarter period is A sin(theta) up to theta0 and 1 after, so the mean square is
// (2/pi) (A^2 (theta0/2 - sin(2 theta0)/4) + pi/2 - theta0) = 0.857, -0.67 dBFS.
TEST(LiveAnalyzer, ClippedToneGivesItsPitchAndTheClippedLevel) {
  const double amp = 3.0, theta0 = std::asin(1.0 / amp);
  const double mean_square = 2.0 / M_PI * (amp * amp * (theta0 / 2.0 - std::sin(2.0 * theta0) / 4.0) + M_PI / 2.0 - theta0);
  const double dbfs = 10.0 * std::log10(mean_square);
  for (float rate : {16000.0f, 44100.0f, 48000.0f, 96000.0f}) {
    LiveAnalyzerParams p;
    p.sample_rate = rate;
    LiveAnalyzer a(p);
    auto x = etude::test::sine(440.0, rate, std::size_t(2 * rate), amp, 0.3);
    for (float& v : x) v = std::clamp(v, -1.0f, 1.0f);
    const auto frames = run(a, x);
    ASSERT_FALSE(frames.empty());
    const FeatureFrame& last = frames.back();
    EXPECT_NEAR(etude::test::cents(last.f0_hz, 440.0), 0.0, 1.0) << rate;
    EXPECT_GT(last.confidence, 0.9f) << rate;
    EXPECT_NEAR(last.rms, std::sqrt(mean_square), 0.015) << rate;  // 1.4% = 0.12 dB: see below
    // The 512-sample hop holds 2.3 (96 kHz) to 14 (16 kHz) cycles. x^2 - 0.857 integrates to 0 over each half
    // cycle, its positive part to 0.112 of a half cycle, so the hop's leftover piece of one moves the mean
    // square by at most 0.065 / cycles of it: 0.12 dB at 96 kHz for the worst phase (-0.72 dBFS measured here).
    EXPECT_NEAR(last.rms_dbfs, dbfs, 0.15) << rate;
    EXPECT_EQ(last.chroma[9], 1.0f) << rate;  // A
  }
}

TEST(LiveAnalyzer, SilenceNoiseAndGarbageAreUnvoiced) {
  LiveAnalyzer a(LiveAnalyzerParams{});
  const auto silent = run(a, std::vector<float>(48000, 0.0f));
  ASSERT_FALSE(silent.empty());
  EXPECT_EQ(silent.back().f0_hz, 0.0f);
  EXPECT_EQ(silent.back().rms_dbfs, kSilenceDbfs);
  EXPECT_EQ(silent.back().onset, 0.0f);
  for (float c : silent.back().chroma) EXPECT_EQ(c, 0.0f);

  const auto noisy = run(a, etude::test::noise(48000, 0.2));
  int voiced = 0;
  for (const auto& f : noisy) voiced += f.f0_hz > 0;
  EXPECT_LT(voiced, int(noisy.size() / 10));

  std::vector<float> bad(8192, std::nanf(""));
  for (std::size_t i = 0; i < bad.size(); i += 3) bad[i] = i % 2 ? 3e38f : -1e30f;  // corrupt float files
  const auto garbage = run(a, bad);
  for (const auto& f : garbage) {
    for (std::size_t i = 0; i < kFeatureFrameFloats; ++i) ASSERT_TRUE(std::isfinite(reinterpret_cast<const float*>(&f)[i]));
  }
}

namespace {
struct Voicing {
  double voiced = 0;    // share of the frames (from 0.3 s) with a pitch
  double in_tune = 0;   // share of the frames (from 0.3 s) within 50 cents of the truth
};
Voicing voicing_in_noise(float prior_mean, double tone_amp, double noise_sd) {
  LiveAnalyzerParams p;
  p.hop = 256;  // the browser's live hop at 48 kHz
  p.pitch_prior_mean = prior_mean;
  LiveAnalyzer a(p);
  auto x = etude::test::harmonic(196.0, p.sample_rate, std::size_t(3 * p.sample_rate), tone_amp);
  const auto n = etude::test::noise(x.size(), noise_sd, 11);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += n[i];
  Voicing v;
  int frames = 0;
  for (const auto& f : run(a, x)) {
    if (f.time_s < 0.3f) continue;
    ++frames;
    v.voiced += f.f0_hz > 0;
    v.in_tune += f.f0_hz > 0 && std::abs(etude::test::cents(f.f0_hz, 196.0)) < 50.0;
  }
  v.voiced /= frames;
  v.in_tune /= frames;
  return v;
}
}  // namespace

// The live tracker's threshold prior (pitch_prior_mean, Beta(2,6)) keeps a tone voiced in loud white
// noise, where pYIN's Beta(2,18) loses it; the same noise alone stays unvoiced.
TEST(LiveAnalyzer, AToneInLoudWhiteNoiseStaysVoicedAndTheNoiseAloneDoesNot) {
  // G3 with 8 partials at 1/k: power 0.3^2 / 2 * 1.527 = 0.069; noise 0.33^2 = 0.109, 2 dB over the tone.
  const Voicing shipped = voicing_in_noise(LiveAnalyzerParams{}.pitch_prior_mean, 0.3, 0.33);
  const Voicing pyin = voicing_in_noise(0.1f, 0.3, 0.33);
  const Voicing noise_alone = voicing_in_noise(LiveAnalyzerParams{}.pitch_prior_mean, 0.0, 0.33);
  std::printf("in tune %.3f (under Beta(2,18) %.3f); the noise alone voiced %.3f\n", shipped.in_tune, pyin.in_tune, noise_alone.voiced);
  EXPECT_GT(shipped.in_tune, 0.95);
  EXPECT_LT(pyin.voiced, 0.5);
  EXPECT_LT(noise_alone.voiced, 0.02);
}

TEST(LiveAnalyzer, MarksOnsetsOfPluckedNotesWithinTwentyMilliseconds) {
  LiveAnalyzerParams p;
  LiveAnalyzer a(p);
  const std::vector<double> truth = {0.5, 1.0, 1.5, 1.8, 2.4};
  const auto x = etude::test::plucks(truth, {220.0, 330.0, 262.0, 392.0, 294.0}, p.sample_rate, std::size_t(3 * p.sample_rate));
  std::vector<float> found;
  for (const auto& f : run(a, x)) {
    if (f.onset > 0) found.push_back(f.time_s);
  }
  ASSERT_EQ(found.size(), truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) EXPECT_NEAR(found[i], truth[i], 0.02) << i;
}

// Sound already there when the stream starts (room noise, a fan) is no attack, though the first frames
// compare it with the silence the analyser assumes before the stream; a hit at the very first sample is one
// (it decays within the look-ahead). At the app's hops and the CLI's; with start_onsets_need_change off,
// the noise reads as an onset at the start (as it did).
TEST(LiveAnalyzer, NoiseAlreadyThereAtTheStartIsNoOnsetButAHitThereIs) {
  for (const LiveAnalyzerParams& live : etude::test::live_params()) {
    const float rate = live.sample_rate;
    const int hop = live.hop;
    auto onsets_before = [&](const std::vector<float>& x, bool need_change, float until_s) {
      LiveAnalyzerParams p = live;
      p.start_onsets_need_change = need_change;
      LiveAnalyzer a(p);
      int n = 0;
      for (const auto& f : run(a, x)) n += f.onset > 0 && f.time_s < until_s;
      return n;
    };
    for (double level : {0.03, 0.2}) {  // -30 and -14 dBFS from the first sample
      const auto noise = etude::test::noise(std::size_t(rate), level, 3);
      EXPECT_EQ(onsets_before(noise, true, 0.5f), 0) << rate << " Hz, hop " << hop << ", noise " << level;
      EXPECT_EQ(onsets_before(noise, false, 0.1f), 1) << rate << " Hz, hop " << hop << ", noise " << level;  // what the rule removes
    }
    // A drum-like hit at the first sample over the same noise: broadband, decaying 60 dB in 0.2 s.
    std::vector<float> hit = etude::test::noise(std::size_t(rate), 0.03, 3);
    const auto burst = etude::test::noise(hit.size(), 0.5, 9);
    for (std::size_t i = 0; i < hit.size(); ++i) hit[i] += float(burst[i] * std::pow(10.0, -3.0 * double(i) / (0.2 * rate)));
    EXPECT_EQ(onsets_before(hit, true, 0.05f), 1) << rate << " Hz, hop " << hop;
  }
}

// A note already sounding when the microphone starts (a held note, a piano in the room) is no onset either:
// in the first frames the pitch track's voicing cue, like a SuperFlux onset, needs the level (over a period
// of the lowest pitch: a 256-sample hop's own rms swings 8 dB on a steady 82 Hz note) to move 6 dB
// (start_onsets_need_change). Steady, with vibrato, over noise, low to high, soft to loud; with the rule off
// the voicing cue flags them (as it did).
TEST(LiveAnalyzer, ANoteAlreadySoundingAtTheStartIsNoOnset) {
  for (const LiveAnalyzerParams& live : etude::test::live_params()) {
    const double rate = live.sample_rate;
    const std::size_t n = std::size_t(rate);
    int without_rule = 0;
    for (double hz : {82.4, 220.0, 880.0}) {
      for (double amp : {0.01, 0.3}) {
        std::vector<std::pair<const char*, std::vector<float>>> notes{
            {"steady", etude::test::harmonic(hz, rate, n, amp, 5)},
            {"vibrato", etude::test::vibrato(hz, 40.0, 5.5, rate, n, amp)}};
        auto noisy = etude::test::harmonic(hz, rate, n, amp, 5);
        etude::test::add(noisy, etude::test::noise(n, amp * 0.1, 5));
        notes.emplace_back("over noise", noisy);
        for (const auto& [name, x] : notes) {
          for (bool need_change : {true, false}) {
            LiveAnalyzerParams p = live;
            p.start_onsets_need_change = need_change;
            LiveAnalyzer a(p);
            int onsets = 0, voiced = 0;
            for (const auto& f : run(a, x)) {
              onsets += f.onset > 0;
              voiced += f.confidence > 0.5f && f.time_s > 0.2f && f.time_s < 0.8f;
            }
            if (!need_change) {
              without_rule += onsets;
              continue;
            }
            EXPECT_GT(voiced, 0) << name << " " << hz << " Hz, amp " << amp << ", " << rate << " Hz / hop " << p.hop;
            EXPECT_EQ(onsets, 0) << name << " " << hz << " Hz, amp " << amp << ", " << rate << " Hz / hop " << p.hop;
          }
        }
      }
    }
    EXPECT_GT(without_rule, 0) << rate << " Hz / hop " << live.hop;  // what the rule removes
  }
}

TEST(LiveAnalyzer, ResetStartsTimeAgain) {
  LiveAnalyzer a(LiveAnalyzerParams{});
  std::vector<float> x(8192, 0.1f);
  a.process(x);
  a.reset();
  const auto frames = run(a, std::vector<float>(512 * 4, 0.1f));
  ASSERT_FALSE(frames.empty());
  EXPECT_LT(frames.front().time_s, 0.0f + 512.0f / 48000.0f);
}

// The chord classifier (models/chord_classifier.onnx) was trained on this engine's frames: the 68 fields
// it reads (the semitone spectrum, src/ml/chord_input.h) must not move when the DSP is optimised. This pins
// them on a fixed synthetic signal at the live hops (48 kHz / 256, 44.1 kHz / 240) against values written
// by the engine as it was when the model was trained. To rewrite the golden file after a deliberate change
// (which means retraining the model):
//   ETUDE_WRITE_CHORD_GOLDEN=1 build/native/tests/unit/unit_dsp_test_live_analyzer --gtest_filter='*ChordFields*'
namespace {
// Chords with harmonics, plucks, a glide over a pad, noise and near-silence; noise from a fixed LCG.
std::vector<float> chord_test_signal(double rate) {
  const std::size_t n = std::size_t(4.0 * rate);
  std::vector<float> x(n, 0.0f);
  std::uint32_t lcg = 12345u;
  auto white = [&] {
    lcg = lcg * 1664525u + 1013904223u;
    return float(double(lcg >> 8) / double(1u << 24) * 2.0 - 1.0);
  };
  auto tone = [&](double start, double end, double hz, double amp, int partials, double decay) {
    for (std::size_t i = std::size_t(start * rate); i < std::min(n, std::size_t(end * rate)); ++i) {
      const double t = double(i) / rate - start;
      double v = 0;
      for (int k = 1; k <= partials && k * hz < rate / 2; ++k) v += std::sin(2.0 * M_PI * k * hz * t + 0.3 * k) / k;
      x[i] += float(amp * std::exp(-decay * t) * std::min(1.0, t / 0.01) * v);
    }
  };
  for (double hz : {130.81, 329.63, 392.0, 523.25}) tone(0.3, 1.3, hz, 0.08, 8, 0.0);         // C major
  for (double hz : {110.0, 261.63, 329.63, 440.0}) tone(1.3, 2.3, hz, 0.12, 6, 3.0);          // A minor, plucked
  for (double hz : {98.0, 246.94, 293.66, 349.23}) tone(2.3, 3.3, hz, 0.05, 5, 0.0);          // G7 pad
  double phase = 0;
  for (std::size_t i = std::size_t(2.3 * rate); i < std::size_t(3.3 * rate); ++i) {           // glide 392 -> 587 Hz
    const double t = double(i) / rate - 2.3;
    phase += 2.0 * M_PI * 392.0 * std::exp2(t * 0.58) / rate;
    x[i] += float(0.1 * (std::sin(phase) + 0.5 * std::sin(2 * phase)));
  }
  for (std::size_t i = std::size_t(3.3 * rate); i < std::size_t(3.5 * rate); ++i) x[i] += 0.2f * white();  // noise burst
  tone(3.6, 4.0, 440.0, 1e-4, 3, 0.0);                                                        // below the pitch gate
  for (float& v : x) v += 0.003f * white();
  return x;
}

std::vector<std::array<float, kSemitoneBins>> chord_fields(float rate, int hop) {
  LiveAnalyzerParams p;
  p.sample_rate = rate;
  p.hop = hop;
  p.max_block = 128;
  LiveAnalyzer a(p);
  std::vector<std::array<float, kSemitoneBins>> out;
  for (const FeatureFrame& f : run(a, chord_test_signal(rate))) {
    std::array<float, kSemitoneBins> row{};
    std::copy(std::begin(f.semitones), std::end(f.semitones), row.begin());
    out.push_back(row);
  }
  return out;
}
}  // namespace

TEST(LiveAnalyzer, ChordFieldsMatchTheTrainedModelsEngine) {
  const std::string path = std::string(ETUDE_SOURCE_DIR) + "/tests/unit/dsp/fixtures/chord_fields.txt";
  const std::pair<float, int> configs[] = {{48000.0f, 256}, {44100.0f, 240}};
  if (std::getenv("ETUDE_WRITE_CHORD_GOLDEN")) {
    std::FILE* file = std::fopen(path.c_str(), "w");
    ASSERT_NE(file, nullptr) << path;
    std::fprintf(file, "# the chord classifier's 68 fields per frame (semitone_28..semitone_95)\n");
    for (const auto& [rate, hop] : configs) {
      const auto rows = chord_fields(rate, hop);
      std::fprintf(file, "config %g %d %zu\n", double(rate), hop, rows.size());
      for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) std::fprintf(file, i ? " %.6g" : "%.6g", double(row[i]));
        std::fprintf(file, "\n");
      }
    }
    std::fclose(file);
    GTEST_SKIP() << "wrote " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string line;
  std::getline(in, line);  // header
  for (const auto& [rate, hop] : configs) {
    std::string word;
    double golden_rate = 0;
    int golden_hop = 0;
    std::size_t count = 0;
    in >> word >> golden_rate >> golden_hop >> count;
    ASSERT_EQ(word, "config");
    ASSERT_EQ(golden_rate, double(rate));
    ASSERT_EQ(golden_hop, hop);
    const auto rows = chord_fields(rate, hop);
    ASSERT_EQ(rows.size(), count);
    double worst = 0;
    for (std::size_t r = 0; r < count; ++r) {
      for (std::size_t i = 0; i < std::size_t(kSemitoneBins); ++i) {
        double expected = 0;
        in >> expected;
        // Within 1e-4 (relative for any magnitude over 1).
        const double error = std::abs(double(rows[r][i]) - expected) / std::max(1.0, std::abs(expected));
        worst = std::max(worst, error);
        ASSERT_LE(error, 1e-4) << rate << " Hz, frame " << r << ", field " << i << ": " << rows[r][i] << " vs " << expected;
      }
    }
    std::printf("%g Hz hop %d: %zu frames, worst difference %.3g\n", double(rate), hop, count, worst);
  }
}

// Every frame carries the semitone spectrum its chroma was folded from (E2..B6 for the chroma).
TEST(LiveAnalyzer, SemitonesAreTheSpectrumTheChromaFolds) {
  const float rate = 48000.0f;
  std::vector<float> x(std::size_t(rate * 1.5), 0.0f);
  for (int m : {45, 57, 61, 64}) etude::test::add(x, etude::test::harmonic(440.0 * std::exp2((m - 69) / 12.0), rate, x.size(), 0.15, 3));
  LiveAnalyzerParams p;
  p.sample_rate = rate;
  p.hop = 256;
  LiveAnalyzer a(p);
  const std::vector<FeatureFrame> frames = run(a, x, 300);
  int checked = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    // The chroma is the spectrum's power folded to pitch classes, square-rooted and max-normalised.
    std::array<double, 12> fold{};
    for (int m = 40; m <= 95; ++m) fold[std::size_t(m % 12)] += double(frames[i].semitones[m - kSemitoneLowMidi]) * frames[i].semitones[m - kSemitoneLowMidi];
    double top = 0;
    for (double& v : fold) top = std::max(top, v = std::sqrt(v));
    if (top == 0) {
      for (float c : frames[i].chroma) ASSERT_EQ(c, 0.0f) << "frame " << i;
      continue;
    }
    ++checked;
    for (int pc = 0; pc < 12; ++pc) ASSERT_NEAR(fold[std::size_t(pc)] / top, frames[i].chroma[pc], 1e-5) << "frame " << i;
  }
  EXPECT_GT(checked, int(frames.size()) / 2);
  // A2 (MIDI 45) is the lowest semitone lit in the middle of the chord; its octave is kept.
  const FeatureFrame& mid = frames[frames.size() / 2];
  EXPECT_GT(mid.semitones[45 - kSemitoneLowMidi], 0.5f);
  EXPECT_GT(mid.semitones[57 - kSemitoneLowMidi], 0.5f);
  for (int m = kSemitoneLowMidi; m < 45; ++m) EXPECT_LT(mid.semitones[m - kSemitoneLowMidi], 0.05f) << m;
}
