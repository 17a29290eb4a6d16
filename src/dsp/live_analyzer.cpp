#include "dsp/live_analyzer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dsp/level_meter.h"

namespace etude::dsp {

const char* LiveAnalyzerParams::validate() const {
  if (!(hop >= 32 && hop <= 8192)) return "hop must be 32..8192 samples";
  if (!(max_block >= 1 && max_block <= 65536)) return "max_block must be 1..65536 samples";
  return yin().validate();
}

YinParams LiveAnalyzerParams::yin() const {
  YinParams p;
  p.sample_rate = sample_rate;
  p.min_hz = min_hz;
  p.max_hz = max_hz;
  // About 21 ms of integration at any rate: long enough for a 50 Hz period, short enough to follow notes.
  p.integration = std::clamp(int(std::lround(sample_rate * 0.0213f)), 64, 16384);
  return p;
}

LiveAnalyzer::LiveAnalyzer(const LiveAnalyzerParams& params)
    : params_(params),
      yin_(params.yin()),
      history_(std::size_t(yin_.window_size()), 0.0f),
      frames_(std::size_t(params.max_block / params.hop + 2)) {}

void LiveAnalyzer::reset() {
  std::fill(history_.begin(), history_.end(), 0.0f);
  ready_ = 0;
  since_frame_ = 0;
  total_samples_ = 0;
}

int LiveAnalyzer::latency_samples() const { return int(history_.size() / 2); }

std::size_t LiveAnalyzer::process(std::span<const float> block) {
  ready_ = 0;
  if (block.size() > std::size_t(params_.max_block)) block = block.first(std::size_t(params_.max_block));
  const std::size_t n = history_.size();
  while (!block.empty()) {
    // Take samples up to the next frame boundary, shifting them into the history.
    const std::size_t take = std::min<std::size_t>(block.size(), std::size_t(params_.hop - since_frame_));
    if (take >= n) {
      std::memcpy(history_.data(), block.data() + (take - n), n * sizeof(float));
    } else {
      std::memmove(history_.data(), history_.data() + take, (n - take) * sizeof(float));
      std::memcpy(history_.data() + (n - take), block.data(), take * sizeof(float));
    }
    // Non-finite samples (a broken driver or file) would poison every later frame: treat them as silence.
    for (float* v = history_.data() + (n - std::min(take, n)); v != history_.data() + n; ++v) {
      if (!std::isfinite(*v)) *v = 0.0f;
    }
    block = block.subspan(take);
    since_frame_ += int(take);
    total_samples_ += std::int64_t(take);
    if (since_frame_ == params_.hop) {
      emit_frame();
      since_frame_ = 0;
    }
  }
  return ready_;
}

void LiveAnalyzer::emit_frame() {
  FeatureFrame& f = frames_[ready_++];
  const std::span<const float> all(history_);
  const Level level = measure_level(all.last(std::size_t(params_.hop)));
  f.rms = level.rms;
  f.rms_dbfs = level.dbfs;
  f.time_s = float(double(total_samples_ - latency_samples()) / double(params_.sample_rate));
  // Silence has no pitch; skip the search (it is also the most expensive part of the frame).
  if (level.dbfs > -70.0f) {
    const PitchEstimate p = yin_.estimate(all);
    f.f0_hz = p.f0_hz;
    f.confidence = p.confidence;
  } else {
    f.f0_hz = 0;
    f.confidence = 0;
  }
}

}  // namespace etude::dsp
