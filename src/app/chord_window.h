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
#include <string>

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

  // out: kRowFloats values, the window, oldest frame first (row 0 of the occlusion batch).
  void window(std::span<float> out) const;
  // out: kRows * kRowFloats values. Row 0 is the window; row 1 + p has every semitone of pitch class p
  // (every octave of it) zeroed in every frame; row 13 + g has all semitones of frames 4g..4g+3 zeroed.
  void occlusion_batch(std::span<float> out) const;

 private:
  std::array<std::array<float, kFields>, kFrames> ring_{};
  std::size_t head_ = 0, count_ = 0;
  ml::LiveClock clock_;
};

// How often the explanation is refreshed. The occlusion batch is kRows classifications in one call
// (about 6 ms in Chromium's worker on the development machine, against 0.6 ms for the window alone), and
// the Chords screen asks every 0.15 s. So the batch goes only when the explanation would be stale: none
// yet, the last answer named another chord than the one explained, or the explanation is kRefreshS old.
// Otherwise the window goes alone, and the explanation shown still belongs to the label shown.
class ExplanationPacer {
 public:
  static constexpr double kRefreshS = 0.6;

  // Rows to send for a request at now_s: ChordWindow::kRows (window + occluded copies) or 1 (the window).
  int rows(double now_s) const;
  // A request went at now_s with `rows` rows.
  void sent(double now_s, int rows);
  // Its answer came back, naming top_label first. Returns false when that answer should not be shown
  // yet: a window-only answer that names a new chord (the next request, a full batch, explains it).
  bool answered(const std::string& top_label, int rows);
  // After a full batch's answer: the label its explanation belongs to.
  const std::string& explained() const { return explained_; }
  void reset();

 private:
  std::string explained_;
  double explained_at_s_ = -1e300;
  bool stale_ = true;
};

}  // namespace etude::app
