#pragma once
// Chord segments from per-frame chord scores, whatever scored them (the template baseline's
// similarities or the trained classifier's log-probabilities): a Viterbi pass in which changing chord
// costs more than staying (so segments do not flicker), then segments shorter than min_segment_s are
// merged into a neighbour. Offline (allocates): the CLI and benchmarks use it.

#include <array>
#include <span>
#include <string>
#include <vector>

namespace etude::analysis {

struct ChordDecodeParams {
  float change_prob = 0.02f;   // per-frame probability of changing chord, valid 1e-6..0.5
  float min_segment_s = 0.0f;  // merge shorter segments into their neighbour, valid 0..10
  int no_chord = -1;           // the class meaning "no chord" (N), or -1
  // An N span shorter than this between two chords is split between them at its middle: windows that
  // straddle a change hear neither chord well, which is no reason to report silence. Valid 0..10.
  float min_no_chord_s = 0.0f;

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

// The bass note of a stretch of music from its bass chroma frames (12 pitch classes each): the pitch
// class with the largest mean, or -1 when the bass is silent (mean below 0.3) or the runner-up is within
// 0.6 of it (ambiguous).
int bass_pitch_class(std::span<const std::array<float, 12>> bass_frames);

// Harte inversion: "C:maj" with bass pitch class 4 (E) is "C:maj/3". The label stays as it is for N,
// an unknown quality, a bass on the root or off the chord, and for aug, dim7, sus2 and sus4, whose
// root only the bass names (the classifier reports them in root position).
std::string with_bass(const std::string& label, int bass_pitch_class);

}  // namespace etude::analysis
