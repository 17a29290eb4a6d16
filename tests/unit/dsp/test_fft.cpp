#include "dsp/fft.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

#include "signals.h"

using namespace etude::dsp;

TEST(RealFft, ValidSizesHaveOnlyFactorsTwoThreeFive) {
  EXPECT_TRUE(RealFft::is_valid_size(2048));
  EXPECT_TRUE(RealFft::is_valid_size(2000));
  EXPECT_FALSE(RealFft::is_valid_size(2002));  // 7 * 11 * 13
  EXPECT_FALSE(RealFft::is_valid_size(1025));  // odd
  EXPECT_EQ(RealFft::valid_size_at_least(1987), 2000);
  EXPECT_EQ(RealFft::valid_size_at_least(2048), 2048);
}

TEST(RealFft, SineLandsInItsBinAndRoundTrips) {
  for (int n : {256, 1000, 2048}) {
    RealFft fft(n);
    const auto x = etude::test::sine(10.0, double(n), std::size_t(n), 1.0);  // exactly 10 cycles
    std::vector<std::complex<float>> spectrum(std::size_t(fft.bins()));
    fft.forward(x, spectrum);
    for (int k = 0; k < fft.bins(); ++k) {
      const float expected = k == 10 ? float(n) / 2.0f : 0.0f;
      ASSERT_NEAR(std::abs(spectrum[std::size_t(k)]), expected, 1e-3f * float(n)) << "n " << n << " bin " << k;
    }
    std::vector<float> back(std::size_t(n), 0.0f);
    fft.inverse(spectrum, back);
    for (int i = 0; i < n; ++i) ASSERT_NEAR(back[std::size_t(i)] / float(n), x[std::size_t(i)], 1e-5f);
  }
}

TEST(RealFft, PowerOfTwoAtLeast) {
  EXPECT_EQ(RealFft::power_of_two_at_least(3), 16);
  EXPECT_EQ(RealFft::power_of_two_at_least(664), 1024);
  EXPECT_EQ(RealFft::power_of_two_at_least(1024), 1024);
}

// Both paths (our power-of-two transform, KissFFT for 2-3-5 sizes) against a direct DFT in double on noise.
TEST(RealFft, MatchesADirectDftOnNoiseAndInvertsIt) {
  for (int n : {16, 32, 64, 256, 720, 1024, 2048, 4096, 8192}) {
    RealFft fft(n);
    const auto x = etude::test::noise(std::size_t(n), 0.3, unsigned(n));
    std::vector<std::complex<float>> spectrum(std::size_t(fft.bins()));
    fft.forward(x, spectrum);
    double worst = 0, scale = 0;
    for (int k = 0; k < fft.bins(); k += (n > 1024 ? 7 : 1)) {
      std::complex<double> acc = 0;
      for (int i = 0; i < n; ++i) acc += double(x[std::size_t(i)]) * std::polar(1.0, -2.0 * M_PI * double(k) * i / n);
      worst = std::max(worst, std::abs(acc - std::complex<double>(spectrum[std::size_t(k)])));
      scale = std::max(scale, std::abs(acc));
    }
    EXPECT_LT(worst, 2e-6 * scale * std::log2(double(n))) << "n " << n;
    std::vector<float> back(std::size_t(n), 0.0f);
    fft.inverse(spectrum, back);
    for (int i = 0; i < n; ++i) ASSERT_NEAR(back[std::size_t(i)] / float(n), x[std::size_t(i)], 2e-6f) << "n " << n << " sample " << i;
  }
}

