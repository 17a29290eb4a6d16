#include "dsp/pitch_tracker.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace etude::dsp {

namespace {
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr int kU = PitchTracker::Column::kUnvoiced;

float observation(const PitchTrackerParams& p, const YinCandidates& f, int state) {
  if (state == kU) return std::log(std::max(1e-6f, 1.0f - f.voiced_probability) * p.unvoiced_weight);
  return std::log(std::max(1e-12f, f.candidates[std::size_t(state)].probability));
}

struct Transitions {
  float stay_voicing, switch_voicing, glide_cents, jump;
  explicit Transitions(const PitchTrackerParams& p)
      : stay_voicing(std::log(1.0f - p.voicing_switch_prob)),
        switch_voicing(std::log(p.voicing_switch_prob)),
        glide_cents(p.glide_cents_per_s / p.frame_rate),
        jump(p.jump_prob) {}
  float voiced(float from_cents, float to_cents) const {
    const float glide = std::max(0.0f, 1.0f - std::abs(to_cents - from_cents) / glide_cents);
    return stay_voicing + std::log((1.0f - jump) * glide + jump);
  }
};

void fill_cents(const YinCandidates& f, PitchTracker::Column& c) {
  for (int i = 0; i < f.count; ++i) c.cents[std::size_t(i)] = 1200.0f * std::log2(f.candidates[std::size_t(i)].f0_hz);
}
}  // namespace

const char* PitchTrackerParams::validate() const {
  if (!(frame_rate >= 5.0f && frame_rate <= 2000.0f)) return "frame_rate must be 5..2000 frames/s";
  if (!(lookahead_frames >= 0 && lookahead_frames <= 32)) return "lookahead_frames must be 0..32";
  if (!(voicing_switch_prob >= 1e-5f && voicing_switch_prob <= 0.5f)) return "voicing_switch_prob must be 1e-5..0.5";
  if (!(glide_cents_per_s >= 100.0f && glide_cents_per_s <= 100000.0f)) return "glide_cents_per_s must be 100..100000";
  if (!(jump_prob >= 1e-6f && jump_prob <= 0.5f)) return "jump_prob must be 1e-6..0.5";
  if (!(unvoiced_weight >= 1e-4f && unvoiced_weight <= 1.0f)) return "unvoiced_weight must be 1e-4..1";
  return nullptr;
}

void PitchTracker::start_column(const PitchTrackerParams& params, const YinCandidates& frame, Column& out) {
  out.candidates = frame;
  fill_cents(frame, out);
  out.score.fill(kNegInf);
  out.back.fill(-1);
  for (int j = 0; j < frame.count; ++j) out.score[std::size_t(j)] = observation(params, frame, j);
  out.score[kU] = observation(params, frame, kU);
}

void PitchTracker::step_column(const PitchTrackerParams& params, const Column& prev, const YinCandidates& frame, Column& out) {
  const Transitions t(params);
  out.candidates = frame;
  fill_cents(frame, out);
  out.score.fill(kNegInf);
  out.back.fill(-1);
  const int from_count = prev.candidates.count;
  float best_overall = kNegInf;
  for (int j = 0; j < frame.count; ++j) {
    float best = prev.score[kU] + t.switch_voicing;
    int arg = kU;
    for (int i = 0; i < from_count; ++i) {
      const float s = prev.score[std::size_t(i)] + t.voiced(prev.cents[std::size_t(i)], out.cents[std::size_t(j)]);
      if (s > best) best = s, arg = i;
    }
    out.score[std::size_t(j)] = best + observation(params, frame, j);
    out.back[std::size_t(j)] = std::int8_t(arg);
    best_overall = std::max(best_overall, out.score[std::size_t(j)]);
  }
  float best = prev.score[kU] + t.stay_voicing;
  int arg = kU;
  for (int i = 0; i < from_count; ++i) {
    const float s = prev.score[std::size_t(i)] + t.switch_voicing;
    if (s > best) best = s, arg = i;
  }
  out.score[kU] = best + observation(params, frame, kU);
  out.back[kU] = std::int8_t(arg);
  best_overall = std::max(best_overall, out.score[kU]);
  // Keep scores near zero so float precision holds over hours of audio.
  for (float& s : out.score) s -= best_overall;
}

PitchPoint PitchTracker::point(const Column& column, int state) {
  PitchPoint p;
  p.voiced_probability = column.candidates.voiced_probability;
  if (state != kU && state >= 0) p.f0_hz = column.candidates.candidates[std::size_t(state)].f0_hz;
  return p;
}

namespace {
int best_state(const PitchTracker::Column& c) {
  int arg = kU;
  for (int j = 0; j < c.candidates.count; ++j) {
    if (c.score[std::size_t(j)] > c.score[kU] && (arg == kU || c.score[std::size_t(j)] > c.score[std::size_t(arg)])) arg = j;
  }
  return arg;
}
}  // namespace

PitchTracker::PitchTracker(const PitchTrackerParams& params)
    : params_(params), ring_(std::size_t(params.lookahead_frames) + 1), path_(std::size_t(params.lookahead_frames) + 1) {}

void PitchTracker::reset() {
  frames_ = 0;
  decided_ = {};
  std::fill(path_.begin(), path_.end(), PitchPoint{});
}

bool PitchTracker::push(const YinCandidates& frame) {
  const std::size_t size = ring_.size();
  const std::size_t slot = std::size_t(frames_ % std::int64_t(size));
  if (frames_ == 0) {
    start_column(params_, frame, ring_[slot]);
  } else {
    step_column(params_, ring_[(slot + size - 1) % size], frame, ring_[slot]);
  }
  ++frames_;
  if (frames_ <= params_.lookahead_frames) return false;
  // Fixed-lag smoothing: follow the best path back from now to the frame lookahead_frames ago.
  int state = best_state(ring_[slot]);
  std::size_t at = slot;
  for (int k = params_.lookahead_frames; k > 0; --k) {
    path_[std::size_t(k)] = point(ring_[at], state);
    state = ring_[at].back[std::size_t(state)];
    at = (at + size - 1) % size;
  }
  decided_ = point(ring_[at], state);
  path_[0] = decided_;
  return true;
}

std::vector<PitchPoint> track_pitch_offline(std::span<const YinCandidates> frames, const PitchTrackerParams& params) {
  std::vector<PitchPoint> out(frames.size());
  if (frames.empty()) return out;
  std::vector<PitchTracker::Column> lattice(frames.size());
  PitchTracker::start_column(params, frames[0], lattice[0]);
  for (std::size_t t = 1; t < frames.size(); ++t) PitchTracker::step_column(params, lattice[t - 1], frames[t], lattice[t]);
  int state = best_state(lattice.back());
  for (std::size_t t = frames.size(); t-- > 0;) {
    out[t] = PitchTracker::point(lattice[t], state);
    if (t > 0) state = lattice[t].back[std::size_t(state)];
  }
  return out;
}

}  // namespace etude::dsp
