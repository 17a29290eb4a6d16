// Every extractor reports its latency: how far behind the newest sample the moment lies that its result
// describes. Each is checked against where the result actually responds. (TempoEstimator::latency_frames():
// tests/unit/dsp/test_tempo.cpp.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "dsp/chroma.h"
#include "dsp/spectral_features.h"
#include "dsp/stft.h"
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
