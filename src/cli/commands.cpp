#include "cli/commands.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "analysis/chord_segments.h"
#include "dsp/chord_templates.h"
#include "dsp/live_onset_cues.h"
#include "dsp/onset_locator.h"
#include "dsp/tempo.h"
#include "ml/chord_input.h"

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

Table pitch_table(const Analysis& a, bool unvoiced_negative) {
  Table t{{"time_s", "f0_hz", "confidence"}, {}};
  std::vector<dsp::YinCandidates> candidates;
  const auto track = a.offline_pitch(&candidates);
  const float lead = a.params.pitch_lead_s();
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    const float time = a.frames[i].time_s + lead;  // the centre of what the pitch describes
    if (time < 0 || time > end_time(a)) continue;
    float f0 = track[i].f0_hz;
    // MIREX / mir_eval convention: an unvoiced frame may still report its best pitch guess, negated.
    if (unvoiced_negative && f0 <= 0 && i < candidates.size()) {
      const float guess = candidates[i].best().f0_hz;  // 0 when the frame has no candidate: stays 0
      if (guess > 0) f0 = -guess;
    }
    t.rows.push_back({time, f0, track[i].voiced_probability});
  }
  return t;
}

namespace {
// The note tracker over a pitch track already computed over the frames (the whole-file Viterbi pass is the
// costly part), split at the spectral onsets and its own pitch changes: where onset_times() finds the pitch
// track's note starts (its cues).
std::vector<dsp::Note> notes_from(const Analysis& a, const std::vector<dsp::PitchPoint>& track) {
  dsp::NoteTrackerParams p;
  p.frame_rate = a.frame_rate();
  dsp::NoteTracker tracker(p);
  std::vector<dsp::Note> notes;
  const float lead = a.params.pitch_lead_s();
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    if (tracker.push(a.frames[i].time_s + lead, track[i].f0_hz, a.frames[i].onset > 0)) notes.push_back(tracker.note());
  }
  if (tracker.finish(end_time(a))) notes.push_back(tracker.note());
  return notes;
}

// How far a frame's newest hop (what its rms_dbfs measures) lies after its time_s (the pitch window's centre).
float newest_hop_lead(const Analysis& a) { return float(a.params.window_centre_samples() - a.params.hop / 2) / a.params.sample_rate; }

// The first frame whose newest hop lies at or after t (hop_lead: newest_hop_lead(a)).
std::vector<dsp::FeatureFrame>::const_iterator frame_at(const Analysis& a, float hop_lead, float t) {
  return std::lower_bound(a.frames.begin(), a.frames.end(), t, [&](const dsp::FeatureFrame& f, float s) { return f.time_s + hop_lead < s; });
}
}  // namespace

std::vector<float> onset_times(const Analysis& a) { return onset_times(a, a.offline_pitch()); }

