#include "dsp/noise_onsets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "dsp/spectral_gate.h"
#include "signals.h"

using etude::dsp::NoiseBandEnergy;
using etude::dsp::NoiseOnsetParams;
using etude::dsp::NoiseProfile;
using etude::dsp::SpectralGateParams;
using etude::dsp::pick_noise_onsets;

namespace {

constexpr int kRate = 44100;

NoiseOnsetParams params() {
  SpectralGateParams gate;
  gate.sample_rate = kRate;
  NoiseOnsetParams p;
  p.sample_rate = kRate;
  p.frame_size = gate.frame_size();
  p.hop = 512;
  p.floor_percentile = gate.percentile;
  return p;
}

// Both passes over x, as the CLI runs them: the noise floor, then the band energies and their onsets (s).
std::vector<float> onsets_of(const std::vector<float>& x, const NoiseOnsetParams& p, std::vector<float>* values = nullptr,
                             std::vector<float>* coverage = nullptr) {
  SpectralGateParams gate;
  gate.sample_rate = kRate;
  NoiseProfile profile(gate);
  profile.push(x);
  NoiseBandEnergy band(p, profile.floor_power());
  band.push(x);
  EXPECT_EQ(band.values().size(), x.size() / std::size_t(p.hop));
  EXPECT_EQ(band.coverage().size(), band.values().size());
  if (values) *values = band.values();
  if (coverage) *coverage = band.coverage();
  std::vector<float> times;
  for (int k : pick_noise_onsets(band.values(), band.coverage(), p)) times.push_back(p.time_s(k));
  return times;
}

std::vector<float> white_noise(double seconds, double sd, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss(0.0, sd);
  std::vector<float> x(std::size_t(seconds * kRate));
  for (float& v : x) v = float(gauss(rng));
  return x;
}

// Adds a closed-hat-like burst (etude::test::hat_burst) at `at` s.
void add_hat(std::vector<float>& x, double at, double sd, double under_db, std::mt19937& rng) {
  const std::vector<double> h = etude::test::hat_burst(kRate, sd, under_db, rng);
  for (std::size_t i = 0; i < h.size(); ++i) x[std::size_t(at * kRate) + i] += float(h[i]);
}

}  // namespace

TEST(NoiseOnsets, ParamsValidate) {
  NoiseOnsetParams p = params();
  EXPECT_EQ(p.validate(), nullptr);
  p.frame_size = 128;
  EXPECT_NE(p.validate(), nullptr);
  p = params();
  p.min_hz = 21000.0f;
  EXPECT_NE(p.validate(), nullptr);
  p = params();
  p.coverage = 1.5f;
  EXPECT_NE(p.validate(), nullptr);
  p = params();
  EXPECT_EQ(p.attack_frames(), 3);  // 35 ms at 44.1 kHz, hop 512
  EXPECT_EQ(p.ref_lag(), 2);
  EXPECT_EQ(p.ref_frames(), 10);
  EXPECT_EQ(p.peak_frames(), 4);
  EXPECT_EQ(p.first_full(), 3);
}

// White noise alone: each bin's power over its noise mean (the 30th percentile / -ln 0.7) averages 1 over
// the band, every bin counts (no tone), and no onset is found anywhere.
TEST(NoiseOnsets, WhiteNoiseReadsItsNoiseMeanAndHasNoOnset) {
  const auto x = white_noise(6.0, 0.05, 1);
  std::vector<float> values, coverage;
  EXPECT_TRUE(onsets_of(x, params(), &values, &coverage).empty());
  double mean = 0;
  for (std::size_t k = 4; k < values.size(); ++k) mean += values[k] / double(values.size() - 4);
  EXPECT_NEAR(mean, 1.0, 0.03);
  EXPECT_GE(*std::min_element(coverage.begin() + 14, coverage.end()), 0.9f);
}

// Hats 6 dB under white noise every 0.5 s: each found, within a hop of its start, and nothing else.
TEST(NoiseOnsets, BurstsUnderTheNoiseAreFound) {
  const double sd = 0.05;
  auto x = white_noise(6.0, sd, 2);
  std::mt19937 rng(3);
  std::vector<double> hats;
  for (double t = 0.5; t < 5.6; t += 0.5) {
    add_hat(x, t, sd, 6.0, rng);
    hats.push_back(t);
  }
  const auto found = onsets_of(x, params());
  ASSERT_EQ(found.size(), hats.size());
  for (std::size_t i = 0; i < hats.size(); ++i) EXPECT_NEAR(found[i], hats[i], 0.0116 + 0.005) << i;
}

// A rich held tone (100 Hz, harmonics up to 20 kHz) from 1 s to 3 s in a reverberant room (a 0.5 s tail of
// dense echoes) over faint noise: its partials and their reverberant spread fill most of the band, and as
// they swell and beat, bins pass in and out of the tonal test. Where fewer than half the band's bins are
// left, the band decides nothing (coverage): only the tone's start is an onset. With the rule off the
// partials' wobble reads as a string of attacks.
TEST(NoiseOnsets, WhereTonesFillTheBandNothingIsDecided) {
  std::mt19937 rng(1);
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::vector<double> dry(std::size_t(4 * kRate), 0.0), tail(std::size_t(0.5 * kRate));
  for (std::size_t i = 0; i < dry.size(); ++i) {
    const double t = double(i) / kRate;
    if (t < 1.0 || t >= 3.0) continue;
    for (int k = 1; k * 100.0 < 20000.0; ++k) dry[i] += std::sin(2 * M_PI * k * 100.0 * t) / k;
  }
  for (std::size_t i = 0; i < tail.size(); ++i) tail[i] = gauss(rng) * std::pow(10.0, -3.0 * double(i) / double(tail.size())) * 0.02;
  std::vector<float> x(dry.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    double v = dry[i];
    for (std::size_t j = 0; j < tail.size() && j <= i; j += 7) v += dry[i - j] * tail[j];  // an echo every 7 samples
    x[i] = float(0.3 * v + 1e-3 * gauss(rng));
  }
  NoiseOnsetParams p = params();
  const auto found = onsets_of(x, p);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NEAR(found[0], 1.0, 0.025);
  p.coverage = 0.0f;
  EXPECT_GT(onsets_of(x, p).size(), 3u);
}
