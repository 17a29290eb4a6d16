// Every extractor reports its latency: how far behind the newest sample (or envelope value) the moment
// lies that its result describes. Each is checked against where the result actually responds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "dsp/chroma.h"
#include "dsp/spectral_features.h"
#include "dsp/stft.h"
#include "dsp/tempo.h"
#include "dsp/yin_pitch.h"
#include "signals.h"

using namespace etude::dsp;

// An impulse weighs most in the magnitude when it sits latency_samples() before the end of the signal:
// there the Hann window peaks. Every position in the frame is tried.
TEST(Latency, StftDescribesItsFramesCentre) {
  for (int n : {256, 1024, 2048}) {
    Stft stft(48000.0f, n);
    EXPECT_EQ(stft.latency_samples(), n / 2);
    int best = -1;
    float best_value = -1;
    for (int back = 1; back <= n; ++back) {
      std::vector<float> x(std::size_t(n), 0.0f);
      x[std::size_t(n - back)] = 1.0f;
      const float v = stft.compute(x)[0];
      if (v > best_value) { best_value = v; best = back; }
    }
    EXPECT_EQ(best, stft.latency_samples()) << n;
  }
}

TEST(Latency, SpectralFeaturesAndChromaReadTheirStftFramesCentre) {
  for (float rate : {16000.0f, 44100.0f, 48000.0f, 96000.0f}) {
    SpectralParams s;
    s.sample_rate = rate;
    s.frame_size = Stft::frame_size_for(rate, 0.0464f);
    EXPECT_EQ(SpectralFeatures(s).latency_samples(), Stft(rate, s.frame_size).latency_samples()) << rate;
    ChromaParams c;
    c.sample_rate = rate;
    c.frame_size = Stft::frame_size_for(rate, 0.2f);
    EXPECT_EQ(Chroma(c).latency_samples(), Stft(rate, c.frame_size).latency_samples()) << rate;
  }
}

// A tone that steps from 220 to 330 Hz: the estimate turns to 330 Hz when the step is about
// latency_samples() back (within a quarter of the integration window, over which YIN averages).
TEST(Latency, YinDescribesTheAudioItsLatencyBack) {
  for (float rate : {16000.0f, 22050.0f, 48000.0f}) {
    YinParams p;
    p.sample_rate = rate;
    YinPitch yin(p);
    const int step = 2 * yin.window_size();
    std::vector<float> x(std::size_t(step + 2 * yin.window_size()), 0.0f);
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = float(0.5 * std::sin(2 * M_PI * (int(i) < step ? 220.0 : 330.0) * double(i) / rate));
    }
    int turned = -1;  // samples after the step when the estimate first reads 330 Hz
    for (int end = step; end <= int(x.size()); ++end) {
      const PitchCandidate c = yin.analyze(std::span<const float>(x.data(), std::size_t(end))).best();
      if (c.probability > 0 && std::abs(1200 * std::log2(c.f0_hz / 330.0)) < 50) { turned = end - step; break; }
    }
    ASSERT_GE(turned, 0) << rate;
    EXPECT_NEAR(turned, yin.latency_samples(), p.integration_samples() / 4) << rate;
  }
}

// The streaming tempo describes its whole window; a change of tempo shows once enough of the window
// holds the new one: 0.5-1.5 times latency_frames() (half the window) after it. Measured: 90 -> 140 BPM
// after 410 frames, 70 -> 100 after 420, 140 -> 90 after 750, 120 -> 80 after 800 (the prior, centred on
// 150 BPM, lets a faster tempo win sooner).
TEST(Latency, TempoTurnsAroundHalfAWindowAfterAChange) {
  for (auto [from, to] : {std::pair{90.0, 140.0}, std::pair{140.0, 90.0}, std::pair{70.0, 100.0}, std::pair{120.0, 80.0}}) {
    TempoParams p;
    p.frame_rate = 100.0f;
    TempoEstimator estimator(p);
    auto push_pulses = [&](double bpm, double seconds, auto&& each) {
      const int frames = int(seconds * p.frame_rate);
      const double period = 60.0 / bpm * p.frame_rate;
      for (int i = 0; i < frames; ++i) {
        const double phase = std::fmod(double(i), period);
        estimator.push(phase < 1.0 ? 5.0f : (phase < 2.0 ? 2.0f : 0.0f));
        each(i);
      }
    };
    push_pulses(from, 20.0, [](int) {});
    int turned = -1;
    push_pulses(to, 15.0, [&](int i) {
      if (turned < 0 && i % 10 == 0 && std::abs(estimator.estimate().bpm - float(to)) < 0.03f * float(to)) turned = i;
    });
    ASSERT_GE(turned, 0) << from << " -> " << to;
    EXPECT_EQ(estimator.latency_frames(), 600);  // 12 s window at 100 frames/s
    EXPECT_NEAR(turned, estimator.latency_frames(), 0.5 * estimator.latency_frames()) << from << " -> " << to;
  }
}
