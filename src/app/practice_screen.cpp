// Practising a generated melody on the Trace screen: the melody's notes as target bars across
// time, a count-in from the metronome, the student's pitch line over them, and a result per note
// when it ends (scored by MelodyPractice, src/app/melody_practice.cpp).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/app.h"
#include "app/ui_common.h"
#include "music/pitch.h"

namespace etude::app {

using namespace ui;

bool App::send_melody_to_practice() {
  if (!generate_.has_melody()) return false;
  stop_melody_playback();
  if (practice_stage_ == PracticeStage::CountIn || practice_stage_ == PracticeStage::Running) cancel_practice();
  practice_melody_ = generate_.melody();
  practice_bpm_ = melody_bpm_;
  practice_stage_ = PracticeStage::Ready;
  trace_view_ = 0;
  show_screen(Screen::Trace);
  services_.announce_practice("ready", "The melody is on the pitch line. Start the microphone, then press Start.");
  return true;
}

bool App::start_melody_practice() {
  if (practice_stage_ == PracticeStage::None || mic_state_ != MicState::Running) return false;
  if (practice_stage_ == PracticeStage::CountIn || practice_stage_ == PracticeStage::Running) return false;
  if (metronome_running_) services_.stop_metronome();
  stop_melody_playback();
  music::MetronomeSettings clicks;
  clicks.bpm = practice_bpm_;
  clicks.beats_per_bar = music::beats_per_bar(practice_melody_.spec.meter);
  clicks.accents = 1;
  clicks.count_in_bars = 1;
  practice_stage_ = PracticeStage::CountIn;
  shown_beat_ = -1;
  services_.start_metronome(clicks);
  services_.announce_practice("count-in", "Count-in: one bar. Then sing or play the melody.");
  return true;
}

void App::practice_frame(const dsp::FeatureFrame& f) {
  const float midi = f.f0_hz > 0 ? float(music::midi_from_hz(f.f0_hz, tuner_.settings().a4_hz)) : 0.0f;
  if (f.onset > 0.5f) practice_.add_onset(latest_frame_);
  if (practice_.add_frame(latest_frame_, midi, f.confidence, f.onset_strength, f.rms_dbfs)) finish_practice();
}

void App::finish_practice() {
  practice_stage_ = PracticeStage::Done;
  services_.stop_metronome();
  std::string text = practice_.summary();
  const auto& results = practice_.results();
  const music::MelodySpec& spec = practice_melody_.spec;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const NoteResult& r = results[i];
    char line[120];
    std::snprintf(line, sizeof line, " Note %zu, %s: %s", i + 1,
                  music::spelled_name(music::spell(r.midi, spec.key, spec.mode), true).c_str(),
                  r.in_tune ? "in tune" : (r.voiced_fraction < 0.3f ? "not heard" : (r.median_cents > 0 ? "sharp" : "flat")));
    text += line;
    if (r.started) {
      std::snprintf(line, sizeof line, ", %.0f ms %s.", double(std::fabs(r.start_ms)), r.start_ms < 0 ? "early" : "late");
      text += line;
    } else {
      text += ".";
    }
  }
  services_.announce_practice("done", text);
}

void App::cancel_practice() {
  if (practice_stage_ == PracticeStage::CountIn || practice_stage_ == PracticeStage::Running) {
    practice_.stop();
    stop_melody_playback();
    services_.stop_metronome();
    practice_stage_ = PracticeStage::Ready;
    services_.announce_practice("ready", "Practice stopped.");
  }
}

