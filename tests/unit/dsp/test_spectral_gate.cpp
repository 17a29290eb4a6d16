#include "dsp/spectral_gate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "signals.h"

using etude::dsp::NoiseProfile;
using etude::dsp::SpectralGate;
using etude::dsp::SpectralGateParams;

namespace {

constexpr float kRate = 44100.0f;

// The whole signal through NoiseProfile then SpectralGate, the output aligned with the input.
std::vector<float> gated(const std::vector<float>& x, const SpectralGateParams& p) {
  NoiseProfile profile(p);
  profile.push(x);
  SpectralGate gate(p, profile.floor_power());
  std::vector<float> out;
  gate.process(x, out);
  gate.process(std::vector<float>(std::size_t(gate.latency() + gate.hop()), 0.0f), out);
  EXPECT_GE(out.size(), x.size() + std::size_t(gate.latency()));
  return {out.begin() + gate.latency(), out.begin() + gate.latency() + long(x.size())};
}

double energy(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double e = 0;
  for (std::size_t i = from; i < to; ++i) e += double(x[i]) * double(x[i]);
  return e;
}

// Amplitude of the hz component (least squares on sine and cosine) over [from, to).
double amplitude_at(const std::vector<float>& x, double hz, std::size_t from, std::size_t to) {
  double s = 0, c = 0;
  for (std::size_t i = from; i < to; ++i) {
    const double ph = 2.0 * M_PI * hz * double(i) / kRate;
    s += x[i] * std::sin(ph);
    c += x[i] * std::cos(ph);
  }
  return 2.0 * std::hypot(s, c) / double(to - from);
}

double db(double ratio) { return 10.0 * std::log10(ratio); }

}  // namespace

TEST(SpectralGate, WithNoGatingTheSignalComesBackUnchanged) {
  SpectralGateParams p;
  p.sample_rate = kRate;
  p.over = 0.0f;  // every gain is 1
  auto x = etude::test::harmonic(220.0, kRate, 44100);
  etude::test::add(x, etude::test::noise(x.size(), 0.05));
  const auto y = gated(x, p);
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(y[i], x[i], 2e-5) << i;
}

TEST(SpectralGate, TurnsSteadyNoiseDownAndKeepsAToneInIt) {
  SpectralGateParams p;
  p.sample_rate = kRate;
  const std::size_t n = 3 * 44100;
  const auto tone = etude::test::sine(1000.0, kRate, n, 0.1);
  const auto noise = etude::test::noise(n, 0.1);  // the tone is 3 dB under the noise
  auto x = tone;
  etude::test::add(x, noise);
  const auto y = gated(x, p);
  const std::size_t from = 4096, to = n - 4096;
  const double kept = amplitude_at(y, 1000.0, from, to);
  EXPECT_NEAR(db(kept * kept / (0.1 * 0.1)), 0.0, 1.0) << "the tone keeps its level";
  // What is left besides the tone: the noise, turned down by the gain floor (-20 dB) where no tone is.
  std::vector<float> rest(y);
  for (std::size_t i = 0; i < n; ++i) rest[i] -= tone[i] * float(kept / 0.1);
  const double reduction = db(energy(rest, from, to) / energy(noise, from, to));
  EXPECT_LT(reduction, -15.0);
  EXPECT_GT(reduction, -21.0) << "the floor leaves broadband noise, not silence";
}

TEST(SpectralGate, ANoteHeldThroughTheWholeFileIsNotTakenForNoise) {
  // With no noise at all, a tone that sounds in every frame is its bins' own percentile. The floor is kept
  // smooth across frequency (the median of the neighbouring bins), so the tone's narrow peaks stay above it.
  SpectralGateParams p;
  p.sample_rate = kRate;
  const auto x = etude::test::harmonic(220.0, kRate, 2 * 44100);
  const std::size_t from = 4096, to = x.size() - 4096;
  const auto y = gated(x, p);
  EXPECT_NEAR(db(energy(y, from, to) / energy(x, from, to)), 0.0, 0.5);
  // Without that rule the tone would be taken for noise and turned down by the floor.
  p.smooth_bins = 0;
  const auto without = gated(x, p);
  EXPECT_LT(db(energy(without, from, to) / energy(x, from, to)), -15.0);
}

