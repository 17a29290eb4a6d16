#include "app/mic_check.h"

#include <algorithm>

namespace etude::app {
namespace {

float percentile(std::vector<float> v, float q) {
  if (v.empty()) return dsp::kSilenceDbfs;
  auto it = v.begin() + std::ptrdiff_t(std::clamp(q, 0.0f, 1.0f) * float(v.size() - 1));
  std::nth_element(v.begin(), it, v.end());
  return *it;
}

}  // namespace

void MicCheck::start(float now_s) {
  step_ = MicCheckStep::Quiet;
  step_start_s_ = now_s;
  quiet_levels_.clear();
  quiet_flatness_.clear();
  play_levels_.clear();
  result_ = {};
}

void MicCheck::cancel() { step_ = MicCheckStep::NotStarted; }

float MicCheck::step_progress(float now_s) const {
  if (step_ != MicCheckStep::Quiet && step_ != MicCheckStep::Play) return step_ == MicCheckStep::Done ? 1.0f : 0.0f;
  return std::clamp((now_s - step_start_s_) / kStepSeconds, 0.0f, 1.0f);
}

bool MicCheck::on_frame(const dsp::FeatureFrame& f) {
  if (step_ == MicCheckStep::Quiet) {
    quiet_levels_.push_back(f.rms_dbfs);
    quiet_flatness_.push_back(f.flatness);
    if (f.time_s - step_start_s_ >= kStepSeconds) {
      step_ = MicCheckStep::Play;
      step_start_s_ = f.time_s;
      return true;
    }
  } else if (step_ == MicCheckStep::Play) {
    play_levels_.push_back(f.rms_dbfs);
    if (f.time_s - step_start_s_ >= kStepSeconds) {
      finish();
      return true;
    }
  }
  return false;
}

void MicCheck::finish() {
  step_ = MicCheckStep::Done;
  MicCheckResult& r = result_;
  r.noise_floor_dbfs = percentile(quiet_levels_, 0.5f);
  r.noise_flatness = quiet_flatness_.empty() ? 0.0f : percentile(quiet_flatness_, 0.5f);
  r.playing_dbfs = percentile(play_levels_, 0.9f);
  r.snr_db = r.playing_dbfs - r.noise_floor_dbfs;
  r.advice.clear();
  if (r.playing_dbfs > kTooLoudDbfs) {
    r.advice.push_back("Too loud: the sound may distort. Move back from the microphone a little, or play softer.");
  } else if (r.playing_dbfs < kTooQuietDbfs) {
    r.advice.push_back("We can hardly hear you. Move closer to the microphone, or play a little louder.");
  }
  if (r.noise_floor_dbfs > kNoisyRoomDbfs) {
    r.advice.push_back(r.noise_flatness > 0.3f
                           ? "The room is noisy with a steady hiss: is a fan, heater or projector on? Move away from it."
                           : "The room is noisy: other sounds are reaching the microphone. Find a quieter spot if you can.");
  }
  if (r.advice.empty() && r.snr_db < kMinSnrDb) {
    r.advice.push_back("Your playing is not much louder than the room. Move closer to the microphone.");
  }
  r.ready = r.advice.empty();
  if (r.ready) r.advice.push_back("Your microphone is ready: the level is good and the room is quiet enough.");
}

}  // namespace etude::app