void App::draw_practice() {
  ImGui::PushTextWrapPos(0.0f);
  const music::MelodySpec& spec = practice_melody_.spec;
  char heading[120];
  std::snprintf(heading, sizeof heading, "Practise: %s, %s, %d bars at %.0f BPM", music::key_name(spec.key, spec.mode).c_str(),
                music::meter_name(spec.meter), spec.bars, double(practice_bpm_));
  ImGui::PushFont(fonts_.heading);
  ImGui::TextUnformatted(heading);
  ImGui::PopFont();
  const bool listening = mic_state_ == MicState::Running;
  switch (practice_stage_) {
    case PracticeStage::Ready:
    case PracticeStage::Done:
      ImGui::BeginDisabled(!listening);
      if (primary_button(practice_stage_ == PracticeStage::Done ? "Again" : "Start", {160, 0})) start_melody_practice();
      ImGui::EndDisabled();
      break;
    case PracticeStage::CountIn:
    case PracticeStage::Running:
      if (primary_button("Stop", {160, 0})) cancel_practice();
      break;
    case PracticeStage::None: break;
  }
  ImGui::SameLine();
  ImGui::Checkbox("Play it along", &practice_guide_);
  ImGui::SameLine();
  if (ImGui::Button("Put it away")) {
    cancel_practice();
    practice_stage_ = PracticeStage::None;
  }
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  if (!listening) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
    ImGui::TextUnformatted("Start the microphone first.");
    ImGui::PopStyleColor();
  } else if (practice_stage_ == PracticeStage::CountIn || (practice_stage_ == PracticeStage::Running && shown_bar_ < 0)) {
    ImGui::Text("Count-in\u2026 %d", std::max(1, shown_beat_ + 1));
  } else if (practice_stage_ == PracticeStage::Running) {
    ImGui::Text("Bar %d of %d", std::min(shown_bar_ + 1, spec.bars), spec.bars);
  }
  if (practice_stage_ == PracticeStage::Done) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kInTune));
    ImGui::TextUnformatted(practice_.summary().c_str());
    ImGui::PopStyleColor();
  }
  draw_practice_line();
  if (practice_stage_ == PracticeStage::Done) draw_practice_results();
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  if (practice_guide_) ImGui::TextUnformatted("Play it along: use headphones, or the microphone hears the melody instead of you.");
  if (std::isnan(device_latency_ms_)) {
    ImGui::TextUnformatted("Measure your device's delay on the Mic screen, or early and late will be off.");
  }
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

void App::draw_practice_line() {
  const music::Melody& m = practice_melody_;
  const music::MelodySpec& spec = m.spec;
  const bool done = practice_stage_ == PracticeStage::Done;
  const bool active = practice_stage_ == PracticeStage::Running || done;
  const float width = ImGui::GetContentRegionAvail().x;
  const float height = std::clamp(ImGui::GetContentRegionAvail().y - (done ? 220.0f : 80.0f), 200.0f, 420.0f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 p1 = {p0.x + width, p0.y + height};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 255), 6.0f);
  // Time: the count-in bar, the melody, and the tail, in steps. Pitch: the melody's notes and a margin.
  const int bar_steps = music::steps_per_bar(spec.meter);
  const float t0 = -float(bar_steps), t1 = float(spec.steps()) + 4.0f;
  int lo_note = 200, hi_note = 0;
  for (const music::MelodyEvent& e : m.events) {
    if (!e.is_rest()) lo_note = std::min(lo_note, e.midi), hi_note = std::max(hi_note, e.midi);
  }
  float lo = float(lo_note) - 2.5f, hi = float(hi_note) + 2.5f;
  if (hi - lo < 12.0f) {
    const float c = (lo + hi) * 0.5f;
    lo = c - 6.0f;
    hi = c + 6.0f;
  }
  const float label_w = 44.0f;
  const auto x_of = [&](float step) { return p0.x + label_w + (step - t0) / (t1 - t0) * (width - label_w); };
  const auto y_of = [&](float midi) { return p1.y - (midi - lo) / (hi - lo) * height; };
  for (int n = int(std::ceil(lo)); n <= int(std::floor(hi)); ++n) {
    const music::SpelledPitch sp = music::spell(n, spec.key, spec.mode);
    const bool natural = sp.alter == 0;
    dl->AddLine({p0.x + label_w, y_of(float(n))}, {p1.x, y_of(float(n))},
                natural ? IM_COL32(220, 215, 205, 255) : IM_COL32(238, 235, 228, 255));
    if (music::in_key(n, spec.key, spec.mode)) {
      const std::string name = music::spelled_name(sp);
      dl->AddText({p0.x + 6, y_of(float(n)) - ImGui::GetFontSize() * 0.5f}, kTick, name.c_str());
    }
  }
  // Bar lines (the count-in bar is shaded).
  dl->AddRectFilled({x_of(t0), p0.y}, {x_of(0), p1.y}, IM_COL32(240, 237, 230, 255));
  for (int b = 0; b <= spec.bars; ++b) {
    const float x = x_of(float(b * bar_steps));
    dl->AddLine({x, p0.y}, {x, p1.y}, b == 0 || b == spec.bars ? kTick : IM_COL32(200, 194, 182, 255), 1.0f);
  }
  // Targets: a bar per note, half a semitone either side (the ±50 cents that count as in tune).
  const auto& results = practice_.results();
  std::size_t ri = 0;
  for (const music::MelodyEvent& e : m.events) {
    if (e.is_rest()) continue;
    ImU32 fill = IM_COL32(24, 95, 116, 55), edge = IM_COL32(24, 95, 116, 160);
    if (done && ri < results.size()) {
      const bool ok = results[ri].in_tune;
      fill = ok ? IM_COL32(27, 122, 62, 90) : IM_COL32(176, 84, 0, 90);
      edge = ok ? kInTune : kOffTune;
    }
    ++ri;
    const ImVec2 a = {x_of(float(e.start)) + 1, y_of(float(e.midi) + 0.5f)};
    const ImVec2 b = {x_of(float(e.start + e.steps)) - 1, y_of(float(e.midi) - 0.5f)};
    dl->AddRectFilled(a, b, fill, 4.0f);
    dl->AddRect(a, b, edge, 4.0f, 0, 1.5f);
  }
  // What was sung, after the delay correction, so it lines up with the targets.
  if (active) {
    const auto& sung = practice_.sung();
    for (std::size_t i = 1; i < sung.size(); ++i) {
      const SungPoint& a = sung[i - 1];
      const SungPoint& b = sung[i];
      if (a.midi <= 0 || b.midi <= 0 || b.step - a.step > 0.6f) continue;
      if (a.midi < lo || a.midi > hi || b.midi < lo || b.midi > hi || a.step < t0) continue;
      dl->AddLine({x_of(a.step), y_of(a.midi)}, {x_of(b.step), y_of(b.midi)}, kAccent, 3.0f);
    }
  }
  if (practice_stage_ == PracticeStage::Running) {
    const float now = float(practice_.step_at(latest_frame_));
    if (now >= t0 && now <= t1) dl->AddLine({x_of(now), p0.y}, {x_of(now), p1.y}, IM_COL32(217, 95, 2, 200), 2.0f);
  }
  ImGui::Dummy({width, height});
}

