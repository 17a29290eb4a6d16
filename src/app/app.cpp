#include "app/app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/ui_common.h"
#include "dsp/spectrogram_column.h"
#include "music/instruments.h"
#include "music/pitch.h"

namespace etude::app {

namespace {

using namespace ui;
constexpr float kInTuneCents = 5.0f;

void centered_text(ImFont* font, const char* text, ImU32 colour = 0) {
  ImGui::PushFont(font);
  const float w = ImGui::CalcTextSize(text).x;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (ImGui::GetContentRegionAvail().x - w) * 0.5f));
  if (colour) ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text);
  if (colour) ImGui::PopStyleColor();
  ImGui::PopFont();
}

// Muted labels at the two ends of the strip or track just drawn ("♭ flat" ... "sharp ♯").
void end_labels(const char* left, const char* right) {
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(left);
  ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(right).x);
  ImGui::TextUnformatted(right);
  ImGui::PopStyleColor();
}

// Twelve bars, one per pitch class C..B, values 0..1, named underneath; takes the full width.
void pitch_class_bars(const float (&values)[12], float height, ImU32 colour) {
  const float width = ImGui::GetContentRegionAvail().x, bar_w = width / 12.0f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int i = 0; i < 12; ++i) {
    const float v = std::clamp(values[i], 0.0f, 1.0f);
    const float x = p.x + bar_w * float(i);
    dl->AddRectFilled({x + 3, p.y + height * (1.0f - v)}, {x + bar_w - 3, p.y + height}, colour, 3.0f);
    const char* name = music::pitch_class_name(i);
    dl->AddText({x + bar_w * 0.5f - ImGui::CalcTextSize(name).x * 0.5f, p.y + height + 4}, kTick, name);
  }
  ImGui::Dummy({width, height + ImGui::GetFontSize() + 8});
}

// The semitone spectrum E1..B6 as a keyboard-like strip: one bar per semitone, black-key semitones on a
// darker ground, every C named with its octave (C2..C6).
void semitone_bars(const float (&values)[dsp::kSemitoneBins], float height, ImU32 colour) {
  const float width = ImGui::GetContentRegionAvail().x, bar_w = width / float(dsp::kSemitoneBins);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int i = 0; i < dsp::kSemitoneBins; ++i) {
    const int midi = dsp::kSemitoneLowMidi + i, pc = midi % 12;
    const float x = p.x + bar_w * float(i);
    const bool black = pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
    dl->AddRectFilled({x, p.y}, {x + bar_w, p.y + height}, black ? IM_COL32(0, 0, 0, 28) : IM_COL32(0, 0, 0, 8));
    const float v = std::clamp(values[i], 0.0f, 1.0f);
    if (v > 0) dl->AddRectFilled({x + 0.5f, p.y + height * (1.0f - v)}, {x + bar_w - 0.5f, p.y + height}, colour);
    if (pc == 0) {
      dl->AddLine({x, p.y}, {x, p.y + height}, kTick, 1.0f);
      char name[8];
      std::snprintf(name, sizeof name, "C%d", midi / 12 - 1);
      dl->AddText({x + 2, p.y + height + 4}, kTick, name);
    }
  }
  ImGui::Dummy({width, height + ImGui::GetFontSize() + 8});
}

// The cents needle: a track from -50 to +50 with the in-tune zone and a marker.
void cents_needle(bool has_note, float cents) {
  const float width = ImGui::GetContentRegionAvail().x;
  const float height = 44.0f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float y = p.y + height * 0.5f;
  const auto x_of = [&](float c) { return p.x + width * (0.5f + std::clamp(c, -50.0f, 50.0f) / 100.0f); };
  dl->AddRectFilled({p.x, y - 4}, {p.x + width, y + 4}, kTrack, 4.0f);
  dl->AddRectFilled({x_of(-kInTuneCents), y - 8}, {x_of(kInTuneCents), y + 8}, IM_COL32(27, 122, 62, 70), 3.0f);
  for (int c = -50; c <= 50; c += 10) {
    const float len = c == 0 ? 16.0f : 8.0f;
    dl->AddLine({x_of(float(c)), y - len}, {x_of(float(c)), y + len}, kTick, c == 0 ? 2.0f : 1.0f);
  }
  if (has_note) {
    const ImU32 col = std::fabs(cents) <= kInTuneCents ? kInTune : kOffTune;
    const float x = x_of(cents);
    dl->AddTriangleFilled({x - 10, p.y}, {x + 10, p.y}, {x, y - 2}, col);
    dl->AddRectFilled({x - 2.5f, p.y}, {x + 2.5f, p.y + height}, col, 2.0f);
  }
  ImGui::Dummy({width, height});
  end_labels("\u266D flat", "sharp \u266F");
}

}  // namespace

namespace {
constexpr const char* kLatencyKey = "device_latency_ms";
constexpr const char* kInstrumentKey = "instrument";
constexpr const char* kA4Key = "a4_hz";
}  // namespace

App::App(AppServices& services, Fonts fonts)
    : services_(services),
      fonts_(fonts),
      device_latency_ms_(services.load_number(kLatencyKey, std::nan(""))),
      generate_(services.random_seed()) {
  const music::Instrument& saved = music::instrument_by_id(services_.load_text(kInstrumentKey, ""));
  const auto all = music::instruments();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].id == saved.id) set_instrument(i);
  }
  const double a4 = services_.load_number(kA4Key, 440.0);
  if (a4 >= 415.0 && a4 <= 466.0) tuner_.set_a4_hz(float(a4));
}

bool App::forget_settings() {
  services_.delete_settings();
  set_instrument(0);
  tuner_.set_a4_hz(440.0f);
  device_latency_ms_ = std::nan("");
  calibration_done_ = false;
  settings_deleted_ = true;
  return true;
}

bool App::on_storage_problem(const std::string& text) {
  storage_problem_ = text;  // the page's mirror says it too (#storage-status)
  return true;
}

