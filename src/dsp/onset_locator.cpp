#include "dsp/onset_locator.h"

#include <algorithm>
#include <cmath>

namespace etude::dsp {

const char* OnsetLocatorParams::validate() const {
  if (!(frame_rate >= 5.0f && frame_rate <= 2000.0f)) return "frame_rate must be 5..2000 frames/s";
  if (!(change_window_s >= 0.0f && change_window_s <= 0.5f)) return "change_window_s must be 0..0.5 s";
  if (!(voicing_window_s >= 0.0f && voicing_window_s <= 0.5f)) return "voicing_window_s must be 0..0.5 s";
  if (!(fraction >= 0.0f && fraction <= 1.0f)) return "fraction must be 0..1";
  if (!(min_strength >= 0.0f && min_strength <= 100.0f)) return "min_strength must be 0..100";
  if (!(rise_frames >= 1 && rise_frames <= 16)) return "rise_frames must be 1..16";
  if (!(voicing_after_frames >= 0 && voicing_after_frames <= 8)) return "voicing_after_frames must be 0..8";
  return nullptr;
}

int locate_onset(std::span<const float> strength, std::span<const float> level_db, int cue_frame, OnsetCue cue,
                 const OnsetLocatorParams& p) {
  const int frames = int(std::min(strength.size(), level_db.size()));
  if (cue_frame < 0 || cue_frame >= frames) return -1;
  const float window_s = cue == OnsetCue::pitch_change ? p.change_window_s : p.voicing_window_s;
  const int first = std::max(0, cue_frame - int(window_s * p.frame_rate));
  const bool need_rise = cue == OnsetCue::voicing;
  const int last = need_rise ? std::min(frames - 1, cue_frame + p.voicing_after_frames) : cue_frame;
  auto value = [&](int i) {
    if (need_rise && (i < p.rise_frames || !(level_db[std::size_t(i)] > level_db[std::size_t(i - p.rise_frames)]))) return 0.0f;
    return strength[std::size_t(i)];
  };
  int best = -1;
  float peak = 0.0f;
  for (int i = first; i <= last; ++i) {
    if (value(i) > peak) {
      peak = value(i);
      best = i;
    }
  }
  if (best < 0 || peak < p.min_strength) return -1;
  // Back to the first frame of the attack: the run of frames before the peak that hold most of it.
  while (best > first && value(best - 1) >= p.fraction * peak) --best;
  return best;
}

const char* ReattackParams::validate() const {
  if (!(frame_rate >= 5.0f && frame_rate <= 2000.0f)) return "frame_rate must be 5..2000 frames/s";
  if (!(depth_db >= 1.0f && depth_db <= 60.0f)) return "depth_db must be 1..60";
  if (!(fall_s >= 0.005f && fall_s <= 0.5f)) return "fall_s must be 0.005..0.5 s";
  if (!(rise_s >= 0.005f && rise_s <= 0.5f)) return "rise_s must be 0.005..0.5 s";
  if (!(return_db >= 0.0f && return_db <= 60.0f)) return "return_db must be 0..60";
  if (!(held_s >= 0.0f && held_s <= 2.0f)) return "held_s must be 0..2 s";
  if (!(isolation_s >= 0.0f && isolation_s <= 2.0f)) return "isolation_s must be 0..2 s";
  return nullptr;
}

namespace {
int frames_of(float seconds, float frame_rate) { return std::max(1, int(std::lround(seconds * frame_rate))); }

// The level falls depth_db into `frame`, its lowest point, and rises depth_db out of it.
bool dips(std::span<const float> level, int frame, int fall, int rise, float depth_db) {
  if (frame - fall < 0 || frame + rise >= int(level.size())) return false;
  const float low = level[std::size_t(frame)];
  float before = low, after = low;
  for (int j = frame - fall; j < frame; ++j) {
    if (!(level[std::size_t(j)] > low)) return false;
    before = std::max(before, level[std::size_t(j)]);
  }
  for (int j = frame + 1; j <= frame + rise; ++j) {
    if (!(level[std::size_t(j)] >= low)) return false;
    after = std::max(after, level[std::size_t(j)]);
  }
  return before - low >= depth_db && after - low >= depth_db;
}
}  // namespace

bool is_reattack(std::span<const float> level_db, std::span<const float> f0_hz, int frame, const ReattackParams& p) {
  const std::span<const float> level = level_db.first(std::min(level_db.size(), f0_hz.size()));
  const int fall = frames_of(p.fall_s, p.frame_rate), rise = frames_of(p.rise_s, p.frame_rate);
  if (!dips(level, frame, fall, rise, p.depth_db)) return false;
  float held = level[std::size_t(frame)], after = held;
  for (int j = std::max(0, frame - int(std::lround(p.held_s * p.frame_rate))); j < frame; ++j) held = std::max(held, level[std::size_t(j)]);
  bool voiced = false;
  for (int j = frame + 1; j <= frame + rise; ++j) {
    after = std::max(after, level[std::size_t(j)]);
    voiced = voiced || f0_hz[std::size_t(j)] > 0.0f;
  }
  if (!voiced || after < held - p.return_db) return false;
  for (int j = std::max(0, frame - int(std::lround(p.isolation_s * p.frame_rate))); j < frame; ++j) {
    if (dips(level, j, fall, rise, p.depth_db)) return false;
  }
  return true;
}

}  // namespace etude::dsp
