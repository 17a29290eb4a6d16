#pragma once
// The last few seconds of pitch, for the scrolling pitch trace: a fixed ring of (time, MIDI pitch,
// confidence) points, allocated once. Unvoiced frames are kept as gaps so the line breaks.

#include <cstddef>
#include <vector>

#include "dsp/feature_frame.h"

namespace etude::app {

struct TracePoint {
  float time_s = 0;
  float midi = 0;        // fractional MIDI pitch (concert); 0 = unvoiced gap
  float confidence = 0;  // 0..1, drawn as opacity
};

class PitchTrace {
 public:
  // capacity: 10 s at the browser's ~5 ms hop is about 2000 frames.
  explicit PitchTrace(float seconds = 10.0f, std::size_t capacity = 4096);

  void add(const dsp::FeatureFrame& frame, float a4_hz);
  void clear();

  // Points newer than latest_time() - seconds(), oldest first; `visit(const TracePoint&)`.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    const std::size_t n = size_;
    for (std::size_t i = 0; i < n; ++i) {
      const TracePoint& p = points_[(head_ + points_.size() - n + i) % points_.size()];
      if (p.time_s >= latest_time() - seconds_) visit(p);
    }
  }

  float latest_time() const { return size_ ? points_[(head_ + points_.size() - 1) % points_.size()].time_s : 0.0f; }
  float seconds() const { return seconds_; }
  std::size_t size() const { return size_; }
  // Median pitch of the voiced points in view (to centre the view); 0 when none.
  float median_midi() const;

 private:
  float seconds_;
  std::vector<TracePoint> points_;
  mutable std::vector<float> scratch_;
  std::size_t head_ = 0;  // next write position
  std::size_t size_ = 0;
};

}  // namespace etude::app
