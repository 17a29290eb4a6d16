#include "dsp/chord_templates.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace etude::dsp {

namespace {
constexpr int kNoChord = 24;
constexpr std::array<const char*, kChordCount> kLabels = {
    "C:maj", "C#:maj", "D:maj", "D#:maj", "E:maj", "F:maj", "F#:maj", "G:maj", "G#:maj", "A:maj", "A#:maj", "B:maj",
    "C:min", "C#:min", "D:min", "D#:min", "E:min", "F:min", "F#:min", "G:min", "G#:min", "A:min", "A#:min", "B:min", "N"};
}  // namespace

const char* ChordParams::validate() const {
  if (!(sharpness >= 1.0f && sharpness <= 100.0f)) return "sharpness must be 1..100";
  if (!(no_chord_similarity >= 0.0f && no_chord_similarity <= 1.0f)) return "no_chord_similarity must be 0..1";
  if (!(bass_weight >= 0.0f && bass_weight <= 1.0f)) return "bass_weight must be 0..1";
  return nullptr;
}

const char* chord_label(int chord) { return chord >= 0 && chord < kChordCount ? kLabels[std::size_t(chord)] : "N"; }

void chord_similarities(const ChromaFrame& frame, const ChordParams& p, std::span<float> out) {
  double norm = 0;
  for (float v : frame.chroma) norm += double(v) * v;
  if (norm <= 1e-12) {
    std::fill(out.begin(), out.end(), 0.0f);
    out[kNoChord] = 1.0f;
    return;
  }
  const double inv = 1.0 / (std::sqrt(norm) * std::sqrt(3.0));
  for (int root = 0; root < 12; ++root) {
    for (int minor = 0; minor < 2; ++minor) {
      const int third = (root + (minor ? 3 : 4)) % 12, fifth = (root + 7) % 12;
      const double dot = frame.chroma[std::size_t(root)] + frame.chroma[std::size_t(third)] + frame.chroma[std::size_t(fifth)];
      out[std::size_t(root + 12 * minor)] = float(dot * inv + p.bass_weight * frame.bass[std::size_t(root)]);
    }
  }
  out[kNoChord] = p.no_chord_similarity;
}

}  // namespace etude::dsp
