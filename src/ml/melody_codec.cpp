#include "ml/melody_codec.h"

#include <algorithm>

#include "core/random.h"

namespace etude::ml {

std::array<float, kConditionDim> condition_vector(const music::MelodySpec& spec) {
  std::array<float, kConditionDim> v{};
  v[std::size_t(spec.key)] = 1;
  v[12 + std::size_t(spec.mode)] = 1;
  v[14 + std::size_t(spec.difficulty - 1)] = 1;
  v[19 + std::size_t(spec.meter)] = 1;
  v[23 + std::size_t(spec.bars - 2)] = 1;
  // As numpy does it: the division in double, then stored as float32.
  v[26] = float((spec.low - 66.0) / 18.0);
  v[27] = float((spec.high - 66.0) / 18.0);
  return v;
}

void fill_noise(std::uint64_t seed, std::span<float> out) {
  core::Random rng(seed ^ 0xA5A5A5A5DEADBEEFull);
  for (float& x : out) x = float(rng.normal());
}

std::vector<int> argmax_tokens(std::span<const float> probabilities, int steps) {
  std::vector<int> tokens(static_cast<std::size_t>(steps));
  for (int t = 0; t < steps; ++t) {
    const float* row = probabilities.data() + std::size_t(t) * kVocab;
    tokens[std::size_t(t)] = int(std::max_element(row, row + kVocab) - row);  // first of equal maxima
  }
  return tokens;
}

std::vector<music::MelodyEvent> decode_tokens(std::span<const int> tokens) {
  std::vector<music::MelodyEvent> events;
  for (int t = 0; t < int(tokens.size()); ++t) {
    const int tok = tokens[std::size_t(t)];
    if (tok == kHoldToken && !events.empty()) {
      ++events.back().steps;
    } else if (tok >= 2) {
      events.push_back({t, 1, kPitchLo + tok - 2, 1.0f});
    } else if (!events.empty() && events.back().is_rest()) {  // rest, or hold at step 0
      ++events.back().steps;
    } else {
      events.push_back({t, 1, -1, 1.0f});
    }
  }
  return events;
}

music::Melody melody_from_probabilities(std::span<const float> probabilities, const music::MelodySpec& spec,
                                        std::uint64_t seed) {
  music::Melody m;
  m.spec = spec;
  m.source = music::MelodySource::Model;
  m.seed = seed;
  const std::vector<int> tokens = argmax_tokens(probabilities, spec.steps());
  m.events = decode_tokens(tokens);
  for (music::MelodyEvent& e : m.events) {
    e.confidence = probabilities[std::size_t(e.start) * kVocab + std::size_t(tokens[std::size_t(e.start)])];
  }
  return m;
}

namespace {
bool same_music(const music::Melody& a, const music::Melody& b) {
  if (a.events.size() != b.events.size()) return false;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const music::MelodyEvent& x = a.events[i];
    const music::MelodyEvent& y = b.events[i];
    if (x.start != y.start || x.steps != y.steps || x.midi != y.midi) return false;
  }
  return true;
}
}  // namespace

int pick_fresh(std::span<const music::Melody> candidates, std::span<const music::Melody> recent) {
  int fallback = -1, best = -1;
  double best_in_key = -1;
  for (int i = 0; i < int(candidates.size()); ++i) {
    const music::Melody& c = candidates[std::size_t(i)];
    const int notes = c.note_count();
    if (notes < 3) continue;
    if (fallback < 0) fallback = i;
    if (std::any_of(recent.begin(), recent.end(), [&](const music::Melody& r) { return same_music(c, r); })) continue;
    const double in_key = double(c.notes_in_key()) / notes;
    if (in_key > best_in_key) best_in_key = in_key, best = i;
  }
  return best >= 0 ? best : fallback;
}

}  // namespace etude::ml
