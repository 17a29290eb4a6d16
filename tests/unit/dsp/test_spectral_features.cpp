#include "dsp/spectral_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "dsp/stft.h"
#include "signals.h"

using namespace etude::dsp;

namespace {
SpectralFrame analyse(const std::vector<float>& x, float rate = 48000.0f) {
  SpectralParams p;
  p.sample_rate = rate;
  Stft stft(rate, p.frame_size);
  SpectralFeatures features(p);
  return features.process(stft.compute(x), std::span<const float>(x).last(512));
}
}  // namespace

TEST(SpectralFeatures, ParamsValidate) {
  EXPECT_EQ(SpectralParams{}.validate(), nullptr);
  SpectralParams p;
  p.mel_bands = 2;
  EXPECT_NE(p.validate(), nullptr);
}

TEST(SpectralFeatures, SineIsTonalWithCentroidAtItsFrequency) {
  const SpectralFrame f = analyse(etude::test::sine(1000.0, 48000.0, 4096));
  EXPECT_NEAR(f.centroid_hz, 1000.0f, 15.0f);
  EXPECT_LT(f.spread_hz, 60.0f);
  EXPECT_LT(f.flatness, 0.01f);
  EXPECT_NEAR(f.rolloff_hz, 1000.0f, 30.0f);
  EXPECT_NEAR(f.zcr, 2.0f * 1000.0f / 48000.0f, 0.005f);
}

TEST(SpectralFeatures, WhiteNoiseIsFlatAndBright) {
  const SpectralFrame f = analyse(etude::test::noise(4096, 0.3));
  EXPECT_GT(f.flatness, 0.4f);
  EXPECT_NEAR(f.centroid_hz, 12000.0f, 1500.0f);
  EXPECT_NEAR(f.rolloff_hz, 0.85f * 24000.0f, 1500.0f);
  EXPECT_GT(f.zcr, 0.4f);
}

TEST(SpectralFeatures, MfccTrackBrightnessAndSilenceIsFinite) {
  const SpectralFrame dull = analyse(etude::test::sine(200.0, 48000.0, 4096));
  const SpectralFrame bright = analyse(etude::test::sine(4000.0, 48000.0, 4096));
  // MFCC 1 is the spectral tilt: more energy low -> larger.
  EXPECT_GT(dull.mfcc[1], bright.mfcc[1]);
  const SpectralFrame silent = analyse(std::vector<float>(4096, 0.0f));
  EXPECT_EQ(silent.centroid_hz, 0.0f);
  EXPECT_FLOAT_EQ(silent.mfcc[0], -10.0f * std::sqrt(40.0f));  // log10 floor 1e-10 in every band
  // DC: all energy in bin 0.
  EXPECT_LT(analyse(std::vector<float>(4096, 0.5f)).centroid_hz, 20.0f);
}

namespace {
// The mel bank as spectral_features.h documents it, computed here from the formulas: HTK mel scale
// (2595 log10(1 + f/700)), mel_bands + 2 edges evenly spaced in mel from mel_min_hz to min(mel_max_hz,
// Nyquist), triangle m rising from edge m to edge m+1 and falling to edge m+2, scaled by 2 / (its width in
// Hz) (Slaney area normalisation).
struct MelBand {
  double lo, mid, hi;
  double weight(double hz) const { return std::max(0.0, std::min((hz - lo) / (mid - lo), (hi - hz) / (hi - mid))) * 2.0 / (hi - lo); }
};
std::vector<MelBand> mel_bands(const SpectralParams& p) {
  const double lo = 2595.0 * std::log10(1.0 + p.mel_min_hz / 700.0);
  const double hi = 2595.0 * std::log10(1.0 + std::min(double(p.mel_max_hz), p.sample_rate / 2.0) / 700.0);
  std::vector<double> edge;
  for (int i = 0; i < p.mel_bands + 2; ++i) edge.push_back(700.0 * (std::pow(10.0, (lo + (hi - lo) * i / (p.mel_bands + 1)) / 2595.0) - 1.0));
  std::vector<MelBand> bands;
  for (int m = 0; m < p.mel_bands; ++m) bands.push_back({edge[std::size_t(m)], edge[std::size_t(m) + 1], edge[std::size_t(m) + 2]});
  return bands;
}
}  // namespace

