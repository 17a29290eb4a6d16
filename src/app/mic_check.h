#pragma once
// The microphone check before a scored exercise: measure the room while the student is quiet,
// then their playing, and say in plain words what to change ("move closer", "too loud",
// "is a fan on?"). Pure logic over FeatureFrames, unit-tested natively.

#include <string_view>
#include <vector>

#include "dsp/feature_frame.h"

namespace etude::app {

enum class MicCheckStep { NotStarted, Quiet, Play, Done };

struct MicCheckResult {
  float noise_floor_dbfs = 0;  // median level while quiet
  float noise_flatness = 0;    // median spectral flatness while quiet (1 = broadband, like a fan)
  float playing_dbfs = 0;      // 90th percentile level while playing
  float snr_db = 0;            // playing_dbfs - noise_floor_dbfs
  bool ready = false;          // nothing to fix
  std::vector<std::string_view> advice;  // what to change, most important first; one line when ready
};

class MicCheck {
 public:
  static constexpr float kStepSeconds = 3.0f;

  void start(float now_s);  // begins the quiet step
  // Feeds a frame; moves Quiet -> Play -> Done as each step's time passes. True when the step changed.
  bool on_frame(const dsp::FeatureFrame& frame);
  void cancel();

  MicCheckStep step() const { return step_; }
  float step_progress(float now_s) const;  // 0..1 through the current step
  const MicCheckResult& result() const { return result_; }  // valid when step() == Done

  // Thresholds (dBFS), shared with the tests.
  static constexpr float kNoisyRoomDbfs = -50.0f;
  static constexpr float kTooQuietDbfs = -35.0f;
  static constexpr float kTooLoudDbfs = -6.0f;
  static constexpr float kMinSnrDb = 20.0f;

 private:
  void finish();

  MicCheckStep step_ = MicCheckStep::NotStarted;
  float step_start_s_ = 0;
  std::vector<float> quiet_levels_, quiet_flatness_, play_levels_;
  MicCheckResult result_;
};

}  // namespace etude::app
