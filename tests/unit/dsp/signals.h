#pragma once
// Test signals with known answers, shared by the DSP unit tests.

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace etude::test {

inline std::vector<float> sine(double hz, double rate, std::size_t n, double amp = 0.5, double phase = 0) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = float(amp * std::sin(2.0 * M_PI * hz * double(i) / rate + phase));
  return x;
}

// Harmonic tone with 1/k amplitudes (a rough bowed/sung timbre).
inline std::vector<float> harmonic(double hz, double rate, std::size_t n, double amp = 0.3, int partials = 8) {
  std::vector<float> x(n, 0.0f);
  for (int k = 1; k <= partials && k * hz < rate / 2; ++k) {
    for (std::size_t i = 0; i < n; ++i) x[i] += float(amp / k * std::sin(2.0 * M_PI * k * hz * double(i) / rate));
  }
  return x;
}

// Exponential chirp from f0 to f1 over n samples.
inline std::vector<float> chirp(double f0, double f1, double rate, std::size_t n, double amp = 0.5) {
  std::vector<float> x(n);
  const double duration = double(n) / rate, k = std::log(f1 / f0) / duration;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = double(i) / rate;
    x[i] = float(amp * std::sin(2.0 * M_PI * f0 * (std::exp(k * t) - 1.0) / k));
  }
  return x;
}

// Sine with sinusoidal vibrato of depth_cents at rate_hz.
inline std::vector<float> vibrato(double hz, double depth_cents, double rate_hz, double rate, std::size_t n, double amp = 0.5) {
  std::vector<float> x(n);
  double phase = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f = hz * std::exp2(depth_cents / 1200.0 * std::sin(2.0 * M_PI * rate_hz * double(i) / rate));
    phase += 2.0 * M_PI * f / rate;
    x[i] = float(amp * std::sin(phase));
  }
  return x;
}

inline std::vector<float> noise(std::size_t n, double sd, unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, float(sd));
  std::vector<float> x(n);
  for (float& v : x) v = g(rng);
  return x;
}

// A closed-hat-like burst, 0.1 s: white noise high-passed at 5 kHz (a one-pole difference, twice), decaying in
// 15 ms, scaled so that its power over the first 46 ms lies `under_db` under that of noise of standard
// deviation `sd`. Add it into a signal at the hat's time.
inline std::vector<double> hat_burst(double rate, double sd, double under_db, std::mt19937& rng) {
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::vector<double> h(std::size_t(0.1 * rate));
  const double a = std::exp(-2 * M_PI * 5000.0 / rate);
  double prev = 0, high1 = 0, prev1 = 0, high2 = 0, power = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const double w = gauss(rng);
    high1 = a * (high1 + w - prev);
    prev = w;
    high2 = a * (high2 + high1 - prev1);
    prev1 = high1;
    h[i] = high2 * std::exp(-double(i) / (0.015 * rate));
  }
  const std::size_t burst = std::size_t(0.046 * rate);
  for (std::size_t i = 0; i < burst; ++i) power += h[i] * h[i] / double(burst);
  const double gain = sd * std::pow(10.0, -under_db / 20.0) / std::sqrt(power);
  for (double& v : h) v *= gain;
  return h;
}

// Plucked notes: harmonic tones with a sharp attack and exponential decay starting at onset times.
inline std::vector<float> plucks(const std::vector<double>& onsets_s, const std::vector<double>& hz, double rate, std::size_t n) {
  std::vector<float> x(n, 0.0f);
  for (std::size_t j = 0; j < onsets_s.size(); ++j) {
    const std::size_t start = std::size_t(onsets_s[j] * rate);
    for (std::size_t i = start; i < n; ++i) {
      const double t = double(i - start) / rate;
      const double env = std::exp(-t * 6.0);
      if (env < 1e-4) break;
      double v = 0;
      for (int k = 1; k <= 6; ++k) v += std::sin(2.0 * M_PI * k * hz[j] * t) / k;
      x[i] += float(0.3 * env * v);
    }
  }
  return x;
}

// Short decaying noise bursts (clicks) at known times.
inline std::vector<float> clicks(const std::vector<double>& times_s, double rate, std::size_t n, double amp = 0.8) {
  std::vector<float> x(n, 0.0f);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (double t : times_s) {
    const std::size_t start = std::size_t(t * rate);
    for (std::size_t i = 0; i < std::size_t(0.01 * rate) && start + i < n; ++i)
      x[start + i] += float(amp * std::exp(-double(i) / (0.002 * rate))) * u(rng);
  }
  return x;
}

inline void add(std::vector<float>& x, const std::vector<float>& y) {
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) x[i] += y[i];
}

inline double cents(double a, double b) { return 1200.0 * std::log2(a / b); }

}  // namespace etude::test
