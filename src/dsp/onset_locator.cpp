#include "dsp/onset_locator.h"

#include <algorithm>

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

}  // namespace etude::dsp
