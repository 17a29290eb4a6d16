#include "app/latency_calibration.h"

#include <algorithm>
#include <cmath>

namespace etude::app {
namespace {
// Where an onset may fall after (or, tapping along, around) its click.
constexpr double kSpeakerWindowS[2] = {0.0, 0.40};
constexpr double kTapWindowS[2] = {-0.20, 0.40};
}  // namespace

void LatencyCalibration::start(Mode mode, double sample_rate) {
  mode_ = mode;
  rate_ = sample_rate;
  running_ = true;
  clicks_.clear();
  onsets_.clear();
  clicks_.reserve(kClicks + 4);
  onsets_.reserve(64);
}

void LatencyCalibration::add_click(double frame) {
  if (running_ && int(clicks_.size()) < kClicks) clicks_.push_back(frame);
}

void LatencyCalibration::add_onset(double frame) {
  if (running_) onsets_.push_back(frame);
}

bool LatencyCalibration::complete(double now_frame) const {
  return running_ && int(clicks_.size()) >= kClicks && now_frame > clicks_.back() + kSpeakerWindowS[1] * rate_;
}

LatencyResult LatencyCalibration::finish() {
  running_ = false;
  const double* window = mode_ == Mode::Loudspeaker ? kSpeakerWindowS : kTapWindowS;
  std::vector<double> delays;
  for (double c : clicks_) {
    // The first onset inside the window after this click.
    for (double o : onsets_) {
      const double d = (o - c) / rate_;
      if (d >= window[0] && d <= window[1]) {
        delays.push_back(d * 1000.0);
        break;
      }
    }
  }
  LatencyResult r;
  r.clicks = int(clicks_.size());
  r.matched = int(delays.size());
  if (r.matched < kClicks / 2) return r;
  // Trim the fastest and slowest quarter (a stray noise, a missed click), average the rest.
  std::sort(delays.begin(), delays.end());
  const std::size_t cut = delays.size() / 4;
  double sum = 0;
  for (std::size_t i = cut; i < delays.size() - cut; ++i) sum += delays[i];
  r.latency_ms = float(sum / double(delays.size() - 2 * cut));
  r.spread_ms = float((delays[delays.size() - 1 - cut] - delays[cut]) * 0.5);
  r.ok = true;
  return r;
}

}  // namespace etude::app
