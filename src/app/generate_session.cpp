#include "app/generate_session.h"

#include <algorithm>
#include <cstdio>

#include "ml/melody_codec.h"
#include "music/rule_melody.h"

namespace etude::app {

PitchRange practice_range(const music::Instrument& instrument, int difficulty) {
  static constexpr int kWidth[] = {9, 10, 12, 14, 17};
  const int lo = std::max(instrument.low_midi, music::kLowestMidi);
  const int hi = std::min(instrument.high_midi, music::kHighestMidi);
  const int width = kWidth[std::clamp(difficulty, 1, 5) - 1];
  if (hi - lo <= width) return {lo, std::max(hi, lo + 5)};
  // The middle of the instrument's range, a little low: the top of a range is the hard part.
  const int centre = (lo + hi) / 2 - 1;
  const int low = std::clamp(centre - width / 2, lo, hi - width);
  return {low, low + width};
}

PitchRange in_key_range(PitchRange r, int key, music::Mode mode) {
  if (!music::in_key(r.low, key, mode) && r.low > music::kLowestMidi) --r.low;
  if (!music::in_key(r.high, key, mode) && r.high < music::kHighestMidi) ++r.high;
  return r;
}

double seconds_per_step(music::Meter meter, double beats_per_minute) {
  return 60.0 / beats_per_minute / double(music::steps_per_beat(meter));
}

bool GenerateSession::generate() {
  asked_ = spec;
  asked_seed_ = next_seed_++;
  if (model_failed_) {
    use_rules(model_failure_);
    return false;
  }
  noise_.assign(std::size_t(kBatch) * ml::kNoiseDim, 0.0f);
  ml::fill_noise(asked_seed_, noise_);
  const auto row = ml::condition_vector(asked_);
  conditions_.clear();
  for (int i = 0; i < kBatch; ++i) conditions_.insert(conditions_.end(), row.begin(), row.end());
  waiting_ = true;
  return true;
}

void GenerateSession::on_probabilities(std::span<const float> probabilities, int rows) {
  if (!waiting_) return;
  waiting_ = false;
  const std::size_t per_row = std::size_t(ml::kModelSteps) * ml::kVocab;
  if (rows <= 0 || probabilities.size() < std::size_t(rows) * per_row) {
    use_rules("The melody generator gave an answer of the wrong shape, so the rule-based generator wrote this melody.");
    return;
  }
  std::vector<music::Melody> candidates;
  for (int i = 0; i < rows; ++i) {
    candidates.push_back(ml::melody_from_probabilities(probabilities.subspan(std::size_t(i) * per_row, per_row), asked_,
                                                       asked_seed_ * kBatch + std::uint64_t(i)));
  }
  const std::vector<music::Melody> recent(recent_.begin(), recent_.end());
  const int pick = ml::pick_fresh(candidates, recent);
  if (pick < 0) {
    use_rules("The melody generator wrote no usable melody (fewer than 3 notes) for these settings, so the "
              "rule-based generator wrote this one.");
    return;
  }
  const music::Melody& chosen = candidates[std::size_t(pick)];
  const int notes = chosen.note_count();
  const int in_key = chosen.notes_in_key();  // chosen.spec is asked_
  if (double(in_key) < kMinInKey * double(notes)) {
    char why[320];
    std::snprintf(why, sizeof why,
                  "The melody generator's best try had only %d of %d notes in %s, so the rule-based generator "
                  "wrote this melody.",
                  in_key, notes, music::key_name(asked_.key, asked_.mode).c_str());
    use_rules(why);
    return;
  }
  fallback_reason_.clear();
  show(std::move(candidates[std::size_t(pick)]));
}

void GenerateSession::on_model_failed(const std::string& why) {
  model_failed_ = true;
  model_failure_ = why;
  if (waiting_) {
    waiting_ = false;
    use_rules(why);
  }
}

void GenerateSession::use_rules(const std::string& why) {
  waiting_ = false;
  fallback_reason_ = why;
  show(music::rule_melody(asked_, asked_seed_));
}

void GenerateSession::show(music::Melody m) {
  melody_ = std::move(m);
  has_melody_ = true;
  ++generated_;
  recent_.push_back(melody_);
  if (int(recent_.size()) > kRecent) recent_.pop_front();
}

}  // namespace etude::app
