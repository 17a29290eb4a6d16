#pragma once
// pYIN's second half: a hidden Markov model over each frame's YIN candidates plus an unvoiced state,
// decoded by Viterbi. The state space is the candidate lattice itself (at most YinCandidates::kMax
// voiced states + 1 unvoiced per frame), so a frame costs about 80 transitions instead of pYIN's
// thousands of pitch bins, and the decoded f0 keeps each candidate's interpolated precision.
//
// Transitions: staying voiced costs little within a glide range (a triangle in cents), more for a leap
// (jump_prob, a new note); switching voicing costs voicing_switch_prob.
// Live: PitchTracker decides each frame lookahead_frames later by fixed-lag Viterbi (causal, short
// look-ahead); allocation only at construction. Offline: track_pitch_offline() decodes a whole file.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/yin_pitch.h"

namespace etude::dsp {

struct PitchTrackerParams {
  float frame_rate = 93.75f;            // analysis frames per second (sample_rate / hop), valid 5..2000
  int lookahead_frames = 2;             // live decisions wait this many frames, valid 0..32
  float voicing_switch_prob = 0.01f;    // valid 1e-5..0.5
  float glide_cents_per_s = 6000.0f;    // fastest continuous pitch motion, valid 100..100000
  float jump_prob = 0.02f;              // a leap beyond the glide range (a new note), valid 1e-6..0.5
  float unvoiced_weight = 0.05f;        // scales the unvoiced observation 1 - P(voiced), valid 1e-4..1

  const char* validate() const;  // nullptr when valid
};

struct PitchPoint {
  float f0_hz = 0;               // 0 when unvoiced
  float voiced_probability = 0;  // YIN candidates' total probability for the frame, 0..1
};

class PitchTracker {
 public:
  explicit PitchTracker(const PitchTrackerParams& params);  // params must validate()

  // Adds the next frame. Returns true when the frame lookahead_frames back is decided; read it with decided().
  bool push(const YinCandidates& frame);
  PitchPoint decided() const { return decided_; }
  // The best path through the look-ahead as it stands after the last push() that returned true: path()[0]
  // is decided(), path()[k] the frame k hops after it (path().back() the newest). Frames after the decided
  // one may still change with the next push; the live onset cues (LiveAnalyzer) read them to see a note
  // change while its frames are still pending.
  std::span<const PitchPoint> path() const { return path_; }
  int latency_frames() const { return params_.lookahead_frames; }
  void reset();

  // Lattice step shared by live and offline decoding.
  struct Column {
    static constexpr int kUnvoiced = YinCandidates::kMax;
    YinCandidates candidates;
    std::array<float, YinCandidates::kMax> cents{};              // candidate f0 in cents re 1 Hz
    std::array<float, YinCandidates::kMax + 1> score{};          // best log-probability ending here
    std::array<std::int8_t, YinCandidates::kMax + 1> back{};     // best predecessor state
  };
  static void start_column(const PitchTrackerParams& params, const YinCandidates& frame, Column& out);
  static void step_column(const PitchTrackerParams& params, const Column& previous, const YinCandidates& frame, Column& out);
  static PitchPoint point(const Column& column, int state);

 private:
  PitchTrackerParams params_;
  std::vector<Column> ring_;  // lookahead_frames + 1 columns
  std::int64_t frames_ = 0;
  PitchPoint decided_;
  std::vector<PitchPoint> path_;  // lookahead_frames + 1 points, oldest (the decided frame) first
};

// Whole-file Viterbi (allocates; for the CLI, never the audio thread). One point per input frame.
std::vector<PitchPoint> track_pitch_offline(std::span<const YinCandidates> frames, const PitchTrackerParams& params);

}  // namespace etude::dsp
