#pragma once
// Places a note onset that the pitch track found (a pitch change inside a voiced stretch, or voicing
// that starts) at its attack. Slow attacks (flute, bowed strings, voice) leave a low bump in the
// SuperFlux onset strength right where the note begins, too low for the adaptive threshold, while the
// pitch track only settles on the new note 30-150 ms later. The locator looks back from the pitch
// cue over a short window, takes the frame with the largest onset strength, and moves back over the
// frames next to it that hold at least `fraction` of that peak (the attack's first frames). A peak
// under min_strength is no attack, and the cue no onset (pitch tracks wander in reverberant tails and
// noise; those cues have nothing in front of them). For a voicing start only frames louder than
// `rise_frames` before count: the flux that a note's end splatters into empty bands comes with
// falling level and must not be taken for the next attack.
//
// Causal: it reads the cue frame, the frames before it and, for a voicing start, voicing_after_frames
// after it (a soft attack's strength often peaks just after the first voiced frame). A pitch-change
// onset is therefore known when the pitch cue is (NoteTracker: pitch_change_s after the change, plus
// the pitch look-ahead) and a voicing onset voicing_after_frames hops later; either is time-stamped up
// to its window earlier than its cue. Allocation-free.

#include <span>

namespace etude::dsp {

enum class OnsetCue { pitch_change, voicing };

struct OnsetLocatorParams {
  float frame_rate = 93.75f;         // frames per second, valid 5..2000
  float change_window_s = 0.15f;     // look-back before a pitch change, valid 0..0.5
  float voicing_window_s = 0.10f;    // look-back before a voicing start, valid 0..0.5
  float fraction = 0.5f;             // of the window's peak strength that still counts as the attack, valid 0..1
  float min_strength = 1.1f;         // weakest attack peak; OnsetParams::delta, the peak picker's fixed margin, valid 0..100
  int rise_frames = 2;               // a voicing attack frame is louder than this many frames before, valid 1..16
  int voicing_after_frames = 1;      // frames after a voicing start that may hold its attack, valid 0..8
  // In broadband noise the onset strength never rests: the largest frame of a pitch-change cue's window
  // is then as often the noise's as the attack's. When the window's peak stays under noise_factor times
  // the noise floor (onset_strength_floor: the noise_quantile of the strength over the noise_span_s up to
  // the cue), the attack is not in the strength and a pitch-change cue keeps its own frame: a pitch
  // change inside a voiced stretch is timed by the pitch track to a frame or two. 0 turns this off (the
  // default; `etude analyze onsets` uses 2.5). Voicing cues are not moved: in noise the voicing start is
  // itself uncertain.
  float noise_factor = 0.0f;         // valid 0..100
  float noise_span_s = 1.0f;         // valid 0.05..10
  float noise_quantile = 0.2f;       // valid 0..1

  const char* validate() const;  // nullptr when valid
};

// strength: onset strength per frame (FeatureFrame::onset_strength); level_db: the frames' level
// (FeatureFrame::rms_dbfs); both oldest first, through cue_frame (and voicing_after_frames more for a
// voicing cue, where there are). Returns the frame index where the attack begins, or -1 when the
// window holds no attack (no peak of min_strength) or cue_frame is out of range.
// noise_floor: onset_strength_floor() at the cue (used only when params.noise_factor > 0).
int locate_onset(std::span<const float> strength, std::span<const float> level_db, int cue_frame, OnsetCue cue,
                 const OnsetLocatorParams& params, float noise_floor = 0.0f);

// The noise_quantile of strength[frame - noise_span_s .. frame] (the frames that exist): where the onset
// strength of the stationary part of the sound (noise, hum) lies. scratch must hold
// noise_span_s * frame_rate + 1 values; nothing is allocated. 0 when frame is out of range.
float onset_strength_floor(std::span<const float> strength, int frame, const OnsetLocatorParams& params, std::span<float> scratch);
int onset_floor_frames(const OnsetLocatorParams& params);  // the scratch size onset_strength_floor needs

// A re-articulated note (a tongue stroke, a bow change, a key struck again on a held note): the level of a
// pitched sound dips and comes back, with too little spectral flux for the peak picker and, when the
// pitch repeats, no pitch cue. A frame is a re-attack when its level is the lowest from fall_s before it
// to rise_s after it, lies depth_db under the highest level of the fall_s before and of the rise_s after,
// the level comes back to within return_db of the highest level over the held_s before it (a note held,
// not a fading tail: a tail's wobble never climbs back), the pitch track is voiced within the rise, and
// no other such dip lies within isolation_s before it (tremolo and a decaying sample's beating dip again
// and again). Causal, rise_s late. Parameters chosen on the development sets (bench/RESULTS.md).
struct ReattackParams {
  float frame_rate = 86.13f;   // frames per second, valid 5..2000
  float depth_db = 8.0f;       // valid 1..60
  float fall_s = 0.06f;        // valid 0.005..0.5
  float rise_s = 0.04f;        // valid 0.005..0.5
  float return_db = 2.0f;      // valid 0..60
  float held_s = 0.2f;         // valid 0..2
  float isolation_s = 0.3f;    // valid 0..2

  const char* validate() const;  // nullptr when valid
};

// level_db: the frames' level (FeatureFrame::rms_dbfs); f0_hz: the pitch track on the same frames (0 =
// unvoiced); both oldest first.
bool is_reattack(std::span<const float> level_db, std::span<const float> f0_hz, int frame, const ReattackParams& params);

}  // namespace etude::dsp
