#include "ml/chord_input.h"

#include <algorithm>
#include <cmath>

namespace etude::ml {

int chord_model_hop(float sample_rate) {
  return std::max(64, int(std::lround(double(sample_rate) * kChordHopSeconds / 32.0)) * 32);
}

int live_hop(float sample_rate) { return chord_model_hop(sample_rate) / kLiveFramesPerModelFrame; }

long live_frame_index(const dsp::FeatureFrame& f, const LiveClock& c) {
  if (c.hop <= 0) return -1;
  return std::lround((double(f.time_s) * double(c.sample_rate) + double(c.latency_samples)) / double(c.hop)) - 1;
}

bool is_model_frame(const dsp::FeatureFrame& f, const LiveClock& c) {
  const long n = live_frame_index(f, c);
  return n >= 0 && n % kLiveFramesPerModelFrame == 0;
}

std::vector<dsp::FeatureFrame> model_frames(std::span<const dsp::FeatureFrame> live, const LiveClock& c) {
  std::vector<dsp::FeatureFrame> out;
  out.reserve(live.size() / std::size_t(kLiveFramesPerModelFrame) + 1);
  for (const dsp::FeatureFrame& f : live) {
    if (is_model_frame(f, c)) out.push_back(f);
  }
  return out;
}

void pack_fields(const dsp::FeatureFrame& f, std::span<float, kFields> out) {
  std::copy(std::begin(f.semitones), std::end(f.semitones), out.begin());
}

std::vector<float> pack_windows(std::span<const dsp::FeatureFrame> frames, int stride, std::vector<std::size_t>& ends) {
  ends.clear();
  std::vector<float> out;
  if (frames.empty()) return out;
  stride = std::max(1, stride);
  const std::size_t first = std::min(frames.size() - 1, std::size_t(kContextFrames - 1));
  for (std::size_t e = first; e < frames.size(); e += std::size_t(stride)) ends.push_back(e);
  if (ends.back() != frames.size() - 1) ends.push_back(frames.size() - 1);  // the file's last frames too
  out.resize(ends.size() * std::size_t(kWindowFloats));
  for (std::size_t w = 0; w < ends.size(); ++w) {
    for (int t = 0; t < kContextFrames; ++t) {
      const long i = long(ends[w]) - (kContextFrames - 1) + t;
      const dsp::FeatureFrame& f = frames[std::size_t(std::max(0L, i))];
      pack_fields(f, std::span<float, kFields>(out.data() + w * kWindowFloats + std::size_t(t) * kFields, kFields));
    }
  }
  return out;
}

}  // namespace etude::ml
