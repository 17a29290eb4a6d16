#include "app/melody_practice.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dsp/onset_locator.h"

namespace etude::app {

void MelodyPractice::start(const music::Melody& melody, double first_step_frame, double frames_per_step,
                           double sample_rate, float latency_ms) {
  melody_ = melody;
  first_step_frame_ = first_step_frame;
  frames_per_step_ = frames_per_step;
  rate_ = sample_rate;
  latency_ms_ = latency_ms;
  running_ = true;
  finished_ = false;
  sung_.clear();
  confidence_.clear();
  onset_strength_.clear();
  level_dbfs_.clear();
  onsets_.clear();
  results_.clear();
  // Up to 200 analysis frames a second for the melody and its tail (and the 4 steps kept before it).
  const double seconds = (melody.spec.steps() + 4) * seconds_per_step() + kTailS;
  sung_.reserve(std::size_t(seconds * kMaxFrameRate) + 64);
  confidence_.reserve(sung_.capacity());
  onset_strength_.reserve(sung_.capacity());
  level_dbfs_.reserve(sung_.capacity());
}

void MelodyPractice::stop() { running_ = false; }

double MelodyPractice::step_at(double frame) const {
  return (frame - double(latency_ms_) * rate_ / 1000.0 - first_step_frame_) / frames_per_step_;
}

bool MelodyPractice::add_frame(double frame, float midi, float confidence, float onset_strength, float level_dbfs) {
  if (!running_) return false;
  const double step = step_at(frame);
  if (step >= -4.0) {  // keep a little before step 0: an early first note shows
    sung_.push_back({float(step), confidence >= kConfident ? midi : 0.0f});
    confidence_.push_back(confidence);
    onset_strength_.push_back(onset_strength);
    level_dbfs_.push_back(level_dbfs);
  }
  if (step > melody_.spec.steps() + kTailS / seconds_per_step()) {
    running_ = false;
    finished_ = true;
    score();
    return true;
  }
  return false;
}

void MelodyPractice::add_onset(double frame) {
  if (running_) onsets_.push_back(step_at(frame));
}

void MelodyPractice::score() {
  results_.clear();
  const double window = std::max(1.0, kStartWindowS / seconds_per_step());  // in steps
  dsp::OnsetLocatorParams locator;
  // The frames' rate from their spacing: the kept points span (last - first) steps of frames_per_step_.
  const double kept_frames = sung_.size() > 1 ? double(sung_.back().step - sung_.front().step) * frames_per_step_ : 0.0;
  if (kept_frames > 0) locator.frame_rate = float(rate_ * double(sung_.size() - 1) / kept_frames);
  const bool can_locate = locator.validate() == nullptr;
  int previous_midi = -1;
  for (int i = 0; i < int(melody_.events.size()); ++i) {
    const music::MelodyEvent& e = melody_.events[std::size_t(i)];
    if (e.is_rest()) {
      previous_midi = -1;
      continue;
    }
    NoteResult r;
    r.event = i;
    r.midi = e.midi;
    const double begin = e.start, end = e.start + e.steps;
    int total = 0, voiced = 0, tuned = 0;
    std::vector<float> cents;
    for (const SungPoint& p : sung_) {
      if (p.step < begin || p.step >= end) continue;
      ++total;
      if (p.midi <= 0) continue;
      ++voiced;
      const float c = (p.midi - float(e.midi)) * 100.0f;
      if (std::fabs(c) <= kInTuneCents) ++tuned;
      if (std::fabs(c) <= 300.0f) cents.push_back(c);
    }
    if (total > 0) {
      r.in_tune_fraction = float(tuned) / float(total);
      r.voiced_fraction = float(voiced) / float(total);
    }
    if (!cents.empty()) {
      std::nth_element(cents.begin(), cents.begin() + std::ptrdiff_t(cents.size() / 2), cents.end());
      r.median_cents = cents[cents.size() / 2];
    }
    r.in_tune = r.in_tune_fraction >= 0.5f;
    // The start: the nearest onset within the window (half the note at most); failing that, where
    // the pitch arrives at the target (not possible when it repeats the previous pitch), moved back
    // to the soft attack in front of it when the locator finds one within the window.
    const double w = std::min(window, 0.5 * e.steps);
    double best = 1e9;
    for (double o : onsets_) {
      if (std::fabs(o - begin) <= w && std::fabs(o - begin) < std::fabs(best)) best = o - begin;
    }
    if (best > 1e8 && previous_midi != e.midi) {
      bool was_there = false;
      bool first = true;
      for (std::size_t k = 0; k < sung_.size(); ++k) {
        const SungPoint& p = sung_[k];
        if (p.step < begin - w) continue;
        if (p.step > begin + w) break;
        const bool there = p.midi > 0 && std::fabs((p.midi - float(e.midi)) * 100.0f) <= kInTuneCents;
        if (there && !was_there && !first) {
          best = p.step - begin;
          const auto cue = sung_[k - 1].midi > 0 ? dsp::OnsetCue::pitch_change : dsp::OnsetCue::voicing;
          const int attack = can_locate ? dsp::locate_onset(onset_strength_, level_dbfs_, int(k), cue, locator) : -1;
          if (attack >= 0 && std::fabs(sung_[std::size_t(attack)].step - begin) <= w) best = sung_[std::size_t(attack)].step - begin;
          break;
        }
        was_there = there;
        first = false;
      }
    }
    if (best < 1e8) {
      r.started = true;
      r.start_ms = float(best * seconds_per_step() * 1000.0);
    }
    results_.push_back(r);
    previous_midi = e.midi;
  }
}

std::string MelodyPractice::summary() const {
  int tuned = 0, started = 0;
  double start_sum = 0;
  for (const NoteResult& r : results_) {
    tuned += r.in_tune;
    if (r.started) ++started, start_sum += r.start_ms;
  }
  char text[200];
  if (started > 0) {
    const double mean = start_sum / started;
    std::snprintf(text, sizeof text, "%d of %zu notes in tune; starts %.0f ms %s on average.", tuned, results_.size(),
                  std::fabs(mean), mean < 0 ? "early" : "late");
  } else {
    std::snprintf(text, sizeof text, "%d of %zu notes in tune; no note starts were heard.", tuned, results_.size());
  }
  return text;
}

}  // namespace etude::app
