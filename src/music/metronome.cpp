#include "music/metronome.h"

#include <algorithm>
#include <cmath>

namespace etude::music {

const char* MetronomeSettings::validate() const {
  if (!(bpm >= 30.0f && bpm <= 240.0f)) return "tempo must be 30..240 BPM";
  if (beats_per_bar < 1 || beats_per_bar > 12) return "beats per bar must be 1..12";
  if (count_in_bars < 0 || count_in_bars > 4) return "count-in must be 0..4 bars";
  return nullptr;
}

void MetronomeClock::start(const MetronomeSettings& settings, std::int64_t start_frame) {
  settings_ = settings;
  next_position_ = double(start_frame);
  beat_index_ = 0;
  running_ = true;
}

Beat MetronomeClock::current_beat() const {
  // Bars are counted from the first bar after the count-in; count-in bars are negative.
  const std::int64_t n = settings_.beats_per_bar;
  const std::int64_t counted = beat_index_ - std::int64_t(settings_.count_in_bars) * n;
  Beat b;
  b.frame = next_frame();
  b.bar = int(counted >= 0 ? counted / n : -((-counted + n - 1) / n));
  b.beat = int(((counted % n) + n) % n);
  b.accent = (settings_.accents >> b.beat) & 1u;
  return b;
}

void MetronomeClock::step() {
  next_position_ += frames_per_beat();
  ++beat_index_;
}

ClickVoice::ClickVoice(double sample_rate)
    : sample_rate_(sample_rate), length_(std::max(1, int(std::lround(sample_rate * 0.04)))) {}

void ClickVoice::trigger(const Beat& beat) {
  position_ = 0;
  frequency_ = beat.accent ? 1568.0f : 1046.5f;  // G6 on accents, C6 otherwise
  gain_ = beat.accent ? 0.6f : 0.4f;
  phase_ = 0;
}

void ClickVoice::render(std::span<float> out) {
  if (position_ < 0) return;
  const double step = 2.0 * M_PI * frequency_ / sample_rate_;
  const double decay = 6.0 / length_;  // about -52 dB by the end of the click
  for (std::size_t i = 0; i < out.size() && position_ < length_; ++i, ++position_) {
    out[i] += gain_ * float(std::exp(-decay * position_) * std::sin(phase_));
    phase_ += step;
  }
  if (position_ >= length_) position_ = -1;
}

float TapTempo::tap(double time_s) {
  if (last_ >= 0 && time_s - last_ <= 2.0 && time_s > last_) {
    // Shift in the newest interval.
    for (int i = kKeep - 1; i > 0; --i) intervals_[i] = intervals_[i - 1];
    intervals_[0] = time_s - last_;
    count_ = std::min(count_ + 1, kKeep);
    double sorted[kKeep];
    std::copy(intervals_, intervals_ + count_, sorted);
    std::sort(sorted, sorted + count_);
    const double median = count_ % 2 ? sorted[count_ / 2] : 0.5 * (sorted[count_ / 2 - 1] + sorted[count_ / 2]);
    bpm_ = std::clamp(float(60.0 / median), 30.0f, 240.0f);
  } else {
    count_ = 0;
    bpm_ = 0;
  }
  last_ = time_s;
  return bpm_;
}

}  // namespace etude::music