bool App::on_audio_frames(std::span<const dsp::FeatureFrame> frames) {
  bool changed = false;
  for (const dsp::FeatureFrame& f : frames) {
    changed |= tuner_.on_frame(f);
    trace_.add(f, tuner_.settings().a4_hz);
    if (screen_ == Screen::ChordLab) {
      chord_window_.add(f);
      for (int i = 0; i < 12; ++i) chroma_sum_[i] += f.chroma[i];
      for (int i = 0; i < dsp::kSemitoneBins; ++i) semitone_sum_[i] += f.semitones[i];
      ++chroma_frames_;
      chord_quiet_ = f.rms_dbfs < -50.0f;
    }
    if (mic_check_.on_frame(f)) {
      changed = true;
      announce_mic_check();
    }
    latest_time_s_ = f.time_s;
    latest_frame_ = mic_start_frame_ + double(f.time_s) * sample_rate_;
    if (practice_stage_ == PracticeStage::Running) practice_frame(f);
    if (f.onset > 0.5f) {
      calibration_.add_onset(latest_frame_);
      changed |= rhythm_.add_onset(latest_frame_);
    }
  }
  // Chords: send the averaged chroma to the model a few times a second (one request in flight).
  // After the model failed, live requests wait for the student's "Try again" (no retry storm).
  if (screen_ == Screen::ChordLab && chroma_frames_ > 0 && !chord_request_pending_ &&
      model_state_ != ModelState::Failed && latest_time_s_ - last_chord_request_s_ >= kChordIntervalS) {
    for (int i = 0; i < 12; ++i) chroma_shown_[i] = chroma_sum_[i] / float(chroma_frames_);
    for (int i = 0; i < dsp::kSemitoneBins; ++i) semitones_shown_[i] = semitone_sum_[i] / float(chroma_frames_);
    std::fill(std::begin(chroma_sum_), std::end(chroma_sum_), 0.0f);
    std::fill(std::begin(semitone_sum_), std::end(semitone_sum_), 0.0f);
    chroma_frames_ = 0;
    last_chord_request_s_ = latest_time_s_;
    if (!chord_quiet_) {
      chord_request_pending_ = true;
      if (classifier_usable_ && chord_window_.full()) {
        // The explanation (16 occluded copies of the window) only when the one shown would be stale.
        const int rows = explanation_.rows(latest_time_s_);
        if (rows == 1) {
          chord_window_.window(std::span(chord_batch_).first(ChordWindow::kRowFloats));
        } else {
          chord_window_.occlusion_batch(chord_batch_);
        }
        explanation_.sent(latest_time_s_, rows);
        services_.classify_chord_window(std::span(chord_batch_).first(std::size_t(rows) * ChordWindow::kRowFloats), rows);
      } else {
        last_answer_trained_ = false;
        services_.classify_chord(chroma_shown_);
      }
    } else if (!chord_top_.empty()) {
      chord_top_.clear();
      explanation_.reset();  // the next chord played gets its own explanation
    }
    changed = true;
  }
  if (calibration_.complete(latest_frame_)) {
    finish_calibration();
    changed = true;
  }
  // Screens that move with every frame: the trace scrolls, the mic check's progress bar fills.
  const bool check_running = mic_check_.step() == MicCheckStep::Quiet || mic_check_.step() == MicCheckStep::Play;
  if (!frames.empty() && (screen_ == Screen::Trace || check_running)) changed = true;
  if (changed) {
    std::string spoken = tuner_.spoken();
    if (spoken != last_spoken_) {
      last_spoken_ = std::move(spoken);
      services_.announce_tuner(last_spoken_, tuner_.reading());
    }
  }
  return changed;
}

bool App::on_mic_state(MicState state, float sample_rate, int latency_samples, double start_frame) {
  if (state == mic_state_ && sample_rate == sample_rate_) return false;
  mic_state_ = state;
  sample_rate_ = sample_rate;
  latency_samples_ = latency_samples;
  mic_start_frame_ = start_frame;
  // A new analyser stream: the chord window keeps its model frames by the stream's clock.
  chord_window_.start({sample_rate, ml::live_hop(sample_rate), latency_samples});
  explanation_.reset();
  if (state != MicState::Running) {
    calibration_.cancel();
    rhythm_.stop();
    cancel_practice();
  }
  if (state != MicState::Running) {
    tuner_.reset();
    trace_.clear();
    if (mic_check_.step() != MicCheckStep::NotStarted) {
      mic_check_.cancel();
      announce_mic_check();
    }
    last_spoken_.clear();
  }
  const Message m = mic_message(state);
  services_.announce_status(std::string(m.headline) + " " + std::string(m.advice));
  return true;
}

void App::start_mic_check() {
  mic_check_.start(latest_time_s_);
  announce_mic_check();
}

void App::announce_mic_check() {
  switch (mic_check_.step()) {
    case MicCheckStep::NotStarted:
      services_.announce_mic_check("not-started", "");
      break;
    case MicCheckStep::Quiet:
      services_.announce_mic_check("quiet", "Microphone check: stay quiet for 3 seconds.");
      break;
    case MicCheckStep::Play:
      services_.announce_mic_check("play", "Now play or sing a long, loud note for 3 seconds.");
      break;
    case MicCheckStep::Done: {
      const MicCheckResult& r = mic_check_.result();
      std::string text = r.ready ? "Microphone check: ready." : "Microphone check: something to fix.";
      for (std::string_view a : r.advice) text += " " + std::string(a);
      services_.announce_mic_check("done", text);
      break;
    }
  }
}

namespace {
std::string chord_words(const std::string& harte);
}  // namespace

