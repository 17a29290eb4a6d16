#pragma once
// The trained chord classifier's input, live: the newest ml::kContextFrames model frames, packed as
// src/ml/chord_input.h defines (the CLI packs files the same way). Of the live analyser's frames it keeps
// the model frames (ml::is_model_frame: even index in the analyser's stream, read off the stream's clock),
// exactly those an offline analysis of the same signal keeps. Also builds the
// occlusion batch that explains a prediction: each pitch class, then each group of 4 frames, blanked
// in turn (models/chords/train.py: occlusion()).

#include <array>
#include <cstddef>
#include <span>

#include "dsp/feature_frame.h"
#include "ml/chord_input.h"

namespace etude::app {

class ChordWindow {
 public:
  static constexpr int kFrames = ml::kContextFrames;
  static constexpr int kFields = ml::kFields;
  static constexpr int kRowFloats = kFrames * kFields;
  static constexpr int kTimeGroups = kFrames / 4;
  static constexpr int kRows = 1 + 12 + kTimeGroups;  // the window, pitch classes, time groups

  // A new analyser stream (App::on_mic_state): its clock, and an empty window.
  void start(const ml::LiveClock& clock);
  void add(const dsp::FeatureFrame& frame);  // every live frame; keeps the model frames (none before start())
  void clear();
  bool full() const { return count_ >= kFrames; }

  // out: kRows * kRowFloats values. Row 0 is the window; row 1 + p has every semitone of pitch class p
  // (every octave of it) zeroed in every frame; row 13 + g has all semitones of frames 4g..4g+3 zeroed.
  void occlusion_batch(std::span<float> out) const;

 private:
  std::array<std::array<float, kFields>, kFrames> ring_{};
  std::size_t head_ = 0, count_ = 0;
  ml::LiveClock clock_;
};

}  // namespace etude::app