void App::draw_practice_results() {
  const auto& results = practice_.results();
  const music::MelodySpec& spec = practice_melody_.spec;
  if (!ImGui::BeginTable("practice-results", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) return;
  ImGui::TableSetupColumn("Note");
  ImGui::TableSetupColumn("Pitch");
  ImGui::TableSetupColumn("In tune");
  ImGui::TableSetupColumn("Start");
  ImGui::PushStyleColor(ImGuiCol_TableHeaderBg, kTrack);
  ImGui::TableHeadersRow();
  ImGui::PopStyleColor();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const NoteResult& r = results[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%zu. %s", i + 1, music::spelled_name(music::spell(r.midi, spec.key, spec.mode)).c_str());
    ImGui::TableNextColumn();
    ImGui::PushStyleColor(ImGuiCol_Text, r.in_tune ? ImGui::ColorConvertU32ToFloat4(kInTune) : kWarning);
    if (r.voiced_fraction < 0.3f) {
      ImGui::TextUnformatted("not heard");
    } else if (r.in_tune) {
      const long c = std::lround(r.median_cents);
      if (c == 0) {
        ImGui::TextUnformatted("\u2713 in tune");
      } else {
        ImGui::Text("\u2713 %+ld cents", c);
      }
    } else {
      ImGui::Text("%.0f cents %s", double(std::fabs(r.median_cents)), r.median_cents > 0 ? "sharp" : "flat");
    }
    ImGui::PopStyleColor();
    ImGui::TableNextColumn();
    ImGui::Text("%.0f%% of the note", 100.0 * double(r.in_tune_fraction));
    ImGui::TableNextColumn();
    if (!r.started) {
      ImGui::TextUnformatted("\u2013");
    } else if (std::fabs(r.start_ms) <= RhythmPractice::kOnTimeMs) {
      ImGui::Text("on time (%+ld ms)", std::lround(r.start_ms) == 0 ? 0L : std::lround(r.start_ms));
    } else {
      ImGui::Text("%.0f ms %s", double(std::fabs(r.start_ms)), r.start_ms < 0 ? "early" : "late");
    }
  }
  ImGui::EndTable();
}

}  // namespace etude::app