bool App::on_chord_probabilities(std::span<const float> probabilities, int rows, std::span<const std::string> labels) {
  const std::size_t n = labels.size();
  if ((rows != 1 && rows != ChordWindow::kRows) || n == 0 || probabilities.size() < std::size_t(rows) * n) {
    return on_chord_classifier_failed("The trained chord classifier gave an answer of the wrong shape.");
  }
  // Top three of the window itself (row 0).
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::partial_sort(order.begin(), order.begin() + std::min<std::size_t>(3, n), order.end(),
                    [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
  ChordGuess top[3];
  const std::size_t k = std::min<std::size_t>(3, n);
  for (std::size_t i = 0; i < k; ++i) top[i] = {labels[order[i]], probabilities[order[i]]};
  if (!explanation_.answered(labels[order[0]], rows)) {
    // The window alone names a new chord: ask again at once, with the explanation, and show both together.
    chord_request_pending_ = false;
    last_chord_request_s_ = -1e9f;
    return false;
  }
  last_answer_trained_ = true;
  if (rows == 1) return on_chord_result({top, k});  // same chord: the explanation shown still belongs to it
  // Occlusion: the drop of the top label's probability when each piece of evidence is blanked.
  const std::size_t target = order[0];
  explained_probability_ = probabilities[target];
  for (int p = 0; p < 12; ++p) pitch_drop_[p] = probabilities[target] - probabilities[std::size_t(1 + p) * n + target];
  for (int g = 0; g < ChordWindow::kTimeGroups; ++g) {
    time_drop_[g] = probabilities[target] - probabilities[std::size_t(13 + g) * n + target];
  }
  return on_chord_result({top, k});
}

bool App::on_chord_classifier_failed(const std::string& message) {
  classifier_usable_ = false;
  last_answer_trained_ = false;
  chord_request_pending_ = false;
  model_detail_ = message + " Chords use the template matcher instead.";
  return true;
}

bool App::on_chord_result(std::span<const ChordGuess> top) {
  chord_request_pending_ = false;
  chord_top_.assign(top.begin(), top.end());
  // Announce the best guess when it changes (whole label, not every probability wobble).
  const std::string words = chord_top_.empty() ? "" : chord_words(chord_top_[0].label);
  if (words != chord_announced_) {
    chord_announced_ = words;
    services_.announce_chord(words);
  }
  return true;
}

bool App::on_metronome_beat(double frame, int bar, int beat, bool) {
  if (!metronome_running_) return false;
  shown_bar_ = bar;
  shown_beat_ = beat;
  if (practice_stage_ == PracticeStage::CountIn) {
    // The clock does not drift, so the melody's first step is a whole number of beats after this one.
    const music::Meter meter = practice_melody_.spec.meter;
    const double frames_per_beat = double(sample_rate_) * 60.0 / double(practice_bpm_);
    const int beats_before = (bar + 1) * music::beats_per_bar(meter) + beat;  // count-in is bar -1
    practice_.start(practice_melody_, frame + double(music::beats_per_bar(meter) - beats_before) * frames_per_beat,
                    frames_per_beat / music::steps_per_beat(meter), sample_rate_,
                    std::isnan(device_latency_ms_) ? 0.0f : float(device_latency_ms_));
    practice_stage_ = PracticeStage::Running;
    if (practice_guide_) play_notes(practice_melody_, practice_bpm_, practice_.first_step_frame());
    services_.announce_practice("running", "Count-in: one bar. Then sing or play the melody.");
  }
  calibration_.add_click(frame);
  const double frames_per_beat = double(sample_rate_) * 60.0 / double(metronome_.bpm);
  if (rhythm_.add_beat(frame, bar, beat, frames_per_beat) && rhythm_.has_summary() &&
      rhythm_.last_summary().bar == bar - 1) {
    const BarSummary& b = rhythm_.last_summary();
    char text[160];
    std::snprintf(text, sizeof text, "Bar %d: %d of %d beats played, %.0f ms from the beat on average, tending %s.",
                  b.bar + 1, b.hits, b.beats, double(b.mean_abs_ms), b.mean_ms < 0 ? "to rush" : "to drag");
    services_.announce_timing(text, device_latency_ms_);
  }
  return true;
}

bool App::start_calibration(bool tap_along) {
  if (mic_state_ != MicState::Running || calibration_.running()) return false;
  show_screen(Screen::MicCheck);
  if (metronome_running_) services_.stop_metronome();
  calibration_.start(tap_along ? LatencyCalibration::Mode::TapAlong : LatencyCalibration::Mode::Loudspeaker,
                     sample_rate_);
  calibration_done_ = false;
  music::MetronomeSettings clicks;
  clicks.bpm = LatencyCalibration::kBpm;
  clicks.beats_per_bar = 4;
  clicks.accents = 0;
  clicks.count_in_bars = 0;
  metronome_ = clicks;
  services_.start_metronome(clicks);
  return true;
}

void App::finish_calibration() {
  calibration_result_ = calibration_.finish();
  calibration_done_ = true;
  services_.stop_metronome();
  metronome_ = {};
  char text[200];
  if (calibration_result_.ok) {
    device_latency_ms_ = calibration_result_.latency_ms;
    services_.save_number(kLatencyKey, device_latency_ms_);
    settings_deleted_ = false;
    std::snprintf(text, sizeof text, "Your device's delay is %.0f milliseconds (steady to within %.0f ms). "
                  "Rhythm feedback now allows for it.", double(calibration_result_.latency_ms),
                  double(calibration_result_.spread_ms));
  } else {
    std::snprintf(text, sizeof text, "Etude heard only %d of %d clicks. Turn the volume up and try again, or "
                  "use headphones and tap along instead.", calibration_result_.matched, calibration_result_.clicks);
  }
  services_.announce_timing(text, device_latency_ms_);
}

bool App::on_metronome_state(bool running, const std::string& problem) {
  metronome_running_ = running;
  metronome_problem_ = problem;
  if (!running) shown_beat_ = -1;
  return true;
}

bool App::request_mic_check() {
  if (mic_state_ != MicState::Running) return false;
  show_screen(Screen::MicCheck);
  start_mic_check();
  return true;
}

bool App::toggle_metronome() {
  if (metronome_running_) {
    services_.stop_metronome();
    rhythm_.stop();
  } else {
    shown_beat_ = -1;
    services_.start_metronome(metronome_);
    // Playing along is judged whenever the microphone listens to the metronome.
    if (mic_state_ == MicState::Running) {
      rhythm_.start(sample_rate_, std::isnan(device_latency_ms_) ? 0.0f : float(device_latency_ms_));
    }
  }
  return true;
}

bool App::show_screen(Screen screen) {
  if (screen == screen_) return false;
  screen_ = screen;
  services_.announce_screen(int(screen));
  return true;
}

bool App::on_model_state(ModelState state, const std::string& detail) {
  model_state_ = state;
  model_detail_ = detail;
  return true;
}

void App::draw() {
  // One window, centred, at most a readable column wide; its background is the page colour, so
  // on a wide screen the margins simply look like page.
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float width = std::min(vp->WorkSize.x, 760.0f);
  ImGui::SetNextWindowPos({vp->WorkPos.x + (vp->WorkSize.x - width) * 0.5f, vp->WorkPos.y});
  ImGui::SetNextWindowSize({width, vp->WorkSize.y});
  ImGui::Begin("Etude", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PushItemWidth(-1);

  ImGui::PushFont(fonts_.heading);
  ImGui::TextUnformatted("Etude");
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted("\u00B7 practise with live feedback");
  ImGui::PopStyleColor();
  ImGui::Separator();

  draw_microphone();
  // Screen tabs: buttons that wrap onto a second row when the screen is too narrow for all six (a
  // 360-400 px phone), so every label stays whole; ImGui's own tab bar would cut them to "Met...".
  // Each is a keyboard stop; the selected one is filled with the accent colour.
  struct Tab {
    const char* label;
    Screen screen;
    void (App::*draw)();
  };
  static constexpr Tab kTabs[] = {{"Tuner", Screen::Tuner, &App::draw_tuner},
                                  {"Trace", Screen::Trace, &App::draw_trace},
                                  {"Metronome", Screen::Metronome, &App::draw_metronome},
                                  {"Mic", Screen::MicCheck, &App::draw_mic_check},
                                  {"Chords", Screen::ChordLab, &App::draw_chord_model},
                                  {"Generate", Screen::Generate, &App::draw_generate}};
  ImGui::Spacing();
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, {10, 8});
  const float row_width = ImGui::GetContentRegionAvail().x;
  for (const Tab& tab : kTabs) {
    const bool selected = tab.screen == screen_;
    const float w = ImGui::CalcTextSize(tab.label).x + 2 * ImGui::GetStyle().FramePadding.x;
    if (&tab != &kTabs[0]) same_line_if_fits(w, ImGui::GetStyle().ItemSpacing.x * 0.5f);
    ImGui::PushStyleColor(ImGuiCol_Button, selected ? kAccent : IM_COL32(226, 221, 211, 255));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, selected ? kAccent : IM_COL32(208, 202, 190, 255));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, selected ? kAccent : IM_COL32(190, 184, 172, 255));
    ImGui::PushStyleColor(ImGuiCol_Text, selected ? IM_COL32(255, 255, 255, 255) : kInk);
    if (ImGui::Button(tab.label, {w, 0})) show_screen(tab.screen);
    ImGui::PopStyleColor(4);
  }
  ImGui::PopStyleVar();
  {
    // The accent rule under the tabs, as under a tab bar.
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine({p.x, p.y}, {p.x + row_width, p.y}, kAccent, 2.0f);
    ImGui::Dummy({row_width, 2.0f});
  }
  const Screen now = screen_;  // a screen may switch to another one; that shows on the next frame
  for (const Tab& tab : kTabs) {
    if (tab.screen == now) (this->*tab.draw)();
  }
  draw_footer();
  ImGui::PopItemWidth();
  ImGui::End();
}

