#pragma once
// The template baseline for chord recognition, until the trained classifier takes over: 24 triads
// (major and minor on 12 roots) plus N (no chord), scored by cosine similarity of the chroma with
// binary triad templates (plus a bonus when the bass chroma agrees with the root), decoded with a
// Viterbi pass that makes changing chord cost more than staying (so segments do not flicker).
// Labels follow Harte and models/chord_templates.labels.json: "C:maj" .. "B:maj", "C:min" .. "B:min", "N".
// Offline: recognise_chords() allocates (CLI use).

#include <span>
#include <string>
#include <vector>

#include "dsp/chroma.h"

namespace etude::dsp {

struct ChordParams {
  float frame_rate = 23.4375f;   // chroma frames per second, valid 1..2000
  float change_prob = 0.02f;     // per-frame probability of changing chord, valid 1e-6..0.5
  float sharpness = 8.0f;        // scales similarities into log-likelihoods, valid 1..100
  float no_chord_similarity = 0.6f;  // a triad must beat this cosine similarity to beat N, valid 0..1
  float bass_weight = 0.15f;     // bonus for the root in the bass chroma, valid 0..1
  float min_segment_s = 0.0f;    // merge shorter segments into their neighbour, valid 0..10

  const char* validate() const;  // nullptr when valid
};

inline constexpr int kChordCount = 25;  // 0..11 major, 12..23 minor, 24 = N
const char* chord_label(int chord);
// Per-frame similarity of every chord (kChordCount values) for one chroma frame.
void chord_similarities(const ChromaFrame& frame, const ChordParams& params, std::span<float> out);

struct ChordSegment {
  float start_s = 0;
  float end_s = 0;
  int chord = 24;
  std::string label() const { return chord_label(chord); }
};

// frames[i] describes time times_s[i]; end_s closes the last segment.
std::vector<ChordSegment> recognise_chords(std::span<const ChromaFrame> frames, std::span<const float> times_s,
                                           float end_s, const ChordParams& params);

}  // namespace etude::dsp
