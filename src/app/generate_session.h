#pragma once
// The Generate screen's state, without ImGui or the browser: the student's conditions, asking the
// melody generator for a batch of samples (one noise each), choosing a fresh one, and falling back
// to the rule-based writer when the model cannot load or writes nothing usable — with the reason,
// in words, for the screen.

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "music/instruments.h"
#include "music/melody.h"

namespace etude::app {

// A practice range for an instrument at a difficulty: inside the instrument's usual range and the
// model's C3..C6, centred on the middle of both, narrower for easy melodies (a sixth at 1 up to an
// octave and a fourth at 5) because the model's leaps follow the range (models/melody_gan.card.md).
struct PitchRange {
  int low = 60, high = 72;
};
PitchRange practice_range(const music::Instrument& instrument, int difficulty);
// The same range widened by a semitone at an end that is not a note of the key (so a C major range
// reads C4-B4, not C#4-A#4), kept inside the model's C3..C6.
PitchRange in_key_range(PitchRange range, int key, music::Mode mode);

// Beat length in 16ths is 4 (a quarter) or 6 in 6/8 (a dotted quarter); tempo counts those beats.
double seconds_per_step(music::Meter meter, double beats_per_minute);

class GenerateSession {
 public:
  static constexpr int kBatch = 8;   // samples per request: the generator repeats itself for some noises
  static constexpr int kRecent = 8;  // melodies remembered so that Regenerate gives a new one
  // A model melody with fewer of its notes in the requested key than this is not shown: the rules
  // write one instead, and say why. A safety net: the shipped model maps its scale degrees to the
  // requested mode by construction (in-key 1.000 on the test conditions, models/melody_gan.card.md);
  // the model before it wrote major-sounding melodies for most minor requests.
  static constexpr double kMinInKey = 0.9;

  explicit GenerateSession(std::uint64_t seed) : next_seed_(seed) {}

  music::MelodySpec spec;  // what the student chose; used at the next generate()

  // Starts a new melody from `spec`. True when the model must be asked: send noise() and
  // conditions() (kBatch rows each) to it, and answer with on_probabilities or on_model_failed.
  // False when the rule-based writer answered at once (the model is known to be unavailable).
  bool generate();
  std::span<const float> noise() const { return noise_; }
  std::span<const float> conditions() const { return conditions_; }

  // The model's probabilities for the last request: rows x 64 x 39.
  void on_probabilities(std::span<const float> probabilities, int rows);
  // The model cannot be used; `why` says what happened (a sentence for the student).
  void on_model_failed(const std::string& why);
  // After a failure: let the next generate() ask the model again.
  void retry_model() { model_failed_ = false; }

  bool waiting() const { return waiting_; }
  bool model_failed() const { return model_failed_; }
  bool has_melody() const { return has_melody_; }
  const music::Melody& melody() const { return melody_; }
  // Why the rule-based writer wrote the current melody ("" when the model did).
  const std::string& fallback_reason() const { return fallback_reason_; }
  int generated() const { return generated_; }  // melodies shown so far

 private:
  void use_rules(const std::string& why);
  void show(music::Melody m);

  std::uint64_t next_seed_;
  music::MelodySpec asked_;  // the spec of the request in flight
  std::uint64_t asked_seed_ = 0;
  std::vector<float> noise_, conditions_;
  bool waiting_ = false;
  bool model_failed_ = false;
  std::string model_failure_;
  bool has_melody_ = false;
  music::Melody melody_;
  std::string fallback_reason_;
  std::deque<music::Melody> recent_;
  int generated_ = 0;
};

}  // namespace etude::app