void App::draw_tuner() {
  const TunerReading& r = tuner_.reading();
  ImGui::Spacing();
  if (r.has_note) {
    const std::string name = music::note_name(r.written_midi);
    const bool in_tune = std::fabs(r.note.cents) <= kInTuneCents;
    centered_text(fonts_.display, name.c_str(), in_tune ? kInTune : 0);
    char line[64];
    const long c = std::lround(r.note.cents);
    if (c == 0) {
      std::snprintf(line, sizeof line, "in tune  \u00B7  %.1f Hz", double(r.f0_hz));
    } else {
      const long magnitude = c < 0 ? -c : c;
      std::snprintf(line, sizeof line, "%ld %s %s  \u00B7  %.1f Hz", magnitude, magnitude == 1 ? "cent" : "cents",
                    c > 0 ? "sharp" : "flat", double(r.f0_hz));
    }
    centered_text(fonts_.heading, line);
  } else {
    centered_text(fonts_.display, "\u2013", IM_COL32(160, 154, 144, 255));
    centered_text(fonts_.heading, mic_state_ == MicState::Running ? "Play or sing a long note" : "No note");
  }
  ImGui::Spacing();
  cents_needle(r.has_note, r.note.cents);

  // Input level: -60..0 dBFS.
  const bool listening = mic_state_ == MicState::Running;
  const float level = std::clamp((r.level_dbfs + 60.0f) / 60.0f, 0.0f, 1.0f);
  ImGui::TextUnformatted("Input level");
  if (listening) {
    char db[16];
    std::snprintf(db, sizeof db, "%.0f dB", double(std::max(r.level_dbfs, -99.0f)));
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(db).x);
    ImGui::TextUnformatted(db);
  }
  ImGui::ProgressBar(listening ? level : 0.0f, {-1, 14}, "");
  ImGui::Spacing();
  draw_tuner_settings();
}

void App::set_instrument(std::size_t index) {
  const auto all = music::instruments();
  instrument_ = index < all.size() ? index : 0;
  tuner_.set_transposition(all[instrument_].transposition);
  const music::PitchRange range = music::pitch_search_range(all[instrument_]);
  services_.set_pitch_range(range.min_hz, range.max_hz);
}

void App::draw_tuner_settings() {
  const auto all = music::instruments();
  const music::Instrument& current = all[instrument_];
  ImGui::TextUnformatted("Instrument");
  if (ImGui::BeginCombo("##instrument", current.name.data())) {
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (ImGui::Selectable(all[i].name.data(), i == instrument_)) {
        set_instrument(i);
        services_.save_text(kInstrumentKey, all[i].id);
        settings_deleted_ = false;
      }
      if (i == instrument_) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  const std::string_view key = music::transposition_name(current.transposition);
  if (!key.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::Text("Notes are shown as written for an instrument %.*s (concert pitch is %+d semitones away).",
                int(key.size()), key.data(), -current.transposition);
    ImGui::PopStyleColor();
  }
  float a4 = tuner_.settings().a4_hz;
  ImGui::TextUnformatted("Reference pitch A4");
  if (ImGui::SliderFloat("##a4", &a4, 415.0f, 466.0f, "%.0f Hz")) tuner_.set_a4_hz(std::round(a4));
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    services_.save_number(kA4Key, tuner_.settings().a4_hz);
    settings_deleted_ = false;
  }
}

bool App::on_spectrum_column() const { return screen_ == Screen::Trace && trace_view_ == 1; }

void App::draw_trace() {
  if (practice_stage_ != PracticeStage::None) {
    draw_practice();
    return;
  }
  ImGui::RadioButton("Pitch line", &trace_view_, 0);
  ImGui::SameLine();
  ImGui::RadioButton("Spectrogram", &trace_view_, 1);
  if (trace_view_ == 0) {
    draw_pitch_line();
  } else {
    draw_spectrogram();
  }
}