TEST(NoiseProfile, WhiteNoiseFloorIsThePercentileOfItsPower) {
  SpectralGateParams p;
  p.sample_rate = kRate;
  p.smooth_bins = 0;
  const double sd = 0.1;
  const auto x = etude::test::noise(10 * 44100, sd);
  NoiseProfile profile(p);
  profile.push(x);
  const auto floor = profile.floor_power();
  ASSERT_EQ(int(floor.size()), p.frame_size() / 2 + 1);
  // Each bin's power is exponential with mean sd^2 * sum(w^2) = sd^2 * 3n/8 (Hann): its 30th percentile is
  // -ln(0.7) = 0.357 of the mean.
  const double expected = 0.3567 * sd * sd * 3.0 * p.frame_size() / 8.0;
  std::vector<float> inner(floor.begin() + 4, floor.end() - 4);
  std::nth_element(inner.begin(), inner.begin() + long(inner.size() / 2), inner.end());
  EXPECT_NEAR(inner[inner.size() / 2] / expected, 1.0, 0.1);
}

TEST(NoiseProfile, ALongFileKeepsAtMostMaxFramesEvenlySpread) {
  // 60 s: 1,000 Hz for the first 30 s, 2,000 Hz for the last 30 (5,168 frames of 512 samples in all), fed in
  // 0.1 s blocks; at most 100 frames kept. Evenly spread, each tone is in about half of them: at the 40th
  // percentile both tones' bins read (near) silence, at the 60th both read their tone.
  auto profile_at = [](float percentile, int& kept) {
    SpectralGateParams p;
    p.sample_rate = kRate;
    p.smooth_bins = 0;
    p.percentile = percentile;
    NoiseProfile profile(p, 100);
    for (double hz : {1000.0, 2000.0}) {
      const auto x = etude::test::sine(hz, kRate, 30 * 44100, 0.1);
      for (std::size_t i = 0; i < x.size(); i += 4410) profile.push(std::span<const float>(x).subspan(i, 4410));
    }
    kept = profile.kept_frames();
    return profile.floor_power();
  };
  int kept = 0;
  const auto low = profile_at(0.4f, kept);
  EXPECT_GE(kept, 50);
  EXPECT_LE(kept, 100);
  const auto high = profile_at(0.6f, kept);
  const int n = SpectralGateParams{}.frame_size();
  // A 0.1 amplitude sine's peak bin under a Hann window: (0.1 * n / 4)^2.
  const float tone = 0.1f * float(n) / 4.0f * 0.1f * float(n) / 4.0f;
  for (double hz : {1000.0, 2000.0}) {
    const std::size_t bin = std::size_t(std::lround(hz * n / kRate));
    EXPECT_LT(low[bin], 1e-3f * tone) << hz;
    EXPECT_GT(high[bin], 0.1f * tone) << hz;
  }
}

TEST(SpectralGate, NonFiniteSamplesAreSilence) {
  SpectralGateParams p;
  p.sample_rate = kRate;
  auto x = etude::test::harmonic(220.0, kRate, 44100);
  etude::test::add(x, etude::test::noise(x.size(), 0.05));
  auto broken = x;
  for (std::size_t i = 20000; i < 20100; ++i) broken[i] = std::nanf("");
  broken[30000] = INFINITY;
  const auto y = gated(broken, p);
  for (std::size_t i = 0; i < y.size(); ++i) ASSERT_TRUE(std::isfinite(y[i])) << i;
  // Far from the broken samples the output is the same as for the whole signal.
  const auto clean = gated(x, p);
  for (std::size_t i = 0; i < 10000; ++i) ASSERT_NEAR(y[i], clean[i], 0.02f) << i;
}

TEST(SpectralGateParams, Validates) {
  SpectralGateParams p;
  EXPECT_EQ(p.validate(), nullptr);
  p.floor = 2.0f;
  EXPECT_NE(p.validate(), nullptr);
  p = {};
  p.sample_rate = 8000.0f;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(NoiseProfile, NoiseToSignalSeparatesNoiseFromAHeldTone) {
  SpectralGateParams p;
  p.sample_rate = kRate;
  auto ratio_db = [&](const std::vector<float>& x) {
    NoiseProfile profile(p);
    profile.push(x);
    return db(profile.noise_to_signal(profile.floor_power()));
  };
  // White noise alone: its floor is its power's 30th percentile, -ln(0.7) = 0.357 of the mean (-4.5 dB).
  EXPECT_NEAR(ratio_db(etude::test::noise(5 * 44100, 0.1)), -4.5, 0.5);
  // A tone held through the file, no noise: its peak is not a floor (the cap across frequency).
  EXPECT_LT(ratio_db(etude::test::sine(440.0, kRate, 5 * 44100, 0.3)), -40.0);
  // The tone in white noise 20 dB under it (signal power 0.045, noise 0.00045): about -4.5 - 20 dB.
  auto x = etude::test::sine(440.0, kRate, 5 * 44100, 0.3);
  etude::test::add(x, etude::test::noise(x.size(), 0.0212));
  EXPECT_NEAR(ratio_db(x), -24.5, 1.5);
}
