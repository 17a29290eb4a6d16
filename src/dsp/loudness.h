#pragma once
// ITU-R BS.1770-4 loudness of one channel: K-weighting (high shelf + RLB high-pass, coefficients
// derived for any sample rate), mean square over 100 ms blocks, momentary (400 ms) and short-term
// (3 s) loudness in LUFS. A full-scale 997 Hz sine reads -3.01 LUFS. Mono is measured as one channel
// (no dual-mono +3 dB). Allocation only at construction; process() never allocates.

#include <array>
#include <span>
#include <vector>

namespace etude::dsp {

struct LoudnessParams {
  float sample_rate = 48000.0f;  // Hz, valid 16000..96000
  const char* validate() const;
};

inline constexpr float kSilenceLufs = -120.0f;

class LoudnessMeter {
 public:
  explicit LoudnessMeter(const LoudnessParams& params);  // params must validate()

  void process(std::span<const float> block);
  float momentary_lufs() const;   // last 400 ms
  float short_term_lufs() const;  // last 3 s
  // Samples from the start of the short-term window to its centre (the measure lags the signal).
  int latency_samples() const { return 15 * block_; }
  void reset();

 private:
  // Direct form I: the only operations that wait on the previous output are one multiply and one
  // subtraction (the transposed form chained four), so a sample costs half the time.
  struct Biquad {
    double b0, b1, b2, a1, a2;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    double run(double x) {
      const double y = (b0 * x + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      return y;
    }
    void reset() { x1 = x2 = y1 = y2 = 0; }
  };
  float lufs_over(int blocks) const;

  Biquad shelf_, highpass_;
  int block_;                        // samples per 100 ms block
  std::array<double, 30> blocks_{};  // mean square of the last 30 complete blocks, ring
  int filled_ = 0;
  int next_ = 0;
  double partial_ = 0;
  int partial_count_ = 0;
};

}  // namespace etude::dsp