// A sine with a whole number of cycles in the frame (at bin k) has, through the periodic Hann window,
// magnitude amp at bin k, amp/2 at k-1 and k+1 and nothing elsewhere; its mel power is then exactly the
// triangles' weights at those three bins times those powers, and every band whose triangle misses them is 0.
TEST(SpectralFeatures, MelPowerOfASineIsInTheBandsWhoseTrianglesCoverIt) {
  SpectralParams p;  // 48 kHz, 2048-point frames, 40 bands to 8 kHz
  const std::vector<MelBand> bands = mel_bands(p);
  const double bin_hz = p.sample_rate / p.frame_size;
  const double amp = 0.5;
  for (int k : {5, 20, 43, 150, 300}) {
    const double hz = k * bin_hz;  // 117, 469, 1008, 3516, 7031 Hz
    Stft stft(p.sample_rate, p.frame_size);
    SpectralFeatures features(p);
    const auto x = etude::test::sine(hz, p.sample_rate, std::size_t(p.frame_size), amp, 0.4);
    features.process(stft.compute(x), x);
    const auto mel = features.mel_power();
    ASSERT_EQ(mel.size(), bands.size());
    double total = 0, covering = 0;
    for (std::size_t m = 0; m < bands.size(); ++m) {
      const double expected = bands[m].weight(hz) * amp * amp +
                              (bands[m].weight(hz - bin_hz) + bands[m].weight(hz + bin_hz)) * amp * amp / 4.0;
      EXPECT_NEAR(mel[m], expected, 1e-4 * amp * amp * 2.0 / (bands[m].hi - bands[m].lo) + 1e-9) << hz << " Hz, band " << m;
      total += mel[m];
      if (bands[m].lo < hz && hz < bands[m].hi) covering += mel[m];
    }
    // The sine's own frequency lies inside two triangles (a band's falling side, the next one's rising side):
    // those two hold nearly all of it, the rest is the window's neighbouring bins reaching a third band.
    int count = 0;
    for (const MelBand& b : bands) count += b.lo < hz && hz < b.hi;
    EXPECT_EQ(count, 2) << hz;
    EXPECT_GT(covering / total, 0.9) << hz << " Hz";
  }
  // Silence: every band's power is 0 (the 1e-10 floor is applied only before the log, for the MFCCs).
  SpectralFeatures features(p);
  const std::vector<float> zeros(std::size_t(p.frame_size / 2 + 1), 0.0f);
  features.process(zeros, zeros);
  for (float v : features.mel_power()) EXPECT_EQ(v, 0.0f);
}

// MFCC c = orthonormal DCT-II of log10 mel power: c_0 = sqrt(1/M) sum_m L_m, c_k = sqrt(2/M) sum_m L_m
// cos(pi k (m + 1/2) / M). When every band has the same power P, L_m = log10 P, so c_0 = sqrt(M) log10 P and
// c_1..c_12 are 0 (a cosine summed over whole half-periods). A flat magnitude spectrum c gives every band
// c^2 times its weights' sum, which Slaney normalisation makes about 1/bin_hz (the triangle's area 1 per Hz,
// sampled every bin_hz). Ten times the power adds 1 to every L_m: c_0 moves by exactly sqrt(M), nothing else.
TEST(SpectralFeatures, FlatMelPowerPutsTheLevelInMfccZeroOnly) {
  SpectralParams p;
  const double bin_hz = p.sample_rate / p.frame_size;
  const std::size_t bins = std::size_t(p.frame_size / 2 + 1);
  SpectralFeatures features(p);
  const std::vector<float> time(512, 0.0f);
  const double c = 0.01;
  const SpectralFrame quiet = features.process(std::vector<float>(bins, float(c)), time);
  // The narrowest bands (the lowest, about 90 Hz wide: four bins) sum their triangle within a few per cent
  // of its area, under 0.01 in log10 power: c_1..c_12 stay within 0.02 (measured 0.0013; a sine's are of
  // order 1..10), c_0 within sqrt(M) 0.01 (measured 0.001).
  EXPECT_NEAR(quiet.mfcc[0], std::sqrt(double(p.mel_bands)) * std::log10(c * c / bin_hz), 0.06);
  for (int k = 1; k < kMfccCount; ++k) EXPECT_NEAR(quiet.mfcc[std::size_t(k)], 0.0f, 0.02f) << "c" << k;
  const SpectralFrame loud = features.process(std::vector<float>(bins, float(c * std::sqrt(10.0))), time);
  // fast_log10 is within 1e-5 of log10: c_0's shift within sqrt(M) * 2e-5.
  EXPECT_NEAR(loud.mfcc[0] - quiet.mfcc[0], std::sqrt(double(p.mel_bands)), 1e-3);
  for (int k = 1; k < kMfccCount; ++k) EXPECT_NEAR(loud.mfcc[std::size_t(k)], quiet.mfcc[std::size_t(k)], 1e-3f) << "c" << k;
  // 6.02 dB (twice the magnitude): every L_m + log10 4, c_0 + sqrt(M) log10 4.
  const SpectralFrame doubled = features.process(std::vector<float>(bins, float(2.0 * c)), time);
  EXPECT_NEAR(doubled.mfcc[0] - quiet.mfcc[0], std::sqrt(double(p.mel_bands)) * std::log10(4.0), 1e-3);
}

