#include "dsp/loudness.h"

#include <algorithm>
#include <cmath>

namespace etude::dsp {

const char* LoudnessParams::validate() const {
  if (!(sample_rate >= 16000.0f && sample_rate <= 96000.0f)) return "sample_rate must be 16000..96000 Hz";
  return nullptr;
}

LoudnessMeter::LoudnessMeter(const LoudnessParams& p) : block_(int(std::lround(p.sample_rate * 0.1))) {
  const double fs = p.sample_rate;
  {  // Stage 1: high shelf modelling the head (BS.1770 analogue prototype, as in libebur128).
    const double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
    const double k = std::tan(M_PI * f0 / fs);
    const double vh = std::pow(10.0, gain_db / 20.0);
    const double vb = std::pow(vh, 0.4996667741545416);
    const double a0 = 1.0 + k / q + k * k;
    shelf_ = {(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
              2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
  }
  {  // Stage 2: RLB high-pass.
    const double f0 = 38.13547087602444, q = 0.5003270373238773;
    const double k = std::tan(M_PI * f0 / fs);
    const double a0 = 1.0 + k / q + k * k;
    highpass_ = {1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
  }
}

void LoudnessMeter::reset() {
  shelf_.reset();
  highpass_.reset();
  blocks_.fill(0);
  filled_ = next_ = partial_count_ = 0;
  partial_ = 0;
}

void LoudnessMeter::process(std::span<const float> block) {
  for (float x : block) {
    const double y = highpass_.run(shelf_.run(std::isfinite(x) ? x : 0.0f));
    partial_ += y * y;
    if (++partial_count_ == block_) {
      blocks_[std::size_t(next_)] = partial_ / block_;
      next_ = (next_ + 1) % int(blocks_.size());
      filled_ = std::min(filled_ + 1, int(blocks_.size()));
      partial_ = 0;
      partial_count_ = 0;
    }
  }
}

float LoudnessMeter::lufs_over(int blocks) const {
  const int n = std::min(blocks, filled_);
  if (n == 0) return kSilenceLufs;
  double sum = 0;
  for (int i = 1; i <= n; ++i) sum += blocks_[std::size_t((next_ - i + int(blocks_.size())) % int(blocks_.size()))];
  const double mean_square = sum / n;
  if (mean_square <= 1e-12) return kSilenceLufs;
  return float(std::max(double(kSilenceLufs), -0.691 + 10.0 * std::log10(mean_square)));
}

float LoudnessMeter::momentary_lufs() const { return lufs_over(4); }
float LoudnessMeter::short_term_lufs() const { return lufs_over(30); }

}  // namespace etude::dsp
