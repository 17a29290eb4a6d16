#pragma once
// Chord segments from per-frame chord scores, whatever scored them (the template baseline's
// similarities or the trained classifier's log-probabilities): a Viterbi pass in which changing chord
// costs more than staying (so segments do not flicker), then segments shorter than min_segment_s are
// merged into a neighbour. Offline (allocates): the CLI and benchmarks use it.

#include <span>
#include <vector>

namespace etude::analysis {

struct ChordDecodeParams {
  float change_prob = 0.02f;   // per-frame probability of changing chord, valid 1e-6..0.5
  float min_segment_s = 0.0f;  // merge shorter segments into their neighbour, valid 0..10

  const char* validate() const;  // nullptr when valid
};

struct ChordSpan {
  float start_s = 0;
  float end_s = 0;
  int chord = 0;          // index into the scorer's labels
  float confidence = 0;   // mean of `probabilities` of this chord over the span's frames (0 when none given)
};

// scores: frames x classes log-likelihoods, frame-major; frame t describes times_s[t] (ascending);
// end_s closes the last span (the first starts at 0). probabilities (optional, the same shape) give
// each span's confidence. Ties prefer staying, then the lower class index.
std::vector<ChordSpan> decode_chords(std::span<const float> scores, int classes, std::span<const float> times_s,
                                     float end_s, const ChordDecodeParams& params,
                                     std::span<const float> probabilities = {});

}  // namespace etude::analysis