// Flatness = geometric / arithmetic mean of the power spectrum (power + 1e-20 per bin).
TEST(SpectralFeatures, FlatnessOfAFlatSpectrumIsOneAndOfOneBinAboutZero) {
  SpectralParams p;
  const std::size_t bins = std::size_t(p.frame_size / 2 + 1);
  SpectralFeatures features(p);
  const std::vector<float> time(512, 0.0f);
  for (float level : {1e-4f, 0.05f, 1.0f}) {
    // Every bin equal: the two means are equal. fast_ln is within 2e-5 of ln, so exp(mean ln) within 2e-5.
    EXPECT_NEAR(features.process(std::vector<float>(bins, level), time).flatness, 1.0f, 1e-4f) << level;
  }
  std::vector<float> one(bins, 0.0f);
  one[100] = 1.0f;
  // Geometric mean (1e-20)^((n-1)/n), arithmetic mean 1/n: flatness n 10^(-20 (n-1)/n), about 1e-17.
  const double n = double(bins);
  const double expected = n * std::pow(10.0, -20.0 * (n - 1.0) / n);
  const float flatness = features.process(one, time).flatness;
  EXPECT_LT(flatness, 1e-15f);
  EXPECT_NEAR(std::log10(flatness), std::log10(expected), 0.01);
}

// Centroid and spread are weighted by magnitude. Two sines of equal amplitude with whole numbers of cycles
// in the frame, at bins k1 and k2 (the Hann window gives each amplitude a at its bin and a/2 at the bins
// either side, nothing elsewhere): the centroid is at (k1 + k2)/2, and each lobe's moment about it is
// a d^2 + (a/2)((d-1)^2 + (d+1)^2) = 2a d^2 + a over its magnitude 2a, d = (k2 - k1)/2, so the spread is
// sqrt(d^2 + 1/2) bins: |f2 - f1|/2 widened by the window's main lobe (0.05 Hz at d = 500 Hz here).
TEST(SpectralFeatures, SpreadOfTwoSinesIsHalfTheirDistance) {
  SpectralParams p;
  const double bin_hz = p.sample_rate / p.frame_size;
  for (auto [k1, k2] : {std::pair{20, 64}, std::pair{43, 85}, std::pair{100, 400}}) {
    const double f1 = k1 * bin_hz, f2 = k2 * bin_hz;
    auto x = etude::test::sine(f1, p.sample_rate, std::size_t(p.frame_size), 0.25, 0.3);
    etude::test::add(x, etude::test::sine(f2, p.sample_rate, x.size(), 0.25, 1.1));
    Stft stft(p.sample_rate, p.frame_size);
    SpectralFeatures features(p);
    const SpectralFrame f = features.process(stft.compute(x), x);
    const double d = (k2 - k1) / 2.0;
    EXPECT_NEAR(f.centroid_hz, (f1 + f2) / 2.0, 0.01 * bin_hz) << f1 << " + " << f2;
    EXPECT_NEAR(f.spread_hz, std::sqrt(d * d + 0.5) * bin_hz, 0.01 * bin_hz) << f1 << " + " << f2;
    EXPECT_NEAR(f.spread_hz, (f2 - f1) / 2.0, 0.5 / d * bin_hz + 0.01 * bin_hz) << f1 << " + " << f2;
  }
  // Off the bins (1000 and 2000 Hz), the window's sidelobes (-31 dB and falling) reach far from the peaks:
  // the spread stays within 2% of the 500 Hz the two peaks alone give.
  auto x = etude::test::sine(1000.0, p.sample_rate, 4096, 0.25);
  etude::test::add(x, etude::test::sine(2000.0, p.sample_rate, x.size(), 0.25, 0.5));
  const SpectralFrame f = analyse(x);
  EXPECT_NEAR(f.centroid_hz, 1500.0f, 15.0f);
  EXPECT_NEAR(f.spread_hz, 500.0f, 10.0f);
  std::printf("off-bin: centroid %.3f Hz, spread %.3f Hz\n", f.centroid_hz, f.spread_hz);
}