// Notes are the whole-file pitch track cut at the onsets `analyze onsets` finds (spectral attacks, the pitch
// track's note starts placed at their attack, re-articulations) and at unvoiced gaps; the note tracker's
// own pitch-change split is off, since the onsets already hold the pitch changes that have an attack in
// front of them (the others are mostly the track slipping: an octave, a decaying tail). Each onset flags
// the frame whose pitch time is nearest it, or, where the track is not voiced yet (a soft attack), the
// first voiced frame within kVoicingWaitS; the note starts at the onset's time. Its pitch is the median of
// its frames' after the first 20 ms (an octave slip or the next note's glide in a few frames pulls a mean
// away). It ends where the track stops or at its release (below). Development sets (bench/RESULTS.md,
// session 10), note F-measure (onset within 50 ms, pitch within 50 cents): fluidsynth legato 0.53-0.59 ->
// 0.77-0.83, plucked 0.79-0.89 -> 0.90-0.95, synth legato 0.76-0.83 -> 0.87-0.98, from notes the note
// tracker split at spectral onsets and its own pitch changes; with offsets too (within 20 % of the note or
// 50 ms), the release rule takes fluidsynth legato 0.32-0.53 -> 0.52-0.67, plucked 0.39-0.50 -> 0.44-0.66,
// sung in reverb 0.79-0.80 -> 0.95-0.96 and no cell down; the release at the note's median level less 6 dB
// beats its peak less 10 dB (aubionotes' rule: plucked notes' F with offsets 0.39-0.46 -> 0.21-0.23) and
// its upper quartile less 6 dB (-> 0.23-0.34).
std::vector<dsp::Note> notes_of(const Analysis& a) {
  constexpr float kVoicingWaitS = 0.1f, kAttackS = 0.02f, kReleaseDb = 6.0f;
  const float release_hold_s = 1.0f / a.params.min_hz;  // a period of the lowest pitch the track reads
  const std::vector<dsp::PitchPoint> track = a.offline_pitch();
  const std::vector<float> onsets = onset_times(a, track);
  const float lead = a.params.pitch_lead_s();
  const std::size_t n = a.frames.size();
  auto pitch_time = [&](std::size_t i) { return a.frames[i].time_s + lead; };
  std::vector<float> flagged(n, -1.0f);  // the onset time that opens a note at this frame, or -1
  std::size_t i = 0;
  for (float t : onsets) {
    while (i + 1 < n && std::abs(pitch_time(i + 1) - t) <= std::abs(pitch_time(i) - t)) ++i;
    std::size_t j = i;
    while (j < n && track[j].f0_hz <= 0 && pitch_time(j) - t < kVoicingWaitS) ++j;
    if (j < n && track[j].f0_hz > 0 && flagged[j] < 0) flagged[j] = t;
  }
  dsp::NoteTrackerParams p;
  p.frame_rate = a.frame_rate();
  p.pitch_changes = false;
  dsp::NoteTracker tracker(p);
  std::vector<dsp::Note> notes;
  for (std::size_t k = 0; k < n; ++k) {
    if (tracker.push(pitch_time(k), track[k].f0_hz, flagged[k] >= 0)) notes.push_back(tracker.note());
  }
  if (tracker.finish(end_time(a))) notes.push_back(tracker.note());
  const float hop_lead = newest_hop_lead(a);
  auto frame_at = [&](float t) { return cli::frame_at(a, hop_lead, t); };
  auto median = [](std::vector<float>& v) {  // reorders v
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  std::vector<float> midi, levels;
  std::size_t k = 0;
  for (dsp::Note& note : notes) {
    while (k < n && pitch_time(k) < note.onset_s - 1e-5f) ++k;
    if (k < n && std::abs(pitch_time(k) - note.onset_s) < 1e-5f && flagged[k] >= 0) note.onset_s = std::min(note.onset_s, flagged[k]);
    midi.clear();
    for (std::size_t m = k; m < n && pitch_time(m) < note.offset_s; ++m) {
      if (track[m].f0_hz > 0 && pitch_time(m) >= note.onset_s + kAttackS) midi.push_back(float(69.0 + 12.0 * std::log2(track[m].f0_hz / 440.0)));
    }
    if (!midi.empty()) {  // else shorter than the attack: the tracker's mean stands
      const float pitch = median(midi);
      note.midi = int(std::lround(pitch));
      note.cents = 100.0f * (pitch - float(note.midi));
    }
    // The release: the first frame at least min_note_s in where the level falls kReleaseDb under the note's
    // median level and stays there for release_hold_s (a low note's per-hop level swings when a hop is
    // shorter than its period). A reverberant or ringing tail keeps the pitch track voiced well after it.
    const auto first = frame_at(note.onset_s), last = frame_at(note.offset_s);
    levels.clear();
    for (auto f = first; f < last; ++f) levels.push_back(f->rms_dbfs);
    if (levels.empty()) continue;
    const float under = median(levels) - kReleaseDb;
    for (auto f = frame_at(note.onset_s + p.min_note_s); f < last; ++f) {
      const auto held = std::max(f + 1, frame_at(f->time_s + hop_lead + release_hold_s));
      if (held <= last && std::all_of(f, held, [&](const dsp::FeatureFrame& g) { return g.rms_dbfs < under; })) {
        note.offset_s = f->time_s + hop_lead;
        break;
      }
    }
  }
  return notes;
}

std::vector<float> onset_times(const Analysis& a, const std::vector<dsp::PitchPoint>& track) {
  std::vector<float> times;
  for (const auto& f : a.frames) {
    if (f.onset > 0 && f.time_s >= 0) times.push_back(f.time_s);
  }
  // Soft attacks rarely pass the spectral threshold; the pitch track finds those notes late, and the
  // locator moves each one back to the low onset-strength bump where it began (or drops it: no bump).
  const std::vector<float> strength = onset_strength(a);
  std::vector<float> level;
  level.reserve(a.frames.size());
  for (const auto& f : a.frames) level.push_back(f.rms_dbfs);
  dsp::OnsetLocatorParams lp;
  lp.frame_rate = a.frame_rate();
  // In noise, a pitch change whose window holds nothing above 2.5 times the onset strength's 20th
  // percentile over the last second stays at its own frame (development sets: legato SNR 10 dB
  // 0.811 -> 0.868; bench/RESULTS.md, branch onsets2).
  lp.noise_factor = 2.5f;
  std::vector<float> floor_scratch(std::size_t(dsp::onset_floor_frames(lp)));
  const float lead = a.params.pitch_lead_s();
  // A pitch-track cue placed shortly after a spectral onset is that note's own decay, not a new note: a
  // drum's pitched ring drops out of voicing and comes back, a reverberant harp's or a bent string's
  // track settles on a new pitch after the locator's window has passed the attack. A voicing cue placed
  // less than kAfterAttackVoicingS after a spectral onset, a pitch-change cue less than
  // kAfterAttackChangeS after one, is dropped. Development sets (bench/RESULTS.md, branch cues): the
  // nearest true notes lie 0.21 s after an attack for a voicing cue, 0.15 s for a pitch change (detached
  // synth notes whose own attack the peak picker missed; fast legato at 0.19-0.20 s). The windows count
  // from the spectral onset: where noise makes it fire late, a next note's voicing cue can fall inside.
  // The live analyser's cues (dsp::LiveOnsetCues) merge by the same values.
  constexpr float kAfterAttackVoicingS = dsp::OnsetCueMerge::kAfterAttackVoicingS;
  constexpr float kAfterAttackChangeS = dsp::OnsetCueMerge::kAfterAttackChangeS;
  const std::size_t spectral = times.size();
  const float hop_lead = newest_hop_lead(a);
  auto frame_at = [&](float t) { return cli::frame_at(a, hop_lead, t); };
  auto level_max = [&](float from, float to) {  // the loudest frame whose newest hop lies in [from, to)
    float loudest = dsp::kSilenceDbfs;
    for (auto f = frame_at(from), end = frame_at(to); f < end; ++f) loudest = std::max(loudest, f->rms_dbfs);
    return loudest;
  };
  // A pitch-track cue in the ringing tail of a plucked or struck note is that tail, not a new note. As a
  // low string rings out in a reverberant room its pitch track jumps to a subharmonic or another partial
  // for a few frames; that pulls the note tracker's mean pitch away from the true pitch, which then reads
  // as a pitch change 0.2-0.7 s after the attack. The tail can also drop out of voicing for a few frames
  // and come back (a voicing cue). A cue is taken for the tail when, within kTailSpanS of the last
  // spectral onset, the loudest frame over the kTailWindowS before the cue lies more than kTailDropDb
  // under the loudest frame over the kTailWindowS after that onset (the sound has rung down), and the
  // loudest frame over the kTailRiseSpanS after the cue is less than kTailRiseDb above it (nothing new
  // sounds). A new note, even a slurred one, brings its own energy. The rise is measured only up to
  // kAttackLeadS before the next spectral onset, because that attack shows in the level frames (which
  // describe the newest hop) about that much before SuperFlux marks it. A legato cue often sits in the
  // previous note's release, where the level falls, but that note was held rather than left to ring
  // down, so the level just before the cue is still near the level after its attack. A level test alone
  // (the 50 ms after the cue 1-3 dB under the 50 ms before) dropped those and cost legato 0.03-0.10 F.
  // Development sets (branch pluck): the 28 cues dropped (harp, piano and pizzicato tails, drums in
  // reverb) lie 11-25 dB down and rise -7..+0.3 dB, at most 1.5 s after the attack. Of the true onsets
  // found by a cue, none that rises less than 6 dB lies more than 8.6 dB down, and those more than
  // 10 dB down rise 8.6 dB or more.
  constexpr float kTailSpanS = 2.0f, kTailWindowS = 0.1f, kTailRiseSpanS = 0.15f, kAttackLeadS = 0.02f;
  constexpr float kTailDropDb = 10.0f, kTailRiseDb = 3.0f;
  auto in_ringing_tail = [&](float t) {
    float last = -1.0f, next = end_time(a) + 1.0f;
    for (std::size_t k = 0; k < spectral; ++k) {
      if (times[k] < t) last = std::max(last, times[k]);
      else if (times[k] > t) next = std::min(next, times[k]);
    }
    if (last < 0 || t - last >= kTailSpanS) return false;
    const float before = level_max(t - kTailWindowS, t);
    if (level_max(last, last + kTailWindowS) - before <= kTailDropDb) return false;
    const float until = std::min(t + kTailRiseSpanS, next - kAttackLeadS);
    return !(until > t && level_max(t, until) - before >= kTailRiseDb);
  };
  std::size_t cue = 0;  // notes come in time order
  for (const dsp::Note& n : notes_from(a, track)) {
    if (!n.pitch_change_onset && !n.voicing_onset) continue;
    // The note started at the frame whose pitch time (time_s + lead) is its onset.
    while (cue + 1 < a.frames.size() && a.frames[cue + 1].time_s + lead <= n.onset_s + 1e-4f) ++cue;
    const auto kind = n.pitch_change_onset ? dsp::OnsetCue::pitch_change : dsp::OnsetCue::voicing;
    const float floor = dsp::onset_strength_floor(strength, int(cue), lp, floor_scratch);
    const int attack = dsp::locate_onset(strength, level, int(cue), kind, lp, floor);
    if (attack < 0) continue;  // nothing in front of the cue sounds like an attack
    const float t = a.frames[std::size_t(attack)].time_s;
    const bool near = std::any_of(times.begin(), times.end(), [&](float s) { return std::abs(s - t) < dsp::OnsetCueMerge::kNearS; });
    const float after = kind == dsp::OnsetCue::voicing ? kAfterAttackVoicingS : kAfterAttackChangeS;
    const bool decay = std::any_of(times.begin(), times.begin() + long(spectral), [&](float s) { return s < t && t - s < after; });
    if (!near && !decay && t >= 0 && !in_ringing_tail(t)) times.push_back(t);
  }
  // Re-articulated notes (dsp::is_reattack), at least kHeldS after the onset before them: a note is held
  // before it is re-articulated (a plucked sample's level wobbles 0.1-0.15 s after its attack).
  constexpr float kHeldS = 0.15f;
  dsp::ReattackParams rp;
  rp.frame_rate = a.frame_rate();
  std::vector<float> f0;
  f0.reserve(a.frames.size());
  for (const auto& point : track) f0.push_back(point.f0_hz);
  const std::size_t found = times.size();
  for (int i = 0; i < int(a.frames.size()); ++i) {
    if (!dsp::is_reattack(level, f0, i, rp)) continue;
    const float t = a.frames[std::size_t(i)].time_s + hop_lead;
    const bool near = std::any_of(times.begin(), times.begin() + long(found),
                                  [&](float s) { return std::abs(s - t) < 0.05f || (s < t && s > t - kHeldS); });
    if (!near && t >= 0) times.push_back(t);
  }
  // Noise-like attacks under steady noise (a hi-hat under white noise: dsp::pick_noise_onsets, run only for
  // a file with steady noise; bench/RESULTS.md, branch pnoise). One is kept when no onset found above lies
  // within kNoiseApartS (the band detector also fires on attacks SuperFlux found; 0.1 s reads the same on
  // the development sets), and when the level over the kNoiseLevelSpanS after it is no more than
  // kNoiseLevelDropDb under the level over the same span before it: a note that stops splatters broadband
  // energy into the band as an attack does, but the sound falls, where a hat adds to the noise. Development
  // sets: the band detector's candidates at the synth notes' ends (clean and reverberant files, whose held
  // tone reads as steady noise) fall 3.2-8.0 dB; at the hats it finds the level moves from 0.03 dB down to
  // 1.4 dB up.
  constexpr float kNoiseApartS = 0.05f, kNoiseLevelSpanS = 0.05f, kNoiseLevelDropDb = 1.5f;
  auto level_db = [&](float from, float to) {  // mean power of the frames whose newest hop lies in [from, to)
    double sum = 0;
    int n = 0;
    for (auto f = frame_at(from), end = frame_at(to); f < end; ++f, ++n) sum += double(f->rms) * f->rms;
    return n > 0 ? 10.0 * std::log10(std::max(sum / n, 1e-20)) : -200.0;
  };
  const std::size_t before_noise = times.size();
  for (float t : a.noise_onset_times) {
    const bool near = std::any_of(times.begin(), times.begin() + long(before_noise), [&](float s) { return std::abs(s - t) < kNoiseApartS; });
    const bool falls = level_db(t - kNoiseLevelSpanS, t) - level_db(t, t + kNoiseLevelSpanS) > kNoiseLevelDropDb;
    if (!near && !falls && t >= 0) times.push_back(t);
  }
  std::sort(times.begin(), times.end());
  // The analyzer assumes silence before the file, so sound present from the first sample (noise, a hum,
  // a note the recording cut into) reads as an onset wherever the compared frame's window reaches before
  // the file. There an onset is kept only when the sound changes after it, as an attack does: within
  // kStartSpanS its level falls by kStartDropDb (a drum or a pluck decaying), or its spectral envelope
  // (MFCC 1-12, level left out) moves kStartTimbreChange from the onset frame's. Stationary sound
  // does neither. Seed-7 development set, fluidsynth notes cut at their onset against files that begin
  // with noise: envelope change 2.3-7.7 (5th percentile 2.5) for notes, 1.2-2.7 for noise; drums at 0 s
  // drop 13-31 dB, noise -1..+2.5 dB. A soft note at 0 s in strong noise can be lost.
  constexpr float kStartSpanS = 0.15f, kStartDropDb = 6.0f, kStartTimbreChange = 3.0f;
  const float primed_until = a.params.onsets().compared_with_silence_until_s();
  auto from_primed_silence = [&](float t) {
    if (t >= primed_until) return false;
    std::size_t i = 0;
    while (i + 1 < a.frames.size() && a.frames[i].time_s < t - 1e-4f) ++i;
    const dsp::FeatureFrame& start = a.frames[i];
    for (std::size_t j = i + 1; j < a.frames.size() && a.frames[j].time_s <= t + kStartSpanS; ++j) {
      float change = 0;
      for (int k = 1; k < dsp::kFrameMfccs; ++k) change += (a.frames[j].mfcc[k] - start.mfcc[k]) * (a.frames[j].mfcc[k] - start.mfcc[k]);
      if (start.rms_dbfs - a.frames[j].rms_dbfs >= kStartDropDb || std::sqrt(change) >= kStartTimbreChange) return false;
    }
    return true;
  };
  times.erase(std::remove_if(times.begin(), times.end(), from_primed_silence), times.end());
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
    // A beat on a click at 0 s is found in a frame centred just before it (the analysis starts as if
    // silence came first): nothing in the file happens before 0 s.
    if (i < a.frames.size()) t.rows.push_back({std::max(0.0f, a.frames[i].time_s + (b - float(i)) * frame_s)});
  }
  return t;
}

