#pragma once
// Measures the round trip of this device: clicks played through the speaker are heard by the
// microphone some milliseconds later; that delay is subtracted from every timing judgement.
// With headphones the microphone cannot hear the clicks, so the fallback is to tap or clap along:
// the same matching then measures how late the student's taps arrive, which is what a rhythm
// judgement needs corrected. All times are audio frames of the shared AudioContext.

#include <cstdint>
#include <vector>

namespace etude::app {

struct LatencyResult {
  bool ok = false;
  float latency_ms = 0;  // trimmed mean of the matched delays
  float spread_ms = 0;   // half the range of the kept delays: how steady the measurement was
  int matched = 0;       // clicks that had an onset after them
  int clicks = 0;
};

class LatencyCalibration {
 public:
  enum class Mode { Loudspeaker, TapAlong };
  static constexpr int kClicks = 12;
  static constexpr float kBpm = 100.0f;  // 0.6 s apart: not a multiple of the analysis hop

  void start(Mode mode, double sample_rate);
  void cancel() { running_ = false; }
  bool running() const { return running_; }
  Mode mode() const { return mode_; }

  void add_click(double frame);
  void add_onset(double frame);
  // True once every click has sounded and the last one has had time to be heard.
  bool complete(double now_frame) const;
  LatencyResult finish();  // stops and computes

 private:
  Mode mode_ = Mode::Loudspeaker;
  bool running_ = false;
  double rate_ = 48000.0;
  std::vector<double> clicks_, onsets_;
};

}  // namespace etude::app