// The power-of-two path restages KissFFT's algorithm: it must agree with KissFFT's own code bit for bit,
// forward and inverse (the chord model was trained on features computed through KissFFT).
TEST(RealFft, PowersOfTwoAreBitIdenticalToKissFft) {
  for (int n : {16, 32, 64, 128, 512, 1024, 2048, 4096, 8192}) {
    RealFft fast(n), kiss(n, FftEngine::kKissFft);
    auto x = etude::test::noise(std::size_t(n), 0.3, unsigned(n) + 1);
    x[3] = 0.0f;
    x[5] = 1e-30f;
    std::vector<std::complex<float>> a(std::size_t(fast.bins())), b(a.size());
    fast.forward(x, a);
    kiss.forward(x, b);
    for (std::size_t k = 0; k < a.size(); ++k) {
      ASSERT_EQ(a[k].real(), b[k].real()) << "n " << n << " bin " << k;
      ASSERT_EQ(a[k].imag(), b[k].imag()) << "n " << n << " bin " << k;
    }
    std::vector<float> ta(a.size() * 2 - 2), tb(ta.size());
    fast.inverse(a, ta);
    kiss.inverse(b, tb);
    for (std::size_t i = 0; i < ta.size(); ++i) ASSERT_EQ(ta[i], tb[i]) << "n " << n << " sample " << i;
  }
}

// windowed_magnitude() fuses the window into the transform's input and the magnitude into its last step:
// it must give exactly what windowing, forward() and sqrt(re^2 + im^2) give (KissFFT's own code included).
TEST(RealFft, WindowedMagnitudeIsBitIdenticalToForward) {
  for (int n : {16, 32, 64, 128, 512, 1024, 2048, 4096, 8192, 2000}) {
    for (FftEngine engine : {FftEngine::kFastest, FftEngine::kKissFft}) {
      RealFft fft(n, engine);
      const auto x = etude::test::noise(std::size_t(n), 0.3, unsigned(n) + 7);
      std::vector<float> window(std::size_t(n), 0.0f), windowed(std::size_t(n), 0.0f);
      for (int i = 0; i < n; ++i) {
        window[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * i / n));
        windowed[std::size_t(i)] = x[std::size_t(i)] * window[std::size_t(i)];
      }
      std::vector<std::complex<float>> spectrum(std::size_t(fft.bins()));
      fft.forward(windowed, spectrum);
      std::vector<float> magnitude(spectrum.size());
      fft.windowed_magnitude(x, window, magnitude);
      for (std::size_t k = 0; k < spectrum.size(); ++k) {
        const float re = spectrum[k].real(), im = spectrum[k].imag();
        ASSERT_EQ(magnitude[k], std::sqrt(re * re + im * im)) << "n " << n << " bin " << k;
      }
    }
  }
}

// correlate() keeps the spectra split between its transforms: it must give exactly what forward(),
// forward(), conj(A) * B on floats and inverse() give.
TEST(RealFft, CorrelateIsBitIdenticalToForwardProductInverse) {
  for (int n : {16, 32, 64, 128, 512, 1024, 2048, 4096, 8192, 2000}) {
    for (FftEngine engine : {FftEngine::kFastest, FftEngine::kKissFft}) {
      RealFft fft(n, engine);
      auto a = etude::test::noise(std::size_t(n), 0.3, unsigned(n) + 11);
      const auto b = etude::test::noise(std::size_t(n), 0.3, unsigned(n) + 12);
      std::fill(a.begin() + n / 3, a.end(), 0.0f);  // as YIN pads its integration window
      std::vector<std::complex<float>> sa(std::size_t(fft.bins())), sb(sa.size());
      fft.forward(a, sa);
      fft.forward(b, sb);
      for (std::size_t k = 0; k < sa.size(); ++k) {
        const float ar = sa[k].real(), ai = -sa[k].imag(), br = sb[k].real(), bi = sb[k].imag();
        sa[k] = {ar * br - ai * bi, ar * bi + ai * br};
      }
      std::vector<float> expected(std::size_t(n), 0.0f), r(std::size_t(n), 0.0f);
      fft.inverse(sa, expected);
      fft.correlate(a, b, r);
      for (int i = 0; i < n; ++i) ASSERT_EQ(r[std::size_t(i)], expected[std::size_t(i)]) << "n " << n << " lag " << i;
    }
  }
}