Table notes_table(const Analysis& a) {
  Table t{{"onset_s", "offset_s", "midi", "cents"}, {}};
  for (const dsp::Note& n : notes_of(a)) t.rows.push_back({n.onset_s, n.offset_s, n.midi, n.cents});
  return t;
}

namespace {
// Both chord models decode at the chroma's frame rate with the same change cost and shortest segment.
analysis::ChordDecodeParams chord_decode_params(std::span<const std::string> labels) {
  analysis::ChordDecodeParams p;
  p.min_segment_s = 0.2f;
  p.min_no_chord_s = 0.5f;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == "N") p.no_chord = int(i);
  }
  return p;
}

// Segments as a table; each label gets its inversion from the bass chroma of the frames inside it.
Table chord_table(const Analysis& a, const std::vector<analysis::ChordSpan>& spans, std::span<const std::string> labels) {
  Table t{{"start_s", "end_s", "label", "confidence"}, {}, 3};
  std::vector<std::array<float, 12>> bass;
  std::size_t i = 0;  // frames and spans both run forward in time
  for (const auto& s : spans) {
    bass.clear();
    for (; i < a.frames.size(); ++i) {
      const float time = a.frames[i].time_s - a.chroma_lag_s();  // what the (bass) chroma describes
      if (time >= s.end_s) break;
      if (time >= s.start_s) bass.push_back(std::to_array(a.frames[i].bass_chroma));
    }
    const std::string label = analysis::with_bass(labels[std::size_t(s.chord)], analysis::bass_pitch_class(bass));
    t.rows.push_back({s.start_s, s.end_s, label, s.confidence});
  }
  return t;
}
}  // namespace

