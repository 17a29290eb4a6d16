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
  if (!(noise_factor >= 0.0f && noise_factor <= 100.0f)) return "noise_factor must be 0..100";
  if (!(noise_span_s >= 0.05f && noise_span_s <= 10.0f)) return "noise_span_s must be 0.05..10 s";
  if (!(noise_quantile >= 0.0f && noise_quantile <= 1.0f)) return "noise_quantile must be 0..1";
  return nullptr;
}

int locate_onset(std::span<const float> strength, std::span<const float> level_db, int cue_frame, OnsetCue cue,
                 const OnsetLocatorParams& p, float noise_floor) {
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
  // Nothing above what the noise alone reaches: the pitch change's own frame is the better time.
  if (cue == OnsetCue::pitch_change && p.noise_factor > 0.0f && peak < p.noise_factor * noise_floor) return cue_frame;
  // Back to the first frame of the attack: the run of frames before the peak that hold most of it.
  while (best > first && value(best - 1) >= p.fraction * peak) --best;
  return best;
}

int onset_floor_frames(const OnsetLocatorParams& p) { return int(p.noise_span_s * p.frame_rate) + 1; }

float onset_strength_floor(std::span<const float> strength, int frame, const OnsetLocatorParams& p, std::span<float> scratch) {
  if (frame < 0 || frame >= int(strength.size())) return 0.0f;
  const int first = std::max(0, frame - int(p.noise_span_s * p.frame_rate));
  const std::size_t n = std::min(scratch.size(), std::size_t(frame - first + 1));
  if (n == 0) return 0.0f;
  std::copy(strength.begin() + (frame + 1 - long(n)), strength.begin() + frame + 1, scratch.begin());
  const auto at = scratch.begin() + long(p.noise_quantile * float(n - 1));
  std::nth_element(scratch.begin(), at, scratch.begin() + long(n));
  return *at;
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
