#pragma once
// The template baseline for chord recognition (the trained classifier's yardstick and fallback): 24
// triads (major and minor on 12 roots) plus N (no chord), scored by cosine similarity of the chroma
// with binary triad templates (plus a bonus when the bass chroma agrees with the root). Segments over
// time come from src/analysis/chord_segments.h, shared with the trained classifier.
// Labels follow Harte and models/chord_templates.labels.json: "C:maj" .. "B:maj", "C:min" .. "B:min", "N".

#include <span>

#include "dsp/chroma.h"

namespace etude::dsp {

struct ChordParams {
  float sharpness = 8.0f;        // scales similarities into log-likelihoods, valid 1..100
  float no_chord_similarity = 0.6f;  // a triad must beat this cosine similarity to beat N, valid 0..1
  float bass_weight = 0.15f;     // bonus for the root in the bass chroma, valid 0..1

  const char* validate() const;  // nullptr when valid
};

inline constexpr int kChordCount = 25;  // 0..11 major, 12..23 minor, 24 = N
const char* chord_label(int chord);
// Per-frame similarity of every chord (kChordCount values) for one chroma frame.
void chord_similarities(const ChromaFrame& frame, const ChordParams& params, std::span<float> out);

}  // namespace etude::dsp
