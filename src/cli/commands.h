#pragma once
// What each `etude analyze` command computes from one Analysis, as a Table.

#include <string>
#include <vector>

#include "cli/analysis.h"
#include "cli/table.h"
#include "dsp/note_tracker.h"

namespace etude::cli {

// pitch: time_s,f0_hz,confidence per hop (whole-file pYIN Viterbi; f0 0 when unvoiced).
Table pitch_table(const Analysis& a);
// onsets: time_s of SuperFlux onsets, plus pitch-change (legato) onsets not within 50 ms of one.
std::vector<float> onset_times(const Analysis& a);
Table onsets_table(const Analysis& a);
// tempo: bpm,confidence from the onset-strength autocorrelation.
Table tempo_table(const Analysis& a);
// beats: time_s from dynamic-programming beat tracking at that tempo.
Table beats_table(const Analysis& a);
// notes: onset_s,offset_s,midi,cents.
std::vector<dsp::Note> notes_of(const Analysis& a);
Table notes_table(const Analysis& a);
// chords: start_s,end_s,label (24-triad template baseline on the frames' chroma).
Table chords_table(const Analysis& a);
// features: every FeatureFrame field, one row per hop (the live features, exactly as the browser computes them).
Table features_table(const Analysis& a);

}  // namespace etude::cli