Table template_chords_table(const Analysis& a) {
  const dsp::ChordParams p;
  const int every = a.params.chroma_every_frames;
  std::vector<float> scores, probabilities, times;
  std::array<float, dsp::kChordCount> sim{};
  for (std::size_t i = 0; i < a.frames.size(); i += std::size_t(every)) {
    dsp::ChromaFrame c;
    std::copy(std::begin(a.frames[i].chroma), std::end(a.frames[i].chroma), c.chroma.begin());
    std::copy(std::begin(a.frames[i].bass_chroma), std::end(a.frames[i].bass_chroma), c.bass.begin());
    dsp::chord_similarities(c, p, sim);
    // Similarities scaled by the sharpness are the log-likelihoods; their softmax is the confidence.
    const float top = *std::max_element(sim.begin(), sim.end());
    double sum = 0;
    for (float v : sim) sum += std::exp(double(p.sharpness) * (v - top));
    for (float v : sim) {
      scores.push_back(p.sharpness * v);
      probabilities.push_back(float(std::exp(double(p.sharpness) * (v - top)) / sum));
    }
    times.push_back(std::max(0.0f, a.frames[i].time_s - a.chroma_lag_s()));
  }
  std::vector<std::string> labels;
  for (int c = 0; c < dsp::kChordCount; ++c) labels.emplace_back(dsp::chord_label(c));
  return chord_table(a, analysis::decode_chords(scores, dsp::kChordCount, times, end_time(a), chord_decode_params(labels),
                                                probabilities), labels);
}

