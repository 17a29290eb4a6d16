#include "dsp/level_meter.h"

#include <cmath>

#include "dsp/feature_frame.h"

namespace etude::dsp {

Level measure_level(std::span<const float> block) {
  if (block.empty()) return {};
  double sum = 0;
  for (float x : block) {
    if (std::isfinite(x)) sum += double(x) * double(x);
  }
  Level level;
  level.rms = float(std::sqrt(sum / double(block.size())));
  level.dbfs = level.rms > 1e-6f ? 20.0f * std::log10(level.rms) : kSilenceDbfs;
  return level;
}

}  // namespace etude::dsp
