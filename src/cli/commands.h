#pragma once
// What each `etude analyze` command computes from one Analysis, as a Table.

#include <string>
#include <vector>

#include "cli/analysis.h"
#include "cli/model_runner.h"
#include "cli/table.h"
#include "dsp/note_tracker.h"

namespace etude::cli {

// pitch: time_s,f0_hz,confidence per hop (whole-file pYIN Viterbi; f0 0 when unvoiced, or with
// unvoiced_negative the frame's most probable YIN candidate negated, 0 only where there is none).
Table pitch_table(const Analysis& a, bool unvoiced_negative = false);
// onsets: time_s of SuperFlux onsets, plus the notes the pitch track starts (pitch changes and voicing
// starts, placed at their attack by dsp::locate_onset) that are not within 50 ms of one, plus re-articulated
// held notes (dsp::is_reattack); an onset at the very start is kept only when the sound changes after it.
std::vector<float> onset_times(const Analysis& a);
std::vector<float> onset_times(const Analysis& a, const std::vector<dsp::PitchPoint>& track);  // a.offline_pitch()
Table onsets_table(const Analysis& a);
// tempo: bpm,confidence from the onset-strength autocorrelation.
Table tempo_table(const Analysis& a);
// beats: time_s from dynamic-programming beat tracking at that tempo.
Table beats_table(const Analysis& a);
// notes: onset_s,offset_s,midi,cents.
std::vector<dsp::Note> notes_of(const Analysis& a);
Table notes_table(const Analysis& a);
// chords: start_s,end_s,label (Harte), plus confidence in JSON, from the template baseline or the trained
// classifier (auto: the classifier when it can run, else the templates with a one-line notice).
enum class ChordModel { Auto, Templates, Classifier };
struct ChordOptions {
  ChordModel model = ChordModel::Auto;
  std::string node;         // --node (empty: model_runner.h defaults)
  std::string chord_model;  // --chord-model
};
struct ChordResult {
  Table table;
  std::string notice;  // auto fell back to the templates: why (one line)
  std::string error;   // --model classifier could not run: why (one line); table empty
};
ChordResult chords(const Analysis& a, const ChordOptions& options);
// The 24-triad template baseline on the frames' chroma.
Table template_chords_table(const Analysis& a);
// The classifier's input for a file analysed at ml::live_hop(): its model frames (ml::model_frames), one
// window every ml::kWindowStride of them, and the time each window describes (the centre of its chroma).
struct ChordWindows {
  std::vector<float> inputs;  // rows x ml::kWindowFloats
  std::vector<float> times_s;
};
ChordWindows chord_windows(const Analysis& a);
// Segments from the classifier's probabilities for those windows.
Table classifier_chords_table(const Analysis& a, const ChordWindows& windows, const ModelOutput& output);
// features: every FeatureFrame field, one row per hop (the live features, exactly as the browser computes them).
Table features_table(const Analysis& a);

}  // namespace etude::cli
