#include "app/rhythm_practice.h"

#include <cmath>

namespace etude::app {

void RhythmPractice::start(double sample_rate, float latency_ms) {
  *this = RhythmPractice{};
  rate_ = sample_rate;
  latency_ms_ = latency_ms;
  running_ = true;
}

void RhythmPractice::close_bar() {
  if (bar_ < 0 || bar_beats_ == 0) return;  // count-in bars are not judged
  summary_.bar = bar_;
  summary_.beats = bar_beats_;
  summary_.hits = bar_hits_;
  summary_.mean_ms = bar_hits_ ? float(bar_sum_ / bar_hits_) : 0.0f;
  summary_.mean_abs_ms = bar_hits_ ? float(bar_abs_ / bar_hits_) : 0.0f;
  has_summary_ = true;
}

bool RhythmPractice::add_beat(double frame, int bar, int beat, double frames_per_beat) {
  if (!running_) return false;
  bool summarised = false;
  if (bar != bar_) {
    close_bar();
    summarised = has_summary_ && summary_.bar == bar_;
    bar_ = bar;
    bar_beats_ = bar_hits_ = 0;
    bar_sum_ = bar_abs_ = 0;
  }
  ++bar_beats_;
  half_beat_frames_ = frames_per_beat * 0.5;
  beats_[beats_head_] = {frame, bar, beat, false};
  beats_head_ = (beats_head_ + 1) % beats_.size();
  beats_n_ = std::min(beats_n_ + 1, beats_.size());
  return match() || summarised;
}

bool RhythmPractice::add_onset(double frame) {
  if (!running_) return false;
  onsets_[onsets_head_] = {frame - latency_ms_ * rate_ / 1000.0, false};
  onsets_head_ = (onsets_head_ + 1) % onsets_.size();
  onsets_n_ = std::min(onsets_n_ + 1, onsets_.size());
  return match();
}

// Beats are evenly spaced, so a beat within half a beat of an onset is its nearest one: a match can be
// made as soon as both are known, whichever arrived first. Each beat and each onset is used once.
bool RhythmPractice::match() {
  bool added = false;
  for (std::size_t i = 0; i < onsets_n_; ++i) {
    PendingOnset& o = onsets_[(onsets_head_ + onsets_.size() - onsets_n_ + i) % onsets_.size()];
    if (o.matched) continue;
    for (std::size_t j = 0; j < beats_n_; ++j) {
      PendingBeat& b = beats_[(beats_head_ + beats_.size() - beats_n_ + j) % beats_.size()];
      const double d = o.frame - b.frame;
      if (b.matched || std::fabs(d) > half_beat_frames_) continue;
      o.matched = b.matched = true;
      const float ms = float(d * 1000.0 / rate_);
      hits_[hits_head_] = {b.bar, b.beat, ms};
      hits_head_ = (hits_head_ + 1) % kKeep;
      hits_n_ = std::min(hits_n_ + 1, kKeep);
      if (b.bar == bar_ && b.bar >= 0) {
        ++bar_hits_;
        bar_sum_ += ms;
        bar_abs_ += std::fabs(ms);
      }
      added = b.bar >= 0 || added;
      break;
    }
  }
  return added;
}

}  // namespace etude::app
