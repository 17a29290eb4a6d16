#include "dsp/level_meter.h"

#include <cmath>

#include "dsp/feature_frame.h"

namespace etude::dsp {

Level measure_level(std::span<const float> block) {
  if (block.empty()) return {};
  // Four partial sums (each square is exact in double): one running sum would wait on every addition.
  double part[4] = {};
  const std::size_t n = block.size();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (std::size_t l = 0; l < 4; ++l) {
      const float x = block[i + l];
      part[l] += std::isfinite(x) ? double(x) * double(x) : 0.0;
    }
  }
  double sum = (part[0] + part[1]) + (part[2] + part[3]);
  for (; i < n; ++i) {
    if (std::isfinite(block[i])) sum += double(block[i]) * double(block[i]);
  }
  Level level;
  level.rms = float(std::sqrt(sum / double(block.size())));
  level.dbfs = level.rms > 1e-6f ? 20.0f * std::log10(level.rms) : kSilenceDbfs;
  return level;
}

}  // namespace etude::dsp
