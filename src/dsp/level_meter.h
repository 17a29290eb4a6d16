#pragma once
// RMS level of a block in linear and dBFS terms. Stateless; safe on the audio thread.

#include <span>

namespace etude::dsp {

struct Level {
  float rms = 0;
  float dbfs = -120.0f;
};

Level measure_level(std::span<const float> block);

}  // namespace etude::dsp