ChordWindows chord_windows(const Analysis& a) {
  ChordWindows w;
  std::vector<std::size_t> ends;
  const std::vector<dsp::FeatureFrame> frames = ml::model_frames(a.frames, a.clock());
  w.inputs = ml::pack_windows(frames, ml::kWindowStride, ends);
  for (std::size_t e : ends) {
    const std::size_t first = e >= std::size_t(ml::kContextFrames - 1) ? e - (ml::kContextFrames - 1) : 0;
    const float centre = 0.5f * (frames[first].time_s + frames[e].time_s);
    w.times_s.push_back(std::max(0.0f, centre - a.chroma_lag_s()));
  }
  return w;
}

Table classifier_chords_table(const Analysis& a, const ChordWindows& w, const ModelOutput& m) {
  const std::size_t k = m.labels.size();
  std::vector<float> scores(m.probabilities.size());
  for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = std::log(std::max(m.probabilities[i], 1e-12f));
  const auto spans = analysis::decode_chords(scores, int(k), w.times_s, end_time(a), chord_decode_params(m.labels), m.probabilities);
  return chord_table(a, spans, m.labels);
}

ChordResult chords(const Analysis& a, const ChordOptions& o) {
  ChordResult r;
  if (o.model == ChordModel::Templates) {
    r.table = template_chords_table(a);
    return r;
  }
  std::string why;
  const int live_hop = ml::live_hop(a.params.sample_rate);
  ChordWindows w;
  ModelOutput m;
  if (a.params.hop != live_hop) {
    why = "it needs --hop " + std::to_string(live_hop) + " at " + std::to_string(int(a.params.sample_rate)) + " Hz";
  } else {
    w = chord_windows(a);
    why = run_model(chord_model_runner(o.node, o.chord_model), w.inputs, ml::kWindowFloats, m);
  }
  if (why.empty() && m.probabilities.size() != w.times_s.size() * m.labels.size()) why = "it gave the wrong number of answers";
  if (why.empty()) {
    r.table = classifier_chords_table(a, w, m);
    return r;
  }
  if (o.model == ChordModel::Classifier) {
    r.error = "the chord classifier cannot run: " + why;
    return r;
  }
  r.notice = "the chord classifier cannot run (" + why + "); using the template baseline";
  r.table = template_chords_table(a);
  return r;
}

Table features_table(const Analysis& a) {
  Table t;
  t.columns.assign(dsp::kFeatureFrameFieldNames.begin(), dsp::kFeatureFrameFieldNames.end());
  const bool mel = a.mel_bands > 0 && a.mel.size() == a.frames.size() * std::size_t(a.mel_bands);
  for (int b = 0; mel && b < a.mel_bands; ++b) t.columns.push_back("mel_" + std::to_string(b));
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    const dsp::FeatureFrame& f = a.frames[i];
    if (f.time_s < 0 || f.time_s > end_time(a)) continue;
    const float* v = reinterpret_cast<const float*>(&f);
    std::vector<Cell> row(v, v + dsp::kFeatureFrameFloats);
    if (mel) {
      const float* m = a.mel.data() + i * std::size_t(a.mel_bands);
      row.insert(row.end(), m, m + a.mel_bands);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace etude::cli
