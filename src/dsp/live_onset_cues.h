#pragma once
// Live note onsets from the pitch track: the causal counterpart of the "pitch-track cues" that
// `etude analyze onsets` adds to the SuperFlux onsets (src/cli/commands.cpp, onset_times). Legato playing
// and singing change note without an attack the spectral peak picker can see; the pitch track says that a
// note began. Offline, NoteTracker finds those note starts on the whole-file track (a pitch change held
// pitch_change_s, or voicing after an unvoiced gap) and onset_locator checks them against the onset strength.
//
// Live, a frame leaves the analyser when its pitch is decided, lookahead_frames hops after its time, and a
// flag can only be written into a frame that has not left. So the same NoteTracker runs on the decided
// frames, and every hop a copy of it is also fed the frames still pending, as the fixed-lag Viterbi's best
// path through its look-ahead has them now (PitchTracker::path()). When the copy has opened a note by a
// pitch change or a voicing start, the cue is considered once, when the frame it starts at is the oldest
// one still pending (the most frames after it seen; a start that the decided track alone shows, up to
// max_late_s older, is flagged on that oldest pending frame). Nothing waits longer than the pitch decision
// already does, so a pitch change must hold only change_hold_s (about the look-ahead: 21 ms at the app's
// hop) where offline holds 80 ms; the checks below stand in for the rest. Development sets (branch
// `liveon`): without them the cues cost plucked notes 0.02-0.08 F@50ms in noise and reverb (and cost the
// reverberant drums up to 0.02), mostly in decaying tails, where the track slips between an octave or a
// twelfth of one sound or drops in and out of voicing; with them no percussive cell moves and the plucked
// cells move by one onset at most, while the legato rows gain 0.19-0.34.
//
// A cue is flagged only when
// - the pitch track is confident over its frames in the path (mean voicing probability at least
//   min_confidence);
// - a voicing start stays voiced for voicing_hold_s of the path;
// - the newest level is no more than change_tail_db / voicing_tail_db under the highest of the last
//   tail_span_s: a tail coming back into voicing or changing octave as it fades is no new note (a legato
//   note does not start 8-12 dB under the one before);
// - for a pitch change, the track has not slipped between candidates of one sound: the old pitch (the
//   decided track's median over the slip_span_s before the cue; the frames next to the cue may already
//   lean towards the new note) is not still among the YIN candidates of every frame from the cue on, and
//   the new pitch was not among the candidates of half the frames of the slip_span_s before the cue (a new
//   note's period is new; an octave or a twelfth of the old one is there all along). A real leap of an
//   octave up is refused too and left to the spectral onset;
// - and then the offline checks with the offline values (OnsetCueMerge): the onset locator must find an
//   attack peak (OnsetLocatorParams::min_strength) in the onset strength before the cue; no onset may be
//   flagged within kNearS; a cue less than kAfterAttackChangeS (pitch change) or kAfterAttackVoicingS
//   (voicing start) after a spectral onset is that note's own decay.
// A spectral onset decided within kNearS after a cue flag that is still pending replaces it (the spectral
// onset times an attack better); one decided within kNearS after a cue flag that has already left is the
// same note, heard already, and is not flagged again.
//
// Allocation only at construction; add_frame(), spectral() and decide() never allocate, lock or throw.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/note_tracker.h"
#include "dsp/onset_locator.h"
#include "dsp/pitch_tracker.h"
#include "dsp/sample_history.h"
#include "dsp/yin_pitch.h"