void App::draw_spectrogram() {
  ImGui::RadioButton("Notes", &spectrogram_scale_, 0);
  ImGui::SameLine();
  ImGui::RadioButton("Linear", &spectrogram_scale_, 2);
  ImGui::SameLine();
  ImGui::RadioButton("Mel", &spectrogram_scale_, 1);
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < 150.0f) ImGui::NewLine();  // a phone: the colours go below
  ImGui::SetNextItemWidth(150.0f);
  ImGui::Combo("##colours", &colour_map_, "Viridis\0Cividis\0");
  const float label_w = 44.0f;
  const float width = ImGui::GetContentRegionAvail().x - label_w;
  const float height = std::clamp(ImGui::GetContentRegionAvail().y - 110.0f, 220.0f, 520.0f);
  const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
  void* image = mic_state_ == MicState::Running
                    ? services_.render_spectrogram(spectrogram_scale_, colour_map_, int(width * scale.x), int(height * scale.y))
                    : nullptr;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (image) {
    dl->AddImage(reinterpret_cast<ImTextureID>(image), {p.x + label_w, p.y}, {p.x + label_w + width, p.y + height},
                 {0, 1}, {1, 0});  // the texture's first row is the lowest frequency
  } else {
    dl->AddRectFilled({p.x + label_w, p.y}, {p.x + label_w + width, p.y + height}, kTrack, 4.0f);
  }
  // The frequency axis: every C for the note rows, round frequencies for linear and mel.
  const auto label = [&](float position, const char* text) {
    const float y = p.y + height * (1.0f - position);
    dl->AddLine({p.x + label_w - 6, y}, {p.x + label_w, y}, kTick);
    dl->AddText({p.x, y - ImGui::GetFontSize() * 0.5f}, kTick, text);
  };
  if (spectrogram_scale_ == 0) {
    for (int octave = 1; octave <= 8; ++octave) {
      const int midi = 12 * (octave + 1);
      const float bin = 24.0f * float(std::log2(music::hz_from_midi(midi) / dsp::SpectrogramColumn::kLowestHz));
      label((bin + 0.5f) / float(dsp::SpectrogramColumn::kNoteBins), music::note_name(midi).c_str());
    }
  } else if (spectrogram_scale_ == 2) {
    const float top = std::min(dsp::SpectrogramColumn::kLinearHighHz, sample_rate_ > 0 ? sample_rate_ * 0.5f : 24000.0f);
    static constexpr std::pair<float, const char*> kLinearMarks[] = {
        {500, "500"}, {1000, "1k"}, {1500, "1.5k"}, {2000, "2k"}, {2500, "2.5k"}, {3000, "3k"}, {3500, "3.5k"}};
    for (const auto& [hz, text] : kLinearMarks) {
      if (hz < top) label(hz / dsp::SpectrogramColumn::kLinearHighHz, text);
    }
  } else {
    static constexpr std::pair<float, const char*> kMarks[] = {
        {100, "100"}, {250, "250"}, {500, "500"}, {1000, "1k"}, {2000, "2k"}, {4000, "4k"}, {8000, "8k"}};
    for (const auto& [hz, text] : kMarks) {
      if (hz < sample_rate_ * 0.5f) label(dsp::SpectrogramColumn::mel_position(hz, sample_rate_ > 0 ? sample_rate_ : 48000.0f), text);
    }
  }
  ImGui::Dummy({width + label_w, height});
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(mic_state_ == MicState::Running
                             ? (spectrogram_scale_ == 2
                                    ? "The last 5 seconds of sound, 0 to 4,000 Hz: brighter means louder. On this even "
                                      "scale a note's harmonics are evenly spaced lines, one every f0 hertz."
                                    : "The last 5 seconds of sound: brighter means louder. Each note you play is a "
                                      "stack of lines, its harmonics; the lowest is the note.")
                             : "Start the microphone to see the spectrogram.");
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void App::draw_pitch_line() {
  const music::Instrument& inst = music::instruments()[instrument_];
  const float width = ImGui::GetContentRegionAvail().x;
  const float height = std::clamp(ImGui::GetContentRegionAvail().y - 120.0f, 220.0f, 520.0f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 p1 = {p0.x + width, p0.y + height};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 255), 6.0f);

  // View: 14 semitones centred on what was played recently, kept inside the instrument's range.
  const float median = trace_.median_midi();
  float centre = median > 0 ? median : float(inst.low_midi + inst.high_midi) * 0.5f;
  centre = std::clamp(centre, float(inst.low_midi) + 7.0f, float(inst.high_midi) - 7.0f);
  // Half a semitone of margin above and below keeps the edge labels inside the plot.
  const float lo = std::round(centre) - 7.5f, hi = lo + 15.0f;
  const auto y_of = [&](float midi) { return p1.y - (midi - lo) / (hi - lo) * height; };
  const float t_end = trace_.latest_time(), span = trace_.seconds();
  const auto x_of = [&](float t) { return p1.x - (t_end - t) / span * width; };

  // Semitone grid: natural notes darker and labelled (as written for the instrument).
  const int target = tuner_.reading().has_note ? tuner_.reading().note.midi : -1;
  for (int m = int(std::ceil(lo)); m <= int(std::floor(hi)); ++m) {
    const int written = m + inst.transposition;
    const int pc = ((written % 12) + 12) % 12;
    const bool natural = pc != 1 && pc != 3 && pc != 6 && pc != 8 && pc != 10;
    const float y = y_of(float(m));
    const ImU32 col = m == target ? kInTune : natural ? IM_COL32(200, 194, 182, 255) : IM_COL32(232, 228, 220, 255);
    dl->AddLine({p0.x + 44, y}, {p1.x, y}, col, m == target ? 2.5f : 1.0f);
    if (natural || m == target) {
      const std::string label = music::note_name(written);
      dl->AddText({p0.x + 6, y - ImGui::GetFontSize() * 0.5f}, m == target ? kInTune : kTick, label.c_str());
    }
  }
  // The pitch line; confidence is opacity, gaps break it.
  const TracePoint* prev = nullptr;
  trace_.for_each([&](const TracePoint& p) {
    if (p.midi > 0 && prev && prev->midi > 0 && p.time_s - prev->time_s < 0.05f && p.midi >= lo && p.midi <= hi &&
        prev->midi >= lo && prev->midi <= hi) {
      const int alpha = int(60 + 195 * std::clamp(p.confidence, 0.0f, 1.0f));
      dl->AddLine({x_of(prev->time_s), y_of(prev->midi)}, {x_of(p.time_s), y_of(p.midi)},
                  IM_COL32(24, 95, 116, alpha), 3.0f);
    }
    prev = &p;
  });
  ImGui::Dummy({width, height});
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::Text("The last %.0f seconds of your pitch. Lines are notes; the green line is the note you are nearest. "
              "Fainter means the pitch detector is less sure.", double(span));
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

