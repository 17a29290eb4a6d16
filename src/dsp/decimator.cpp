#include "dsp/decimator.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace etude::dsp {

namespace {
typedef float Lanes __attribute__((vector_size(16)));  // GCC/Clang vector extension: four floats
}  // namespace

int pitch_decimation_factor(float sample_rate) { return std::max(1, int(sample_rate / 16000.0f)); }

Decimator::Decimator(int factor) : factor_(factor) {
  const int n = 2 * delay_for(factor) + 1;  // 16 * factor + 1 taps
  taps_.resize(std::size_t(n));
  const double cutoff = 0.45 / factor;  // of the input rate; 0.9 of the output Nyquist
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double m = i - (n - 1) / 2.0;
    const double sinc = m == 0 ? 2.0 * cutoff : std::sin(2.0 * M_PI * cutoff * m) / (M_PI * m);
    const double blackman = n == 1 ? 1.0 : 0.42 - 0.5 * std::cos(2.0 * M_PI * i / (n - 1)) + 0.08 * std::cos(4.0 * M_PI * i / (n - 1));
    taps_[std::size_t(i)] = float(sinc * blackman);
    sum += taps_[std::size_t(i)];
  }
  for (float& t : taps_) t = float(t / sum);
  state_.assign(taps_.size() * 2 + 8192, 0.0f);
  filled_ = taps_.size() - 1;
}

void Decimator::reset() {
  std::fill(state_.begin(), state_.end(), 0.0f);
  filled_ = taps_.size() - 1;
  phase_ = 0;
}

std::size_t Decimator::push(std::span<const float> input, std::span<float> out) {
  std::size_t written = 0;
  const std::size_t history = taps_.size() - 1;
  while (!input.empty()) {
    // Append as much as fits after the history, filter, then keep the last taps-1 samples.
    const std::size_t room = state_.size() - filled_;
    const std::size_t take = std::min(room, input.size());
    std::copy(input.begin(), input.begin() + long(take), state_.begin() + long(filled_));
    const std::size_t end = filled_ + take;
    // Output k uses state_[s - history .. s], where s is the index of its newest input sample.
    std::size_t s = filled_ + std::size_t(phase_);
    // Four partial sums per output (lane l takes taps l, l+4, ..), written as one 4-float vector so that
    // the compiler keeps them in one register; the same operations in the same order as four scalar sums.
    // Two outputs per pass: their additions are independent, so each waits less on its own previous one.
    const std::size_t n = taps_.size();
    const std::size_t step = std::size_t(factor_);
    const float* taps = taps_.data();
    for (; s + step < end; s += 2 * step) {
      const float* x = state_.data() + (s - history);
      const float* y = x + step;
      Lanes acc_x = {0, 0, 0, 0}, acc_y = {0, 0, 0, 0};
      std::size_t j = 0;
      for (; j + 4 <= n; j += 4) {
        Lanes t, v, w;
        std::memcpy(&t, taps + j, sizeof t);
        std::memcpy(&v, x + j, sizeof v);
        std::memcpy(&w, y + j, sizeof w);
        acc_x += t * v;
        acc_y += t * w;
      }
      for (; j < n; ++j) {
        acc_x[0] += taps[j] * x[j];
        acc_y[0] += taps[j] * y[j];
      }
      out[written++] = (acc_x[0] + acc_x[1]) + (acc_x[2] + acc_x[3]);
      out[written++] = (acc_y[0] + acc_y[1]) + (acc_y[2] + acc_y[3]);
    }
    for (; s < end; s += step) {
      const float* x = state_.data() + (s - history);
      Lanes acc = {0, 0, 0, 0};
      std::size_t j = 0;
      for (; j + 4 <= n; j += 4) {
        Lanes t, v;
        std::memcpy(&t, taps + j, sizeof t);
        std::memcpy(&v, x + j, sizeof v);
        acc += t * v;
      }
      for (; j < n; ++j) acc[0] += taps[j] * x[j];
      out[written++] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    }
    phase_ = int(s - end);
    std::copy(state_.begin() + long(end - history), state_.begin() + long(end), state_.begin());
    filled_ = history;
    input = input.subspan(take);
  }
  return written;
}

}  // namespace etude::dsp