namespace etude::dsp {

// How pitch-track cues merge with spectral onsets, offline (`etude analyze onsets`) and live alike.
// Development sets (bench/RESULTS.md, branch `cues`): the nearest true notes lie 0.21 s after a spectral
// onset for a voicing cue, 0.15 s for a pitch change (detached synth notes whose own attack the peak picker
// missed; fast legato at 0.19-0.20 s).
struct OnsetCueMerge {
  static constexpr float kNearS = 0.05f;                // a cue this near an onset is that onset
  static constexpr float kAfterAttackVoicingS = 0.19f;  // a voicing cue this soon after a spectral onset is its decay
  static constexpr float kAfterAttackChangeS = 0.14f;   // the same for a pitch-change cue
};

struct LiveOnsetCueParams {
  float frame_rate = 93.75f;           // frames per second, valid 5..2000
  int lookahead_frames = 2;            // pending frames after the decided one (path() has one more), valid 0..32
  bool pitch_changes = true;           // flag pitch-change cues
  bool voicing_starts = true;          // flag voicing-start cues
  float change_cents = 75.0f;          // NoteTrackerParams::pitch_change_cents, valid 20..1200
  float change_hold_s = 0.02f;         // NoteTrackerParams::pitch_change_s, valid 0..0.2
  float voicing_hold_s = 0.02f;        // valid 0..0.2
  float max_late_s = 0.03f;            // valid 0..0.1
  float min_confidence = 0.3f;         // valid 0..1
  float tail_span_s = 0.3f;            // valid 0.01..2
  float change_tail_db = 12.0f;        // valid 0..200
  float voicing_tail_db = 8.0f;        // valid 0..200
  float slip_cents = 60.0f;            // how near a candidate lies to the old or new pitch to count, valid 1..600
  float slip_span_s = 0.1f;            // valid 0..0.5

  const char* validate() const;  // nullptr when valid
  NoteTrackerParams notes() const;
  OnsetLocatorParams locator() const;
};

class LiveOnsetCues {
 public:
  explicit LiveOnsetCues(const LiveOnsetCueParams& params);  // params must validate()

  // Every hop, in order: the newest frame's onset strength and level (FeatureFrame::onset_strength,
  // rms_dbfs) and the YIN candidates the pitch tracker read for it.
  void add_frame(float strength, float level_dbfs, const YinCandidates& candidates);
  std::int64_t newest() const { return frames_ - 1; }  // the frame of the newest add_frame(), 0 for the first

  struct SpectralMerge {
    bool flag = true;          // flag the spectral onset
    std::int64_t unflag = -1;  // a pending cue flag it replaces, or -1
  };
  // A spectral onset decided at `frame`; `oldest_pending` is the oldest frame that has not left yet.
  SpectralMerge spectral(std::int64_t frame, std::int64_t oldest_pending);

  // After the pitch tracker decided frame newest() - lookahead_frames: path is PitchTracker::path(), the
  // decided frame first. Returns the frame to flag (the decided frame or a newer, pending one), or -1.
  std::int64_t decide(std::span<const PitchPoint> path);
  void reset();

 private:
  bool spectral_at(std::int64_t frame) const;
  float time_of(std::int64_t frame) const { return float(double(frame) / double(params_.frame_rate)); }
  const YinCandidates& candidates_at(std::int64_t frame) const;
  bool has_candidate_near(std::int64_t frame, float hz) const;
  bool slipped(std::int64_t cue, std::int64_t decided, std::span<const PitchPoint> path) const;

  LiveOnsetCueParams params_;
  OnsetLocatorParams locator_;
  NoteTracker notes_;  // on the decided frames
  NoteTracker probe_;  // scratch: notes_ and the pending frames
  std::size_t tail_frames_;  // the level frames of the tail test (tail_span_s)
  SampleHistory strength_;  // the locator's frames
  SampleHistory level_;     // the locator's frames or the tail test's, whichever are more
  std::vector<YinCandidates> candidates_;  // ring, one per frame
  std::vector<float> decided_f0_;          // ring, one per frame
  int voicing_hold_frames_, max_late_frames_, slip_frames_;
  std::int64_t frames_ = 0;
  std::int64_t considered_ = 0;  // the newest cue start already considered
  std::int64_t last_cue_ = 0;    // the newest cue flagged
  std::array<std::int64_t, 16> spectral_{};  // the newest spectral onsets, ring (at most one per 30 ms)
  std::size_t spectral_next_ = 0;
};

}  // namespace etude::dsp