namespace {

struct Metre {
  const char* name;
  int beats;
  std::uint32_t accents;  // the strong beats
};
// Compound metres count in dotted beats' subdivisions, with the secondary accent marked.
constexpr Metre kMetres[] = {{"2/4", 2, 0b1},   {"3/4", 3, 0b1},        {"4/4", 4, 0b1},
                             {"5/4", 5, 0b1},   {"6/8", 6, 0b1001},     {"7/8", 7, 0b10001},
                             {"9/8", 9, 0b1001001}, {"12/8", 12, 0b1001001001}};

}  // namespace

void App::metronome_changed() {
  if (metronome_running_) services_.update_metronome(metronome_);
}

void App::draw_metronome() {
  ImGui::PushTextWrapPos(0.0f);
  // The beats of the bar as dots; the sounding one is filled, the strong ones larger.
  const int beats = metronome_.beats_per_bar;
  const float width = ImGui::GetContentRegionAvail().x;
  const float spacing = std::min(56.0f, width / float(beats));
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int b = 0; b < beats; ++b) {
    const bool strong = (metronome_.accents >> b) & 1u;
    const float r = strong ? 16.0f : 11.0f;
    const ImVec2 c = {p.x + spacing * (float(b) + 0.5f), p.y + 24.0f};
    const bool now = metronome_running_ && b == shown_beat_;
    const ImU32 col = now ? (shown_bar_ < 0 ? kOffTune : kInTune) : kTrack;
    dl->AddCircleFilled(c, r, col);
  }
  ImGui::Dummy({width, 52.0f});
  if (metronome_running_ && shown_beat_ >= 0) {
    if (shown_bar_ < 0) {
      ImGui::Text("Count-in\u2026 %d", shown_beat_ + 1);
    } else {
      ImGui::Text("Bar %d, beat %d", shown_bar_ + 1, shown_beat_ + 1);
    }
  } else {
    ImGui::TextUnformatted(" ");
  }

  // The main action and the feedback first; the settings below them.
  if (primary_button(metronome_running_ ? "Stop metronome" : "Start metronome", {220, 0})) toggle_metronome();
  if (metronome_running_ && rhythm_.running()) {
    ImGui::Spacing();
    draw_play_along();
    ImGui::Separator();
  }
  ImGui::TextUnformatted("Tempo");
  float bpm = metronome_.bpm;
  if (ImGui::Button("\u2212", {48, 0})) bpm -= 1;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - 60.0f);
  ImGui::SliderFloat("##bpm", &bpm, 30.0f, 240.0f, "%.0f BPM");
  ImGui::SameLine();
  if (ImGui::Button("+", {48, 0})) bpm += 1;
  bpm = std::clamp(std::round(bpm), 30.0f, 240.0f);
  if (ImGui::Button("Tap", {120, 0})) {
    const float tapped = tap_tempo_.tap(services_.now_s());
    if (tapped > 0) bpm = std::round(tapped);
  }
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted("Tap along to set the tempo.");
  ImGui::PopStyleColor();
  if (bpm != metronome_.bpm) {
    metronome_.bpm = bpm;
    metronome_changed();
  }

  ImGui::TextUnformatted("Time signature");
  if (ImGui::BeginCombo("##metre", kMetres[metre_].name)) {
    for (std::size_t i = 0; i < std::size(kMetres); ++i) {
      if (ImGui::Selectable(kMetres[i].name, i == metre_)) {
        metre_ = i;
        metronome_.beats_per_bar = kMetres[i].beats;
        metronome_.accents = kMetres[i].accents;
        metronome_changed();
      }
    }
    ImGui::EndCombo();
  }
  bool accent = metronome_.accents != 0;
  if (ImGui::Checkbox("Accent the strong beats", &accent)) {
    metronome_.accents = accent ? kMetres[metre_].accents : 0u;
    metronome_changed();
  }
  int count_in = metronome_.count_in_bars;
  ImGui::TextUnformatted("Count-in");
  if (ImGui::SliderInt("##countin", &count_in, 0, 2, count_in == 1 ? "%d bar" : "%d bars")) {
    metronome_.count_in_bars = count_in;  // used at the next start
  }

  if (!metronome_problem_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
    ImGui::TextUnformatted(metronome_problem_.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted("The clicks are timed in the audio engine, so they stay steady even when the "
                         "computer is busy. Use headphones when you also use the microphone.");
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

void App::draw_mic_check() {
  ImGui::PushTextWrapPos(0.0f);
  const MicCheckStep step = mic_check_.step();
  if (mic_state_ != MicState::Running) {
    ImGui::TextUnformatted("Start the microphone first; then Etude measures your room and your playing.");
  } else if (step == MicCheckStep::NotStarted) {
    ImGui::TextUnformatted("Before a scored exercise, check that Etude hears you well: 3 seconds of quiet, "
                           "then 3 seconds of a long, loud note.");
    if (primary_button("Check my microphone")) start_mic_check();
  } else if (step == MicCheckStep::Quiet || step == MicCheckStep::Play) {
    ImGui::PushFont(fonts_.heading);
    ImGui::TextUnformatted(step == MicCheckStep::Quiet ? "1. Stay quiet\u2026" : "2. Now play or sing a long, loud note");
    ImGui::PopFont();
    ImGui::ProgressBar(mic_check_.step_progress(latest_time_s_), {-1, 14}, "");
    if (ImGui::Button("Cancel")) {
      mic_check_.cancel();
      announce_mic_check();
    }
  } else {
    const MicCheckResult& r = mic_check_.result();
    ImGui::PushFont(fonts_.heading);
    ImGui::PushStyleColor(ImGuiCol_Text, r.ready ? ImGui::ColorConvertU32ToFloat4(kInTune) : kWarning);
    ImGui::TextUnformatted(r.ready ? "\u2713 Ready" : "Something to fix");
    ImGui::PopStyleColor();
    ImGui::PopFont();
    for (std::string_view a : r.advice) {
      ImGui::Bullet();
      ImGui::TextUnformatted(a.data(), a.data() + a.size());  // wraps at the window edge
    }
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::Text("Room %.0f dB \u00B7 your playing %.0f dB \u00B7 difference %.0f dB", double(r.noise_floor_dbfs),
                double(r.playing_dbfs), double(r.snr_db));
    ImGui::PopStyleColor();
    if (primary_button("Check again")) start_mic_check();
  }
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  ImGui::Separator();
  draw_calibration();
}

void App::draw_calibration() {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushFont(fonts_.heading);
  ImGui::TextUnformatted("Timing delay");
  ImGui::PopFont();
  if (std::isnan(device_latency_ms_)) {
    ImGui::TextUnformatted("Not measured yet. Every device hears itself a little late; measure it once so "
                           "rhythm feedback is fair.");
  } else {
    ImGui::Text("This device's delay: %.0f ms. Rhythm feedback allows for it.", device_latency_ms_);
  }
  if (calibration_.running()) {
    ImGui::TextUnformatted(calibration_.mode() == LatencyCalibration::Mode::Loudspeaker
                               ? "Listening to the clicks\u2026 keep quiet."
                               : "Clap or tap exactly with each click\u2026");
  } else if (mic_state_ != MicState::Running) {
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::TextUnformatted("Start the microphone to measure it.");
    ImGui::PopStyleColor();
  } else {
    if (primary_button("Measure with the speaker")) start_calibration(false);
    if (ImGui::Button("Using headphones? Tap along instead")) start_calibration(true);
    if (calibration_done_ && !calibration_result_.ok) {
      ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
      ImGui::Text("Etude heard only %d of %d clicks. Turn the volume up and try again, or tap along.",
                  calibration_result_.matched, calibration_result_.clicks);
      ImGui::PopStyleColor();
    } else if (calibration_done_) {
      ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
      ImGui::Text("Measured from %d clicks, steady to within %.0f ms.", calibration_result_.matched,
                  double(calibration_result_.spread_ms));
      ImGui::PopStyleColor();
    }
  }
  ImGui::PopTextWrapPos();
}

void App::draw_play_along() {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushFont(fonts_.heading);
  ImGui::TextUnformatted("Play along");
  ImGui::PopFont();
  if (std::isnan(device_latency_ms_)) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
    ImGui::TextUnformatted("Measure your device's delay on the Mic screen first, or early and late will be off.");
    ImGui::PopStyleColor();
  }
  const std::size_t n = rhythm_.hit_count();
  if (n == 0) {
    ImGui::TextUnformatted("Clap or play a note on each click.");
  } else {
    const RhythmHit& last = rhythm_.hit(n - 1);
    const bool on_time = std::fabs(last.offset_ms) <= RhythmPractice::kOnTimeMs;
    ImGui::PushStyleColor(ImGuiCol_Text, on_time ? ImGui::ColorConvertU32ToFloat4(kInTune) : kWarning);
    if (on_time) {
      ImGui::Text("On time (%+.0f ms)", double(last.offset_ms));
    } else {
      ImGui::Text("%.0f ms %s", double(std::fabs(last.offset_ms)), last.offset_ms < 0 ? "early" : "late");
    }
    ImGui::PopStyleColor();
  }
  // The last hits on a strip from 150 ms early to 150 ms late; the band in the middle is on time.
  const float width = ImGui::GetContentRegionAvail().x, height = 36.0f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const auto x_of = [&](float ms) { return p.x + width * (0.5f + std::clamp(ms, -150.0f, 150.0f) / 300.0f); };
  dl->AddRectFilled({p.x, p.y + 14}, {p.x + width, p.y + 22}, kTrack, 4.0f);
  dl->AddRectFilled({x_of(-RhythmPractice::kOnTimeMs), p.y + 8}, {x_of(RhythmPractice::kOnTimeMs), p.y + 28},
                    IM_COL32(27, 122, 62, 70), 3.0f);
  for (std::size_t i = 0; i < n; ++i) {
    const float age = float(n - 1 - i) / float(RhythmPractice::kKeep);
    const int alpha = int(255 * (1.0f - 0.8f * age));
    dl->AddCircleFilled({x_of(rhythm_.hit(i).offset_ms), p.y + 18}, i + 1 == n ? 8.0f : 5.0f,
                        IM_COL32(24, 95, 116, alpha));
  }
  ImGui::Dummy({width, height});
  end_labels("early", "late");
  if (rhythm_.has_summary()) {
    const BarSummary& b = rhythm_.last_summary();
    ImGui::Text("Bar %d: %d of %d beats, %.0f ms from the beat on average, tending %s.", b.bar + 1, b.hits, b.beats,
                double(b.mean_abs_ms), b.mean_ms < 0 ? "to rush" : "to drag");
  }
  ImGui::PopTextWrapPos();
}

void App::draw_microphone() {
  const bool running = mic_state_ == MicState::Running || mic_state_ == MicState::Starting;
  if (primary_button(running ? "Stop microphone" : "Start microphone", {200, 0})) {
    if (running) {
      services_.stop_microphone();
    } else {
      services_.start_microphone();
    }
  }
  const Message m = mic_message(mic_state_);
  const bool problem = mic_state_ == MicState::Denied || mic_state_ == MicState::NoDevice ||
                       mic_state_ == MicState::Unsupported || mic_state_ == MicState::Failed;
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::PushTextWrapPos(0.0f);
  if (problem) ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
  ImGui::TextUnformatted(m.headline.data(), m.headline.data() + m.headline.size());
  if (problem) ImGui::PopStyleColor();
  // While listening the advice is known by heart; otherwise say what to do.
  if (mic_state_ != MicState::Running) {
    ImGui::PushStyleColor(ImGuiCol_Text, problem ? ImGui::GetStyleColorVec4(ImGuiCol_Text) : kMuted);
    ImGui::TextUnformatted(m.advice.data(), m.advice.data() + m.advice.size());
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
}

namespace {

// "C:maj" -> "C major", "F#:min" -> "F♯ minor", "N" -> "No chord".
std::string chord_words(const std::string& harte) {
  if (harte == "N") return "No chord";
  const auto colon = harte.find(':');
  std::string root = harte.substr(0, colon);
  if (root.size() == 2 && root[1] == '#') root = root.substr(0, 1) + "\u266F";
  if (root.size() == 2 && root[1] == 'b') root = root.substr(0, 1) + "\u266D";
  const std::string quality = colon == std::string::npos ? "maj" : harte.substr(colon + 1);
  static const struct { const char* harte; const char* words; } kQualities[] = {
      {"maj", "major"}, {"min", "minor"}, {"dim", "diminished"}, {"aug", "augmented"}, {"sus2", "sus2"},
      {"sus4", "sus4"}, {"7", "7"}, {"maj7", "major 7"}, {"min7", "minor 7"}, {"hdim7", "half-diminished 7"},
      {"dim7", "diminished 7"}};
  for (const auto& q : kQualities) {
    if (quality == q.harte) return root + " " + q.words;
  }
  return root + " " + quality;
}

}  // namespace

void App::draw_chord_model() {
  ImGui::PushTextWrapPos(0.0f);
  if (mic_state_ == MicState::Running) {
    // Live: the best guess, its confidence, the runners-up, and the input the model saw.
    if (chord_quiet_ || chord_top_.empty()) {
      centered_text(fonts_.heading, chord_quiet_ ? "Play a chord" : "Listening\u2026");
    } else {
      const std::string best = chord_words(chord_top_[0].label);
      centered_text(fonts_.heading, best.c_str());
      char conf[48];
      std::snprintf(conf, sizeof conf, "%.0f%% sure", double(chord_top_[0].probability) * 100.0);
      centered_text(fonts_.body, conf, ImGui::GetColorU32(kMuted));
      for (std::size_t i = 1; i < chord_top_.size(); ++i) {
        ImGui::Text("%zu. %s", i + 1, chord_words(chord_top_[i].label).c_str());
        ImGui::SameLine(ImGui::GetContentRegionMax().x * 0.6f);
        ImGui::ProgressBar(chord_top_[i].probability, {-1, 12}, "");
      }
    }
    if (last_answer_trained_) {
      // The network reads every semitone from E1 to B6, so it knows which note is lowest.
      ImGui::TextUnformatted("What the network hears: every note from E1 to B6 (semitone spectrum)");
      semitone_bars(semitones_shown_, 70.0f, IM_COL32(24, 95, 116, 255));
    } else {
      ImGui::TextUnformatted("What the model hears: the 12 pitch classes (chroma)");
      pitch_class_bars(chroma_shown_, 90.0f, IM_COL32(24, 95, 116, 255));
    }
    if (last_answer_trained_ && !chord_top_.empty() && !chord_quiet_) {
      // Interpretability: blank one pitch class (or a stretch of time) and see how much less sure the
      // model becomes. Tall bars are the evidence the answer rests on.
      ImGui::Text("Why %s? How much less sure the model is without each note:", chord_words(chord_top_[0].label).c_str());
      float relative[12];
      for (int i = 0; i < 12; ++i) relative[i] = pitch_drop_[i] / std::max(explained_probability_, 1e-3f);
      pitch_class_bars(relative, 60.0f, kOffTune);
      ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
      ImGui::Text("Without each quarter of the last 0.17 s, oldest first: %.0f%%  %.0f%%  %.0f%%  %.0f%% less sure",
                  double(std::max(0.0f, time_drop_[0]) * 100), double(std::max(0.0f, time_drop_[1]) * 100),
                  double(std::max(0.0f, time_drop_[2]) * 100), double(std::max(0.0f, time_drop_[3]) * 100));
      ImGui::PopStyleColor();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::TextUnformatted(last_answer_trained_ ? "Model: trained chord classifier (133 chords, a small CNN)."
                                                : "Model: template matcher (24 major and minor triads).");
    ImGui::PopStyleColor();
    if (!classifier_usable_) {
      ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
      ImGui::TextUnformatted(model_detail_.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::Separator();
  }
  ImGui::TextUnformatted(
      "Chords are recognised by models that run on this device. A small neural network (CNN), trained on "
      "thousands of rendered chords, names 133 chords from the last 0.17 s of the semitone spectrum: how loud "
      "each note from E1 to B6 is. Folding those notes into 12 pitch classes (chroma) loses the octave; in "
      "testing, the network that keeps it named the right chord far more often, mostly because it hears the "
      "bass note. The bars under its answer show which notes it rests on. The baseline it must beat is a "
      "template matcher that compares the 12 pitch classes with the patterns of the 24 major and minor "
      "triads; it answers while the network warms up, and whenever the network is unavailable.");
  switch (model_state_) {
    case ModelState::NotLoaded:
      if (primary_button("Load and check the chord model")) {
        model_state_ = ModelState::Loading;
        services_.check_chord_model();
      }
      break;
    case ModelState::Loading:
      ImGui::TextUnformatted("Loading the model\u2026");
      break;
    case ModelState::Ready:
      ImGui::PushStyleColor(ImGuiCol_Text, kInTune);
      ImGui::TextUnformatted("\u2713 Ready.");
      ImGui::PopStyleColor();
      ImGui::SameLine();
      ImGui::TextUnformatted(model_detail_.c_str());
      break;
    case ModelState::Failed:
      ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
      ImGui::TextUnformatted(model_detail_.c_str());
      ImGui::PopStyleColor();
      if (primary_button("Try again")) {
        model_state_ = ModelState::Loading;
        services_.check_chord_model();
      }
      break;
  }
  ImGui::PopTextWrapPos();
}

// What Etude keeps on this device, with a copy and a delete one click away (DESIGN.md).
void App::draw_data_on_device() {
  if (!ImGui::CollapsingHeader("Data on this device")) return;
  const music::Instrument& instrument = music::instruments()[instrument_];
  ImGui::Text("Etude keeps only these settings in this browser: your instrument (%s), the reference pitch "
              "(A4 = %.0f Hz) and your device's timing delay (%s). Never any sound or recording.",
              instrument.name.data(), double(tuner_.settings().a4_hz),
              std::isnan(device_latency_ms_) ? "not measured" : (std::to_string(int(std::lround(device_latency_ms_))) + " ms").c_str());
  if (ImGui::Button("Save a copy")) services_.export_settings();
  ImGui::SameLine();
  if (ImGui::Button("Delete everything")) forget_settings();
  if (settings_deleted_) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, kInTune);
    ImGui::TextUnformatted("\u2713 Deleted.");
    ImGui::PopStyleColor();
  }
}

void App::draw_footer() {
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::PushTextWrapPos(0.0f);
  if (mic_state_ == MicState::Running && sample_rate_ > 0) {
    ImGui::Text("Sample rate %.0f Hz \u00B7 analysis delay %.0f ms \u00B7 A4 = %.0f Hz", double(sample_rate_),
                1000.0 * latency_samples_ / double(sample_rate_), double(tuner_.settings().a4_hz));
  }
  ImGui::TextUnformatted("Everything runs on this device. No sound or recording ever leaves it.");
  ImGui::PopStyleColor();
  if (!storage_problem_.empty()) ImGui::TextUnformatted(storage_problem_.c_str());
  draw_data_on_device();
  ImGui::PopTextWrapPos();
}

}  // namespace etude::app
