#include "app/chord_window.h"

#include <algorithm>

namespace etude::app {

void ChordWindow::start(const ml::LiveClock& clock) {
  clock_ = clock;
  clear();
}

void ChordWindow::clear() { head_ = count_ = 0; }

void ChordWindow::add(const dsp::FeatureFrame& f) {
  if (!ml::is_model_frame(f, clock_)) return;
  ml::pack_fields(f, ring_[head_]);
  head_ = (head_ + 1) % kFrames;
  count_ = std::min<std::size_t>(count_ + 1, kFrames);
}

void ChordWindow::window(std::span<float> out) const {
  for (int t = 0; t < kFrames; ++t) {
    const auto& row = ring_[(head_ + std::size_t(t)) % kFrames];  // oldest first
    std::copy(row.begin(), row.end(), out.data() + t * kFields);
  }
}

void ChordWindow::occlusion_batch(std::span<float> out) const {
  const float* window = out.data();
  this->window(out.first(kRowFloats));
  for (int r = 1; r < kRows; ++r) std::copy(window, window + kRowFloats, out.data() + r * kRowFloats);
  for (int p = 0; p < 12; ++p) {
    float* row = out.data() + (1 + p) * kRowFloats;
    const int first = ((p - dsp::kSemitoneLowMidi) % 12 + 12) % 12;  // the lowest semitone of pitch class p
    for (int t = 0; t < kFrames; ++t) {
      for (int k = first; k < kFields; k += 12) row[t * kFields + k] = 0.0f;
    }
  }
  for (int g = 0; g < kTimeGroups; ++g) {
    float* row = out.data() + (13 + g) * kRowFloats;
    std::fill(row + 4 * g * kFields, row + (4 * g + 4) * kFields, 0.0f);
  }
}

int ExplanationPacer::rows(double now_s) const {
  return stale_ || now_s - explained_at_s_ >= kRefreshS ? ChordWindow::kRows : 1;
}

void ExplanationPacer::sent(double now_s, int rows) {
  if (rows >= ChordWindow::kRows) explained_at_s_ = now_s;
}

bool ExplanationPacer::answered(const std::string& top_label, int rows) {
  if (rows >= ChordWindow::kRows) {
    explained_ = top_label;
    stale_ = false;
    return true;
  }
  if (top_label == explained_) return true;
  stale_ = true;
  return false;
}

void ExplanationPacer::reset() { *this = ExplanationPacer{}; }

}  // namespace etude::app
