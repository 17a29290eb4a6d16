#include "worklet/dsp_abi.h"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "dsp/feature_frame.h"
#include "dsp/live_analyzer.h"

TEST(DspAbi, RejectsBadParamsWithAReason) {
  EXPECT_EQ(etude_dsp_create(1000.0f, 512, 128), nullptr);
  EXPECT_NE(std::string(etude_dsp_last_error()), "");
  EXPECT_EQ(etude_dsp_create(48000.0f, 2, 128), nullptr);
}

TEST(DspAbi, SameFramesAsTheAnalyzerItWraps) {
  const float rate = 44100.0f;
  EtudeDsp* dsp = etude_dsp_create(rate, 512, 128);
  ASSERT_NE(dsp, nullptr);
  ASSERT_EQ(etude_dsp_frame_floats(), int(etude::dsp::kFeatureFrameFloats));

  etude::dsp::LiveAnalyzerParams p;
  p.sample_rate = rate;
  p.max_block = 128;
  etude::dsp::LiveAnalyzer reference(p);
  EXPECT_EQ(etude_dsp_latency_samples(dsp), reference.latency_samples());

  int frames = 0;
  float block[128];
  for (int b = 0; b < 400; ++b) {
    for (int i = 0; i < 128; ++i) block[i] = 0.3f * std::sin(2.0f * float(M_PI) * 330.0f * float(b * 128 + i) / rate);
    std::memcpy(etude_dsp_input(dsp), block, sizeof block);
    const int n = etude_dsp_process(dsp, 128);
    const std::size_t m = reference.process(block);
    ASSERT_EQ(std::size_t(n), m);
    if (n > 0) {
      ASSERT_EQ(std::memcmp(etude_dsp_frames(dsp), reference.frames().data(), m * sizeof(etude::dsp::FeatureFrame)), 0);
      frames += n;
    }
  }
  EXPECT_EQ(frames, 400 * 128 / 512);
  // Oversized and negative counts are clamped, never read past the input buffer.
  EXPECT_GE(etude_dsp_process(dsp, 1 << 20), 0);
  EXPECT_EQ(etude_dsp_process(dsp, -5), 0);
  etude_dsp_destroy(dsp);
}

TEST(DspAbi, SpectrumColumnsComeOncePerHopInBothScales) {
  EtudeDsp* dsp = etude_dsp_create(48000.0f, 512, 128);
  ASSERT_NE(dsp, nullptr);
  EXPECT_EQ(etude_dsp_spectrum_bins(dsp, 0), 176);
  EXPECT_EQ(etude_dsp_spectrum_bins(dsp, 1), 96);
  EXPECT_EQ(etude_dsp_spectrum_bins(dsp, 2), 128);
  // One record for the worklet: notes, mel and linear follow each other.
  EXPECT_EQ(etude_dsp_spectrum(dsp, 1), etude_dsp_spectrum(dsp, 0) + 176);
  EXPECT_EQ(etude_dsp_spectrum(dsp, 2), etude_dsp_spectrum(dsp, 1) + 96);
  int columns = 0;
  float peak_row = -1;
  for (int b = 0; b < 200; ++b) {
    for (int i = 0; i < 128; ++i) etude_dsp_input(dsp)[i] = 0.5f * std::sin(2.0f * float(M_PI) * 880.0f * float(b * 128 + i) / 48000.0f);
    etude_dsp_process(dsp, 128);
    if (etude_dsp_spectrum_ready(dsp)) {
      ++columns;
      const float* notes = etude_dsp_spectrum(dsp, 0);
      peak_row = float(std::max_element(notes, notes + 176) - notes);
    }
  }
  EXPECT_EQ(columns, 200 * 128 / 512);
  EXPECT_EQ(peak_row, 120.0f);  // A5 = 880 Hz: 24 rows per octave above A0, five octaves
  etude_dsp_destroy(dsp);
}

// A double bass's low F1 (43.65 Hz) is below the default search range; the instrument preset's range
// (etude_dsp_create_range) finds it.
namespace {
float median_f0(EtudeDsp* dsp, float hz, float rate) {
  std::vector<float> f0;
  for (int b = 0; b < 600; ++b) {
    for (int i = 0; i < 128; ++i) {
      const float t = float(b * 128 + i) / rate;
      // A bowed-string-like tone: strong harmonics above a weak fundamental.
      float x = 0;
      for (int h = 1; h <= 8; ++h) x += (h == 1 ? 0.3f : 0.5f / float(h)) * std::sin(2.0f * float(M_PI) * hz * float(h) * t);
      etude_dsp_input(dsp)[i] = 0.3f * x;
    }
    const int n = etude_dsp_process(dsp, 128);
    const auto* frames = reinterpret_cast<const etude::dsp::FeatureFrame*>(etude_dsp_frames(dsp));
    for (int k = 0; k < n; ++k) {
      if (b > 300) f0.push_back(frames[k].f0_hz);
    }
  }
  std::sort(f0.begin(), f0.end());
  return f0.empty() ? -1.0f : f0[f0.size() / 2];
}
}  // namespace

TEST(DspAbi, AnInstrumentsPitchRangeReachesBelowTheDefault) {
  const float rate = 48000.0f, f1 = 43.65f;
  EtudeDsp* bass = etude_dsp_create_range(rate, 256, 128, 38.0f, 500.0f);
  ASSERT_NE(bass, nullptr) << etude_dsp_last_error();
  const float found = median_f0(bass, f1, rate);
  EXPECT_NEAR(1200.0f * std::log2(found / f1), 0.0f, 5.0f) << found;
  etude_dsp_destroy(bass);

  EtudeDsp* any = etude_dsp_create(rate, 256, 128);
  ASSERT_NE(any, nullptr);
  const float missed = median_f0(any, f1, rate);
  EXPECT_GT(std::abs(1200.0f * std::log2(std::max(missed, 1.0f) / f1)), 50.0f) << missed;
  etude_dsp_destroy(any);

  EXPECT_EQ(etude_dsp_create_range(rate, 256, 128, 500.0f, 400.0f), nullptr);  // empty range
  EXPECT_NE(std::string(etude_dsp_last_error()), "");
}
