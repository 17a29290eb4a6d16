#pragma once
// Integer-factor decimation with a windowed-sinc low-pass (Blackman, cutoff 0.45 of the output rate),
// streaming: push any number of samples, get floor-ish count/factor outputs. Pitch (up to 2 kHz) and
// chroma (up to 2 kHz) run on the decimated stream, which makes their FFTs 2-6 times smaller.
// Allocation only at construction; push() never allocates.

#include <span>
#include <vector>

namespace etude::dsp {

class Decimator {
 public:
  // factor >= 1; taps per output = 16 * factor + 1 (factor 1 passes samples through).
  explicit Decimator(int factor);

  // Filters input and writes the decimated samples to out (capacity >= input.size() / factor + 1);
  // returns how many were written.
  std::size_t push(std::span<const float> input, std::span<float> out);
  int factor() const { return factor_; }
  // Delay of the filter in input samples.
  int delay_samples() const { return delay_for(factor_); }
  static int delay_for(int factor) { return factor == 1 ? 0 : 8 * factor; }
  void reset();

 private:
  int factor_;
  std::vector<float> taps_;
  std::vector<float> state_;  // last taps-1 inputs, oldest first, then the new block (ring by copy)
  std::size_t filled_ = 0;
  int phase_ = 0;  // input samples until the next output
};

// The factor that brings sample_rate down to about 16-24 kHz (1 below 32 kHz).
int pitch_decimation_factor(float sample_rate);

}  // namespace etude::dsp
