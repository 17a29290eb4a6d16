#include "dsp/live_onset_cues.h"

#include <algorithm>
#include <cmath>

namespace etude::dsp {

namespace {
constexpr std::int64_t kNever = -1000000000;
int frames_of(float seconds, float frame_rate) { return int(std::lround(seconds * frame_rate)); }
}  // namespace

const char* LiveOnsetCueParams::validate() const {
  if (!(frame_rate >= 5.0f && frame_rate <= 2000.0f)) return "cue frame_rate must be 5..2000 frames/s";
  if (!(lookahead_frames >= 0 && lookahead_frames <= 32)) return "cue lookahead_frames must be 0..32";
  if (!(change_cents >= 20.0f && change_cents <= 1200.0f)) return "pitch onset cents must be 20..1200";
  if (!(change_hold_s >= 0.0f && change_hold_s <= 0.2f)) return "pitch onset hold must be 0..0.2 s";
  if (!(voicing_hold_s >= 0.0f && voicing_hold_s <= 0.2f)) return "voicing onset hold must be 0..0.2 s";
  if (!(max_late_s >= 0.0f && max_late_s <= 0.1f)) return "cue max_late_s must be 0..0.1 s";
  if (!(min_confidence >= 0.0f && min_confidence <= 1.0f)) return "cue min_confidence must be 0..1";
  if (!(tail_span_s >= 0.01f && tail_span_s <= 2.0f)) return "tail_span_s must be 0.01..2 s";
  if (!(change_tail_db >= 0.0f && change_tail_db <= 200.0f)) return "change_tail_db must be 0..200";
  if (!(voicing_tail_db >= 0.0f && voicing_tail_db <= 200.0f)) return "voicing_tail_db must be 0..200";
  if (!(slip_cents >= 1.0f && slip_cents <= 600.0f)) return "slip_cents must be 1..600";
  if (!(slip_span_s >= 0.0f && slip_span_s <= 0.5f)) return "slip_span_s must be 0..0.5 s";
  if (const char* e = notes().validate()) return e;
  return locator().validate();
}

NoteTrackerParams LiveOnsetCueParams::notes() const {
  NoteTrackerParams p;  // min_note_s and unvoiced_gap_s as offline
  p.frame_rate = frame_rate;
  p.pitch_change_cents = change_cents;
  p.pitch_change_s = change_hold_s;
  return p;
}

OnsetLocatorParams LiveOnsetCueParams::locator() const {
  OnsetLocatorParams p;  // windows, fraction, min_strength and the voicing rise as offline
  p.frame_rate = frame_rate;
  return p;
}

LiveOnsetCues::LiveOnsetCues(const LiveOnsetCueParams& params)
    : params_(params),
      locator_(params.locator()),
      notes_(params.notes()),
      probe_(params.notes()),
      tail_frames_(std::size_t(frames_of(params.tail_span_s, params.frame_rate) + 1)),
      // The locator reads its window before the cue (and the level rise_frames before that), the cue, and
      // voicing_after_frames after it; the cue lies up to lookahead_frames + max_late frames before the newest.
      strength_(std::size_t(frames_of(std::max(locator_.change_window_s, locator_.voicing_window_s), params.frame_rate) +
                            locator_.rise_frames + locator_.voicing_after_frames + params.lookahead_frames +
                            frames_of(params.max_late_s, params.frame_rate) + 2)),
      level_(std::max(strength_.newest().size(), tail_frames_)),
      candidates_(std::size_t(params.lookahead_frames + frames_of(params.max_late_s, params.frame_rate) +
                              frames_of(params.slip_span_s, params.frame_rate) + 2)),
      decided_f0_(candidates_.size()),
      voicing_hold_frames_(std::max(1, frames_of(params.voicing_hold_s, params.frame_rate))),
      max_late_frames_(frames_of(params.max_late_s, params.frame_rate)),
      slip_frames_(frames_of(params.slip_span_s, params.frame_rate)) {
  reset();
}

void LiveOnsetCues::reset() {
  notes_.reset();
  probe_ = notes_;
  strength_.clear(0.0f);
  level_.clear(-120.0f);
  std::fill(candidates_.begin(), candidates_.end(), YinCandidates{});
  std::fill(decided_f0_.begin(), decided_f0_.end(), 0.0f);
  frames_ = 0;
  considered_ = kNever;
  last_cue_ = kNever;
  spectral_.fill(kNever);
  spectral_next_ = 0;
}

void LiveOnsetCues::add_frame(float strength, float level_dbfs, const YinCandidates& candidates) {
  strength_.push(strength);
  level_.push(level_dbfs);
  candidates_[std::size_t(frames_) % candidates_.size()] = candidates;
  ++frames_;
}

bool LiveOnsetCues::spectral_at(std::int64_t frame) const {
  return std::find(spectral_.begin(), spectral_.end(), frame) != spectral_.end();
}

const YinCandidates& LiveOnsetCues::candidates_at(std::int64_t frame) const {
  static const YinCandidates kNone{};
  return frame < 0 ? kNone : candidates_[std::size_t(frame) % candidates_.size()];
}

bool LiveOnsetCues::has_candidate_near(std::int64_t frame, float hz) const {
  const YinCandidates& c = candidates_at(frame);
  for (int j = 0; j < c.count; ++j) {
    if (std::abs(1200.0f * std::log2(c.candidates[std::size_t(j)].f0_hz / hz)) < params_.slip_cents) return true;
  }
  return false;
}

// The track moved between candidates of one sound rather than to a new note (see the header).
bool LiveOnsetCues::slipped(std::int64_t cue, std::int64_t decided, std::span<const PitchPoint> path) const {
  const int lookahead = params_.lookahead_frames;
  // The old pitch is still there in every frame from the cue on, or the track is unvoiced there.
  std::array<float, 96> old{};
  int n_old = 0;
  for (std::int64_t f = cue - 1; f >= std::max<std::int64_t>(0, cue - slip_frames_) && n_old < int(old.size()); --f) {
    const float hz = decided_f0_[std::size_t(f) % decided_f0_.size()];
    if (hz > 0.0f) old[std::size_t(n_old++)] = hz;
  }
  std::nth_element(old.begin(), old.begin() + n_old / 2, old.begin() + n_old);
  const float old_hz = n_old > 0 ? old[std::size_t(n_old / 2)] : 0.0f;
  if (old_hz > 0.0f) {
    bool everywhere = true;
    for (std::int64_t f = cue; f <= newest() && everywhere; ++f) {
      const float hz = path[std::size_t(std::clamp<std::int64_t>(f - decided, 0, lookahead))].f0_hz;
      everywhere = hz <= 0.0f || has_candidate_near(f, old_hz);
    }
    if (everywhere) return true;
  }
  // The new pitch (the path's median from the cue on) was there before the cue.
  std::array<float, 33> voiced{};
  int n = 0;
  for (int k = std::max(0, int(cue - decided)); k <= lookahead; ++k) {
    if (path[std::size_t(k)].f0_hz > 0.0f) voiced[std::size_t(n++)] = path[std::size_t(k)].f0_hz;
  }
  if (n == 0 || slip_frames_ == 0) return false;
  std::nth_element(voiced.begin(), voiced.begin() + n / 2, voiced.begin() + n);
  const float new_hz = voiced[std::size_t(n / 2)];
  int before = 0;
  for (std::int64_t f = cue - slip_frames_; f < cue; ++f) before += has_candidate_near(f, new_hz);
  return 2 * before >= slip_frames_;
}

LiveOnsetCues::SpectralMerge LiveOnsetCues::spectral(std::int64_t frame, std::int64_t oldest_pending) {
  spectral_[spectral_next_] = frame;
  spectral_next_ = (spectral_next_ + 1) % spectral_.size();
  SpectralMerge m;
  if (std::abs(double(frame - last_cue_)) < double(OnsetCueMerge::kNearS * params_.frame_rate)) {
    if (last_cue_ >= oldest_pending) {
      m.unflag = last_cue_;  // still pending: the spectral onset times the attack better
      last_cue_ = kNever;
    } else {
      m.flag = false;  // the cue has told the app about this note already
    }
  }
  return m;
}

std::int64_t LiveOnsetCues::decide(std::span<const PitchPoint> path) {
  const int lookahead = params_.lookahead_frames;
  if ((!params_.pitch_changes && !params_.voicing_starts) || int(path.size()) != lookahead + 1) return -1;
  const std::int64_t newest = frames_ - 1, decided = newest - lookahead;
  // The decided frame joins the note tracker for good; a copy of it also takes the pending frames.
  notes_.push(time_of(decided), path[0].f0_hz, spectral_at(decided));
  decided_f0_[std::size_t(std::max<std::int64_t>(decided, 0)) % decided_f0_.size()] = path[0].f0_hz;
  probe_ = notes_;
  for (int k = 1; k <= lookahead; ++k) probe_.push(time_of(decided + k), path[std::size_t(k)].f0_hz, spectral_at(decided + k));
  if (!probe_.active()) return -1;
  const Note& note = probe_.current();
  const bool change = note.pitch_change_onset && params_.pitch_changes;
  const bool voicing = note.voicing_onset && params_.voicing_starts;
  if (!change && !voicing) return -1;
  const std::int64_t cue = decided + std::lround((double(note.onset_s) - double(time_of(decided))) * params_.frame_rate);
  // Wait until the cue's frame is the oldest pending one, then consider it once.
  if (cue > decided || cue <= considered_) return -1;
  considered_ = cue;
  if (decided - cue > max_late_frames_) return -1;

  const int first = std::max(0, int(cue - decided));
  float confidence = 0.0f;
  int voiced = 0;
  for (int k = first; k <= lookahead; ++k) {
    confidence += path[std::size_t(k)].voiced_probability;
    voiced += path[std::size_t(k)].f0_hz > 0.0f;
  }
  confidence /= float(lookahead + 1 - first);
  if (confidence < params_.min_confidence) return -1;
  if (voicing && voiced < voicing_hold_frames_) return -1;
  const std::span<const float> tail = level_.newest().last(tail_frames_);
  if (*std::max_element(tail.begin(), tail.end()) - tail.back() > (change ? params_.change_tail_db : params_.voicing_tail_db)) return -1;
  if (change && slipped(cue, decided, path)) return -1;

  const std::span<const float> strength = strength_.newest(), level = level_.newest().last(strength.size());
  const int size = int(strength.size());
  const int attack = locate_onset(strength, level, size - 1 - int(newest - cue), change ? OnsetCue::pitch_change : OnsetCue::voicing, locator_);
  if (attack < 0) return -1;  // nothing in front of the cue sounds like an attack
  // The attack, where it is still pending; else the oldest pending frame.
  const std::int64_t at = std::max(decided, newest - (size - 1 - attack));
  const double near = OnsetCueMerge::kNearS * params_.frame_rate;
  const double after = (change ? OnsetCueMerge::kAfterAttackChangeS : OnsetCueMerge::kAfterAttackVoicingS) * params_.frame_rate;
  if (std::abs(double(at - last_cue_)) < near) return -1;
  for (std::int64_t s : spectral_) {
    if (std::abs(double(at - s)) < near) return -1;   // the spectral onset is this note's
    if (s < at && double(at - s) < after) return -1;  // the decay of the note it marked
  }
  last_cue_ = at;
  return at;
}

}  // namespace etude::dsp
