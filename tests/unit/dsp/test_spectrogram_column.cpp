#include "dsp/spectrogram_column.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace etude::dsp;

namespace {
int argmax(std::span<const float> v) { return int(std::max_element(v.begin(), v.end()) - v.begin()); }

void feed(SpectrogramColumn& col, float rate, float hz, float amp, int samples) {
  std::vector<float> block(128);
  for (int start = 0; start < samples; start += 128) {
    for (int i = 0; i < 128; ++i) block[std::size_t(i)] = amp * std::sin(2.0f * float(M_PI) * hz * float(start + i) / rate);
    col.push(block);
  }
}
SpectrogramParams at(float rate) {
  SpectrogramParams p;
  p.sample_rate = rate;
  return p;
}
}  // namespace

TEST(SpectrogramColumn, ParamsValidate) {
  SpectrogramParams p;
  EXPECT_EQ(p.validate(), nullptr);
  p.mel_bands = 4;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(SpectrogramColumn, ASineLightsItsNoteRowAndMelBand) {
  for (float rate : {44100.0f, 48000.0f}) {
    SpectrogramColumn col(at(rate));
    feed(col, rate, 440.0f, 1.0f, int(rate) / 2);
    const int a4 = int(std::lround(24.0 * std::log2(440.0 / SpectrogramColumn::kLowestHz)));
    EXPECT_EQ(argmax(col.notes()), a4) << rate;
    EXPECT_NEAR(SpectrogramColumn::note_bin_hz(a4), 440.0f, 0.01f);
    EXPECT_GT(col.notes()[std::size_t(a4)], -10.0f);
    EXPECT_LT(col.notes()[std::size_t(a4 + 24)], col.notes()[std::size_t(a4)] - 40.0f);  // an octave up is dark
    const int band = argmax(col.mel());
    EXPECT_NEAR(std::log2(col.mel_band_hz(band) / 440.0f), 0.0, 0.15) << col.mel_band_hz(band);
  }
}

TEST(SpectrogramColumn, QuieterIsDarkerAndSilenceIsTheFloor) {
  SpectrogramColumn loud(at(48000.0f)), soft(at(48000.0f)), silent(at(48000.0f));
  feed(loud, 48000.0f, 1000.0f, 1.0f, 24000);
  feed(soft, 48000.0f, 1000.0f, 0.01f, 24000);
  feed(silent, 48000.0f, 1000.0f, 0.0f, 24000);
  const int bin = argmax(loud.notes());
  EXPECT_NEAR(loud.notes()[std::size_t(bin)] - soft.notes()[std::size_t(bin)], 40.0f, 0.5f);
  for (float v : silent.notes()) EXPECT_EQ(v, SpectrogramColumn::kFloorDb);
}

TEST(SpectrogramColumn, OneColumnPerHop) {
  SpectrogramColumn col(SpectrogramParams{});
  std::vector<float> block(128, 0.1f);
  int columns = 0;
  for (int i = 0; i < 400; ++i) columns += col.push(block) ? 1 : 0;
  EXPECT_EQ(columns, 400 * 128 / 512);
}

TEST(SpectrogramColumn, LinearRowsShowHarmonicsEvenlySpaced) {
  for (float rate : {16000.0f, 44100.0f, 48000.0f}) {
    SpectrogramColumn col(at(rate));
    // A 250 Hz tone with harmonics at 500, 750 and 1000 Hz: rows 8, 16, 24, 32 (31.25 Hz per row).
    std::vector<float> block(128);
    for (int start = 0; start < int(rate) / 2; start += 128) {
      for (int i = 0; i < 128; ++i) {
        const float t = float(start + i) / rate;
        float x = 0;
        for (int h = 1; h <= 4; ++h) x += 0.2f * std::sin(2.0f * float(M_PI) * 250.0f * float(h) * t);
        block[std::size_t(i)] = x;
      }
      col.push(block);
    }
    const auto lin = col.linear();
    ASSERT_EQ(lin.size(), std::size_t(SpectrogramColumn::kLinearBins));
    for (int h = 1; h <= 4; ++h) {
      const int row = 8 * h;
      EXPECT_NEAR(SpectrogramColumn::linear_bin_hz(row), 250.0f * float(h), 0.01f);
      EXPECT_GT(lin[std::size_t(row)], -30.0f) << rate << " harmonic " << h;
      EXPECT_LT(lin[std::size_t(row + 4)], lin[std::size_t(row)] - 30.0f) << rate << " between harmonics " << h;
    }
    // The three scales sit one after another in column().
    ASSERT_EQ(col.column().size(), col.notes().size() + col.mel().size() + lin.size());
    EXPECT_EQ(col.column().data() + col.notes().size() + col.mel().size(), lin.data());
  }
}
