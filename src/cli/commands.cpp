#include "cli/commands.h"

#include <algorithm>
#include <cmath>

#include "dsp/chord_templates.h"
#include "dsp/tempo.h"

namespace etude::cli {

namespace {
float end_time(const Analysis& a) { return float(a.stats.seconds()); }

dsp::TempoParams tempo_params(const Analysis& a) {
  dsp::TempoParams p;
  p.frame_rate = a.frame_rate();
  return p;
}

std::vector<float> onset_strength(const Analysis& a) {
  std::vector<float> env;
  env.reserve(a.frames.size());
  for (const auto& f : a.frames) env.push_back(f.onset_strength);
  return env;
}
}  // namespace

Table pitch_table(const Analysis& a) {
  Table t{{"time_s", "f0_hz", "confidence"}, {}};
  const auto track = a.offline_pitch();
  const float lead = a.params.pitch_lead_s();
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    const float time = a.frames[i].time_s + lead;  // the centre of what the pitch describes
    if (time < 0 || time > end_time(a)) continue;
    t.rows.push_back({time, track[i].f0_hz, track[i].voiced_probability});
  }
  return t;
}

std::vector<dsp::Note> notes_of(const Analysis& a) {
  dsp::NoteTrackerParams p;
  p.frame_rate = a.frame_rate();
  dsp::NoteTracker tracker(p);
  const auto track = a.offline_pitch();
  std::vector<dsp::Note> notes;
  const float lead = a.params.pitch_lead_s();
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    if (tracker.push(a.frames[i].time_s + lead, track[i].f0_hz, a.frames[i].onset > 0)) notes.push_back(tracker.note());
  }
  if (tracker.finish(end_time(a))) notes.push_back(tracker.note());
  return notes;
}

std::vector<float> onset_times(const Analysis& a) {
  std::vector<float> times;
  for (const auto& f : a.frames) {
    if (f.onset > 0 && f.time_s >= 0) times.push_back(f.time_s);
  }
  std::vector<float> spectral = times;
  for (const dsp::Note& n : notes_of(a)) {
    if (!n.pitch_change_onset) continue;
    const bool near = std::any_of(spectral.begin(), spectral.end(), [&](float t) { return std::abs(t - n.onset_s) < 0.05f; });
    if (!near) times.push_back(n.onset_s);
  }
  std::sort(times.begin(), times.end());
  return times;
}

Table onsets_table(const Analysis& a) {
  Table t{{"time_s"}, {}};
  for (float time : onset_times(a)) t.rows.push_back({time});
  return t;
}

Table tempo_table(const Analysis& a) {
  const dsp::TempoEstimate e = dsp::estimate_tempo(onset_strength(a), tempo_params(a));
  return Table{{"bpm", "confidence"}, {{e.bpm, e.confidence}}};
}

Table beats_table(const Analysis& a) {
  Table t{{"time_s"}, {}};
  const auto env = onset_strength(a);
  const dsp::TempoEstimate e = dsp::estimate_tempo(env, tempo_params(a));
  if (e.bpm <= 0) return t;
  const float frame_s = 1.0f / a.frame_rate();
  for (float b : dsp::track_beats(env, e.bpm, tempo_params(a))) {
    const std::size_t i = std::size_t(b);
    if (i < a.frames.size()) t.rows.push_back({a.frames[i].time_s + (b - float(i)) * frame_s});
  }
  return t;
}

Table notes_table(const Analysis& a) {
  Table t{{"onset_s", "offset_s", "midi", "cents"}, {}};
  for (const dsp::Note& n : notes_of(a)) t.rows.push_back({n.onset_s, n.offset_s, n.midi, n.cents});
  return t;
}

Table chords_table(const Analysis& a) {
  dsp::ChordParams p;
  p.min_segment_s = 0.2f;
  const int every = a.params.chroma_every_frames;
  // Chroma describes its own (longer) window, whose centre lies before the frame's pitch-window centre.
  const float chroma_lag_s =
      float(a.params.chroma_frame() * a.params.decimation() / 2 - a.params.window_centre_samples()) / a.params.sample_rate;
  p.frame_rate = a.frame_rate() / float(every);
  std::vector<dsp::ChromaFrame> chroma;
  std::vector<float> times;
  for (std::size_t i = 0; i < a.frames.size(); i += std::size_t(every)) {
    dsp::ChromaFrame c;
    std::copy(std::begin(a.frames[i].chroma), std::end(a.frames[i].chroma), c.chroma.begin());
    std::copy(std::begin(a.frames[i].bass_chroma), std::end(a.frames[i].bass_chroma), c.bass.begin());
    chroma.push_back(c);
    times.push_back(std::max(0.0f, a.frames[i].time_s - chroma_lag_s));
  }
  Table t{{"start_s", "end_s", "label"}, {}};
  for (const auto& s : dsp::recognise_chords(chroma, times, end_time(a), p)) t.rows.push_back({s.start_s, s.end_s, s.label()});
  return t;
}

Table features_table(const Analysis& a) {
  Table t;
  t.columns.assign(dsp::kFeatureFrameFieldNames.begin(), dsp::kFeatureFrameFieldNames.end());
  for (const auto& f : a.frames) {
    if (f.time_s < 0 || f.time_s > end_time(a)) continue;
    const float* v = reinterpret_cast<const float*>(&f);
    std::vector<Cell> row(v, v + dsp::kFeatureFrameFloats);
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace etude::cli
