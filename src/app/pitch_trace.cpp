#include "app/pitch_trace.h"

#include <algorithm>

#include "music/pitch.h"

namespace etude::app {

PitchTrace::PitchTrace(float seconds, std::size_t capacity)
    : seconds_(seconds), points_(std::max<std::size_t>(capacity, 2)) {
  scratch_.reserve(points_.size());
}

void PitchTrace::clear() {
  head_ = 0;
  size_ = 0;
}

void PitchTrace::add(const dsp::FeatureFrame& frame, float a4_hz) {
  TracePoint p;
  p.time_s = frame.time_s;
  p.confidence = frame.confidence;
  p.midi = frame.f0_hz > 0 ? float(music::midi_from_hz(frame.f0_hz, a4_hz)) : 0.0f;
  points_[head_] = p;
  head_ = (head_ + 1) % points_.size();
  size_ = std::min(size_ + 1, points_.size());
}

float PitchTrace::median_midi() const {
  scratch_.clear();
  for_each([&](const TracePoint& p) {
    if (p.midi > 0 && p.confidence >= 0.5f) scratch_.push_back(p.midi);
  });
  if (scratch_.empty()) return 0.0f;
  auto mid = scratch_.begin() + std::ptrdiff_t(scratch_.size() / 2);
  std::nth_element(scratch_.begin(), mid, scratch_.end());
  return *mid;
}

}  // namespace etude::app
