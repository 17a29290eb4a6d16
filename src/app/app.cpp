#include "app/app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "music/pitch.h"

namespace etude::app {

namespace {

// A calm palette with strong text contrast (WCAG AA against the background).
constexpr ImU32 kInTune = IM_COL32(27, 122, 62, 255);
constexpr ImU32 kOffTune = IM_COL32(176, 84, 0, 255);
constexpr ImU32 kTrack = IM_COL32(214, 209, 198, 255);
constexpr ImU32 kTick = IM_COL32(110, 104, 94, 255);
constexpr ImVec4 kMuted(0.33f, 0.31f, 0.28f, 1.0f);
constexpr ImVec4 kWarning(0.62f, 0.18f, 0.05f, 1.0f);
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
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted("\u266D flat");
  const char* sharp = "sharp \u266F";
  ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(sharp).x);
  ImGui::TextUnformatted(sharp);
  ImGui::PopStyleColor();
}

// The main action of a section: light text on the accent colour.
bool primary_button(const char* label, ImVec2 size = {0, 0}) {
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor();
  return pressed;
}

}  // namespace

App::App(AppServices& services, Fonts fonts) : services_(services), fonts_(fonts) {}

bool App::on_audio_frames(std::span<const dsp::FeatureFrame> frames) {
  bool changed = false;
  for (const dsp::FeatureFrame& f : frames) changed |= tuner_.on_frame(f);
  if (changed) {
    std::string spoken = tuner_.spoken();
    if (spoken != last_spoken_) {
      last_spoken_ = std::move(spoken);
      services_.announce_tuner(last_spoken_, tuner_.reading());
    }
  }
  return changed;
}

bool App::on_mic_state(MicState state, float sample_rate, int latency_samples) {
  if (state == mic_state_ && sample_rate == sample_rate_) return false;
  mic_state_ = state;
  sample_rate_ = sample_rate;
  latency_samples_ = latency_samples;
  if (state != MicState::Running) {
    tuner_.reset();
    last_spoken_.clear();
  }
  const Message m = mic_message(state);
  services_.announce_status(std::string(m.headline) + " " + std::string(m.advice));
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
  ImGui::TextUnformatted("\u00B7 Tuner");
  ImGui::PopStyleColor();
  ImGui::Separator();

  draw_tuner();
  ImGui::Spacing();
  draw_microphone();
  ImGui::Spacing();
  draw_chord_model();
  draw_footer();

  ImGui::PopItemWidth();
  ImGui::End();
}

void App::draw_tuner() {
  const TunerReading& r = tuner_.reading();
  ImGui::Spacing();
  if (r.has_note) {
    const std::string name = music::note_name(r.note.midi);
    const bool in_tune = std::fabs(r.note.cents) <= kInTuneCents;
    centered_text(fonts_.display, name.c_str(), in_tune ? kInTune : 0);
    char line[64];
    const long c = std::lround(r.note.cents);
    if (c == 0) {
      std::snprintf(line, sizeof line, "in tune  \u00B7  %.1f Hz", double(r.f0_hz));
    } else {
      std::snprintf(line, sizeof line, "%+ld cents %s  \u00B7  %.1f Hz", c, c > 0 ? "sharp" : "flat", double(r.f0_hz));
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
}

void App::draw_microphone() {
  const bool running = mic_state_ == MicState::Running || mic_state_ == MicState::Starting;
  if (primary_button(running ? "Stop microphone" : "Start microphone", {220, 0})) {
    if (running) {
      services_.stop_microphone();
    } else {
      services_.start_microphone();
    }
  }
  const Message m = mic_message(mic_state_);
  const bool problem = mic_state_ == MicState::Denied || mic_state_ == MicState::NoDevice ||
                       mic_state_ == MicState::Unsupported || mic_state_ == MicState::Failed;
  ImGui::PushTextWrapPos(0.0f);
  if (problem) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
    ImGui::PushFont(fonts_.heading);
    ImGui::TextUnformatted(m.headline.data(), m.headline.data() + m.headline.size());
    ImGui::PopFont();
    ImGui::PopStyleColor();
  } else {
    ImGui::TextUnformatted(m.headline.data(), m.headline.data() + m.headline.size());
  }
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(m.advice.data(), m.advice.data() + m.advice.size());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

void App::draw_chord_model() {
  if (!ImGui::CollapsingHeader("Chord model \u00B7 ML lab")) return;
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(
      "Chords are recognised by a model that runs on this device. The first model is a template matcher: "
      "it compares the 12 pitch classes you play with the patterns of the 24 major and minor triads.");
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
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

}  // namespace etude::app
