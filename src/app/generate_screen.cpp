// The Generate screen: conditions in, a melody on a staff out, played with a gentle synth voice,
// with the generator's confidence for every note and a plain statement of which generator wrote it.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/app.h"
#include "app/label_fit.h"
#include "app/staff_layout.h"
#include "app/ui_common.h"
#include "music/instruments.h"
#include "music/pitch.h"

namespace etude::app {

using namespace ui;

namespace {

constexpr ImU32 kStaffLine = IM_COL32(120, 113, 102, 255);
constexpr ImU32 kSounding = IM_COL32(217, 95, 2, 255);

// A gentle label above a group of controls.
void label(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

// Approximate clef shapes from curves (the embedded font has no musical symbols).
void draw_treble_clef(ImDrawList* dl, float x, float y_bottom, float s, ImU32 col) {
  const auto y = [&](float pos) { return y_bottom - pos * s * 0.5f; };
  const float cx = x + s * 1.1f;
  // The curl round the G line (position 2), drawn outward, then up to the top loop and down the stem.
  dl->PathClear();
  for (int i = 0; i <= 40; ++i) {
    const float t = float(i) / 40.0f;
    const float a = 3.6f + t * 5.6f;
    const float r = s * (0.35f + 0.95f * t);
    dl->PathLineTo({cx + r * std::cos(a), y(1.6f) + r * std::sin(a)});
  }
  dl->PathBezierCubicCurveTo({cx + s * 1.4f, y(7.0f)}, {cx + s * 1.1f, y(10.5f)}, {cx + s * 0.3f, y(11.2f)});
  dl->PathBezierCubicCurveTo({cx - s * 0.6f, y(10.0f)}, {cx - s * 0.2f, y(6.5f)}, {cx + s * 0.1f, y(3.0f)});
  dl->PathLineTo({cx + s * 0.35f, y(-2.5f)});
  dl->PathBezierCubicCurveTo({cx + s * 0.4f, y(-4.0f)}, {cx - s * 0.7f, y(-4.2f)}, {cx - s * 0.6f, y(-3.0f)});
  dl->PathStroke(col, 0, s * 0.22f);
  dl->AddCircleFilled({cx - s * 0.45f, y(-3.0f)}, s * 0.32f, col);
}

void draw_bass_clef(ImDrawList* dl, float x, float y_bottom, float s, ImU32 col) {
  const auto y = [&](float pos) { return y_bottom - pos * s * 0.5f; };
  const float cx = x + s * 0.7f;
  dl->AddCircleFilled({cx, y(6.0f)}, s * 0.38f, col);
  dl->PathClear();
  dl->PathLineTo({cx, y(6.0f)});
  dl->PathBezierCubicCurveTo({cx, y(8.2f)}, {cx + s * 1.9f, y(8.4f)}, {cx + s * 1.8f, y(5.6f)});
  dl->PathBezierCubicCurveTo({cx + s * 1.7f, y(3.2f)}, {cx + s * 0.6f, y(1.4f)}, {cx - s * 0.5f, y(0.6f)});
  dl->PathStroke(col, 0, s * 0.24f);
  dl->AddCircleFilled({cx + s * 2.4f, y(7.0f)}, s * 0.17f, col);
  dl->AddCircleFilled({cx + s * 2.4f, y(5.0f)}, s * 0.17f, col);
}

void draw_rest(ImDrawList* dl, float x, float y_bottom, float s, int value, ImU32 col) {
  const auto y = [&](float pos) { return y_bottom - pos * s * 0.5f; };
  if (value == 16) {
    dl->AddRectFilled({x - s * 0.6f, y(6.0f)}, {x + s * 0.6f, y(5.0f)}, col);  // hangs from the 4th line
  } else if (value == 8 || value == 12) {
    dl->AddRectFilled({x - s * 0.6f, y(5.0f)}, {x + s * 0.6f, y(4.0f)}, col);  // sits on the middle line
  } else if (value == 4 || value == 6) {
    const ImVec2 pts[] = {{x - s * 0.3f, y(7.2f)}, {x + s * 0.35f, y(5.6f)}, {x - s * 0.25f, y(4.2f)},
                          {x + s * 0.35f, y(2.8f)}, {x - s * 0.3f, y(2.6f)}, {x + s * 0.1f, y(1.4f)}};
    dl->AddPolyline(pts, 6, col, 0, s * 0.26f);
  } else {
    // Eighth (one hook) or sixteenth (two hooks).
    const int hooks = value == 1 ? 2 : 1;
    dl->AddLine({x + s * 0.45f, y(5.6f)}, {x - s * 0.15f, y(5.6f - 2.0f * float(hooks) - 1.6f)}, col, s * 0.16f);
    for (int h = 0; h < hooks; ++h) {
      const float top = 5.6f - 2.0f * float(h);
      dl->AddCircleFilled({x - s * 0.25f, y(top - 0.3f)}, s * 0.22f, col);
      dl->AddBezierQuadratic({x - s * 0.25f, y(top - 0.5f)}, {x + s * 0.1f, y(top - 0.9f)}, {x + s * 0.45f - s * 0.12f * float(h), y(top - 0.0f)}, col, s * 0.12f);
    }
  }
  if (value == 3 || value == 6 || value == 12) dl->AddCircleFilled({x + s * 0.9f, y(5.0f)}, s * 0.13f, col);
}

void accidental_glyph(ImDrawList* dl, ImFont*, ImVec2 c, float s, int a, ImU32 col) {
  // Drawn from lines (the font's signs are too small at staff size). c: centre on the staff position.
  const float thin = std::max(1.0f, s * 0.12f), thick = s * 0.3f;
  const auto sharp = [&](float x) {
    dl->AddLine({x - s * 0.2f, c.y - s * 1.3f}, {x - s * 0.2f, c.y + s * 1.45f}, col, thin);
    dl->AddLine({x + s * 0.2f, c.y - s * 1.45f}, {x + s * 0.2f, c.y + s * 1.3f}, col, thin);
    dl->AddLine({x - s * 0.5f, c.y - s * 0.25f}, {x + s * 0.5f, c.y - s * 0.55f}, col, thick);
    dl->AddLine({x - s * 0.5f, c.y + s * 0.55f}, {x + s * 0.5f, c.y + s * 0.25f}, col, thick);
  };
  const auto flat = [&](float x) {
    dl->AddLine({x - s * 0.3f, c.y - s * 1.9f}, {x - s * 0.3f, c.y + s * 0.5f}, col, thin * 1.2f);
    dl->PathClear();
    dl->PathLineTo({x - s * 0.3f, c.y + s * 0.5f});
    dl->PathBezierCubicCurveTo({x + s * 0.3f, c.y + s * 0.05f}, {x + s * 0.75f, c.y - s * 0.55f}, {x + s * 0.25f, c.y - s * 0.6f});
    dl->PathBezierCubicCurveTo({x, c.y - s * 0.62f}, {x - s * 0.2f, c.y - s * 0.4f}, {x - s * 0.3f, c.y - s * 0.2f});
    dl->PathStroke(col, 0, thin * 1.6f);
  };
  switch (a) {
    case 1: sharp(c.x); break;
    case 2: {  // double sharp: an x
      const float r = s * 0.38f;
      dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, col, thin * 1.8f);
      dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, col, thin * 1.8f);
      break;
    }
    case -1: flat(c.x); break;
    case -2: flat(c.x - s * 0.45f); flat(c.x + s * 0.45f); break;
    case 3:  // natural
      dl->AddLine({c.x - s * 0.3f, c.y - s * 1.45f}, {c.x - s * 0.3f, c.y + s * 0.65f}, col, thin);
      dl->AddLine({c.x + s * 0.3f, c.y - s * 0.65f}, {c.x + s * 0.3f, c.y + s * 1.45f}, col, thin);
      dl->AddLine({c.x - s * 0.3f, c.y - s * 0.25f}, {c.x + s * 0.3f, c.y - s * 0.5f}, col, thick * 0.8f);
      dl->AddLine({c.x - s * 0.3f, c.y + s * 0.6f}, {c.x + s * 0.3f, c.y + s * 0.35f}, col, thick * 0.8f);
      break;
    default: break;
  }
}

}  // namespace

bool App::generate_melody() {
  stop_melody_playback();
  if (generate_.generate()) {
    services_.generate_melody(generate_.noise(), generate_.conditions(), GenerateSession::kBatch);
  } else {
    melody_changed();
  }
  return true;
}

bool App::set_melody_conditions(int key, int mode, int difficulty, int meter, int bars) {
  music::MelodySpec spec = generate_.spec;
  spec.key = key;
  spec.mode = music::Mode(std::clamp(mode, 0, 1));
  spec.difficulty = difficulty;
  spec.meter = music::Meter(std::clamp(meter, 0, music::kMeterCount - 1));
  spec.bars = bars;
  if (spec.validate() != nullptr) return false;
  generate_.spec = spec;
  return true;
}

bool App::on_melody_probabilities(std::span<const float> probabilities, int rows) {
  if (!generate_.waiting()) return false;
  generate_.on_probabilities(probabilities, rows);
  melody_changed();
  return true;
}

bool App::on_melody_model_failed(const std::string& why) {
  const bool was_waiting = generate_.waiting();
  generate_.on_model_failed(why);
  if (was_waiting) melody_changed();
  return true;
}

void App::melody_changed() {
  if (!generate_.has_melody()) return;
  const music::Melody& m = generate_.melody();
  services_.announce_melody(music::describe(m), m, m.source == music::MelodySource::Model ? "model" : "rules",
                            generate_.fallback_reason());
}

bool App::toggle_melody_playback() {
  if (melody_playing_) {
    stop_melody_playback();
    return true;
  }
  if (!generate_.has_melody()) return false;
  play_notes(generate_.melody(), melody_bpm_, -1.0);
  return true;
}

void App::play_notes(const music::Melody& m, float bpm, double start_frame) {
  const double step_s = seconds_per_step(m.spec.meter, bpm);
  played_.clear();
  for (int i = 0; i < int(m.events.size()); ++i) {
    const music::MelodyEvent& e = m.events[std::size_t(i)];
    if (e.is_rest()) continue;
    played_.push_back({e.start * step_s, e.steps * step_s, e.midi, i});
  }
  melody_playing_ = true;
  melody_sounding_ = -1;
  services_.play_melody(played_, start_frame);
  services_.announce_melody_playback("playing");
}

void App::stop_melody_playback() {
  if (!melody_playing_) return;
  services_.stop_melody();
  melody_playing_ = false;
  melody_sounding_ = -1;
  services_.announce_melody_playback("ended");
}

bool App::on_melody_playback(int event) {
  if (!melody_playing_) return false;
  if (event < 0) {
    melody_playing_ = false;
    melody_sounding_ = -1;
    services_.announce_melody_playback("ended");
  } else {
    melody_sounding_ = event;
  }
  return true;
}

void App::draw_generate() {
  ImGui::PushTextWrapPos(0.0f);
  draw_generate_settings();

  const bool waiting = generate_.waiting();
  ImGui::BeginDisabled(waiting);
  if (primary_button(generate_.has_melody() ? "Regenerate" : "Generate a melody", {220, 0})) generate_melody();
  ImGui::EndDisabled();
  // On a narrow screen the buttons wrap to the next row rather than run off the edge.
  ui::same_line_if_fits(110);
  ImGui::BeginDisabled(!generate_.has_melody() || waiting);
  if (ImGui::Button(melody_playing_ ? "Stop" : "Play", {110, 0})) toggle_melody_playback();
  const float practise_w = ImGui::CalcTextSize("Practise it").x + ImGui::GetStyle().FramePadding.x * 2;
  ui::same_line_if_fits(practise_w);
  if (ImGui::Button("Practise it")) send_melody_to_practice();
  ImGui::EndDisabled();

  if (waiting) {
    ImGui::TextUnformatted(generate_.generated() == 0 ? "Loading the melody generator and writing\u2026" : "Writing\u2026");
  } else if (generate_.has_melody()) {
    const music::Melody& m = generate_.melody();
    const std::string heading = music::key_name(m.spec.key, m.spec.mode) + ", " + music::meter_name(m.spec.meter) +
                                ", " + std::to_string(m.spec.bars) + " bars";
    ImGui::PushFont(fonts_.heading);
    ImGui::TextUnformatted(heading.c_str());
    ImGui::PopFont();
    draw_melody_staff();
    if (m.source == music::MelodySource::Model) {
      draw_melody_confidence();
    } else {
      ImGui::PushStyleColor(ImGuiCol_Text, kWarning);
      ImGui::Text("Written by the rule-based generator. %s", generate_.fallback_reason().c_str());
      ImGui::PopStyleColor();
      if (generate_.model_failed() && ImGui::Button("Try the model again")) {
        generate_.retry_model();
        generate_melody();
      }
    }
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::TextUnformatted("Choose a key, a difficulty and a length, then Generate: a small neural network on this "
                           "device writes a fresh melody for you to read, hear and practise.");
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
}

void App::draw_generate_settings() {
  music::MelodySpec& spec = generate_.spec;
  const auto all = music::instruments();
  // Label and control side by side, two pairs a row on a laptop, one on a phone.
  const bool wide = ImGui::GetContentRegionAvail().x >= 560.0f;
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, {10, 6});
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, {10, 6});
  if (ImGui::BeginTable("conditions", wide ? 4 : 2)) {
    const float label_w = ImGui::CalcTextSize("Instrument").x + 6.0f;
    ImGui::TableSetupColumn("l1", ImGuiTableColumnFlags_WidthFixed, label_w);
    ImGui::TableSetupColumn("c1", ImGuiTableColumnFlags_WidthStretch);
    if (wide) {
      ImGui::TableSetupColumn("l2", ImGuiTableColumnFlags_WidthFixed, label_w);
      ImGui::TableSetupColumn("c2", ImGuiTableColumnFlags_WidthStretch);
    }
    const auto field = [](const char* text) {
      ImGui::TableNextColumn();
      ImGui::AlignTextToFramePadding();
      label(text);
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1);
    };
    field("Key");
    static const char* kKeys[2][12] = {
        {"C", "D\u266D", "D", "E\u266D", "E", "F", "F\u266F", "G", "A\u266D", "A", "B\u266D", "B"},
        {"C", "C\u266F", "D", "E\u266D", "E", "F", "F\u266F", "G", "G\u266F", "A", "B\u266D", "B"}};
    const char* const* names = kKeys[int(spec.mode)];
    if (ImGui::BeginCombo("##key", names[spec.key])) {
      for (int k = 0; k < 12; ++k) {
        if (ImGui::Selectable(names[k], k == spec.key)) spec.key = k;
        if (k == spec.key) ImGui::SetItemDefaultFocus();
      }
      ImGui::EndCombo();
    }
    field("Mode");
    int mode = int(spec.mode);
    ImGui::RadioButton("major", &mode, 0);
    ImGui::SameLine();
    ImGui::RadioButton("minor", &mode, 1);
    spec.mode = music::Mode(mode);

    field("Time");
    int meter = int(spec.meter);
    if (ImGui::Combo("##meter", &meter, "2/4\0" "3/4\0" "4/4\0" "6/8\0")) spec.meter = music::Meter(meter);
    field("Bars");
    for (int b = 2; b <= 4; ++b) {
      char id[8];
      std::snprintf(id, sizeof id, "%d##bars", b);
      if (b > 2) ImGui::SameLine();
      ImGui::RadioButton(id, &spec.bars, b);
    }

    field("Difficulty");
    ImGui::SliderInt("##difficulty", &spec.difficulty, 1, 5,
                     spec.difficulty == 1 ? "1 (easiest)" : spec.difficulty == 5 ? "5 (hardest)" : "%d");
    field("Tempo");
    ImGui::SliderFloat("##tempo", &melody_bpm_, 40.0f, 160.0f,
                       spec.meter == music::Meter::SixEight ? "%.0f BPM (dotted quarters)" : "%.0f BPM");
    melody_bpm_ = std::round(melody_bpm_);

    field("Instrument");
    // On a phone the longer names ("Descant recorder (sounds an octave higher)") do not fit the
    // box: it shows what fits and the rest is written underneath, so nothing is cut off.
    const FittedLabel shown = fit_label(
        all[generate_instrument_].name,
        ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight() - 2.0f * ImGui::GetStyle().FramePadding.x,
        [](std::string_view s) { return ImGui::CalcTextSize(s.data(), s.data() + s.size()).x; });
    if (ImGui::BeginCombo("##ginstrument", shown.box.c_str())) {
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (ImGui::Selectable(all[i].name.data(), i == generate_instrument_)) {
          generate_instrument_ = i;
          range_from_instrument_ = true;
        }
      }
      ImGui::EndCombo();
    }
    if (!shown.below.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
      ImGui::TextWrapped("%s", shown.below.c_str());
      ImGui::PopStyleColor();
    }
    field("Range");
    const std::string lo = music::spelled_name(music::spell(spec.low, spec.key, spec.mode));
    const std::string hi = music::spelled_name(music::spell(spec.high, spec.key, spec.mode));
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f - 4);
    int low = spec.low, high = spec.high;
    if (ImGui::SliderInt("##low", &low, music::kLowestMidi, music::kHighestMidi - 5, lo.c_str())) range_from_instrument_ = false;
    ImGui::SameLine(0, 8);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderInt("##high", &high, music::kLowestMidi + 5, music::kHighestMidi, hi.c_str())) range_from_instrument_ = false;
    // Keep at least 5 semitones: the hand that moved pushes the other.
    if (low != spec.low) high = std::max(high, low + 5);
    if (high != spec.high) low = std::min(low, high - 5);
    spec.low = low;
    spec.high = high;
    ImGui::EndTable();
  }
  ImGui::PopStyleVar(2);
  // Until the student moves the range, it follows the instrument and the difficulty.
  if (range_from_instrument_) {
    const PitchRange r = in_key_range(practice_range(all[generate_instrument_], spec.difficulty), spec.key, spec.mode);
    spec.low = r.low;
    spec.high = r.high;
  }
  if (all[generate_instrument_].transposition % 12 != 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
    ImGui::TextUnformatted("Melodies are written at concert pitch.");
    ImGui::PopStyleColor();
  }
}

void App::draw_melody_staff() {
  const music::Melody& m = generate_.melody();
  const float width = ImGui::GetContentRegionAvail().x;
  const int per_system = m.spec.bars <= 2 || width > 900 ? m.spec.bars : 2;
  const StaffLayout layout = layout_staff(m, width, per_system);
  const float s = 9.0f;  // space between staff lines
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  // Room above and below the staff for ledger lines and stems (in staff positions).
  int top = 12, bottom = -5;
  for (const StaffSymbol& sym : layout.symbols) {
    if (sym.rest) continue;
    top = std::max(top, sym.position + (sym.stem_up ? 8 : 2));
    bottom = std::min(bottom, sym.position - (sym.stem_up ? 2 : 8));
  }
  const float above = float(top - 8) * s * 0.5f, below = float(-bottom) * s * 0.5f;
  const float rx = s * 0.62f, ry = s * 0.45f;  // note head radii
  // Beamed groups: one stem direction for the group, the beam flat at the outermost stem tip.
  const std::vector<int> groups = beam_groups(layout, m.spec.meter);
  struct Beam {
    bool up = true;
    float beam_pos = 0;  // staff position of the beam (stems end there)
    std::vector<std::size_t> members;
  };
  std::vector<Beam> beams;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    if (groups[k] < 0) continue;
    if (std::size_t(groups[k]) >= beams.size()) beams.resize(std::size_t(groups[k]) + 1);
    beams[std::size_t(groups[k])].members.push_back(k);
  }
  for (Beam& b : beams) {
    float sum = 0, lo_pos = 1e9f, hi_pos = -1e9f;
    for (std::size_t k : b.members) {
      const float pos = float(layout.symbols[k].position);
      sum += pos;
      lo_pos = std::min(lo_pos, pos);
      hi_pos = std::max(hi_pos, pos);
    }
    b.up = sum / float(b.members.size()) < 4.0f;
    b.beam_pos = b.up ? std::max(hi_pos + 7.0f, 4.0f) : std::min(lo_pos - 7.0f, 4.0f);
  }
  const float system_h = above + 4 * s + below + 26.0f;  // + the confidence strip and its numbers
  float y0 = origin.y;
  for (std::size_t si = 0; si < layout.systems.size(); ++si) {
    const StaffSystem& sys = layout.systems[si];
    const float yb = y0 + above + 4 * s;  // bottom line
    const auto y = [&](float pos) { return yb - pos * s * 0.5f; };
    const float x_end = origin.x + sys.bar_lines.back();
    for (int l = 0; l < 5; ++l) dl->AddLine({origin.x, y(float(2 * l))}, {x_end, y(float(2 * l))}, kStaffLine, 1.0f);
    dl->AddLine({origin.x, y(0)}, {origin.x, y(8)}, kStaffLine, 1.0f);
    if (layout.clef == Clef::Treble) {
      draw_treble_clef(dl, origin.x + 2, yb, s, kInk);
    } else {
      draw_bass_clef(dl, origin.x + 4, yb, s, kInk);
    }
    float kx = origin.x + 34.0f;
    for (int pos : layout.key_positions) {
      accidental_glyph(dl, fonts_.display, {kx + 5, y(float(pos))}, s, layout.fifths > 0 ? 1 : -1, kInk);
      kx += s * 1.15f;
    }
    ImGui::PushFont(fonts_.heading);
    if (sys.time_signature) {
      char num[4], den[4];
      std::snprintf(num, sizeof num, "%d", music::meter_numerator(m.spec.meter));
      std::snprintf(den, sizeof den, "%d", music::meter_denominator(m.spec.meter));
      const float tx = origin.x + sys.music_start - 22.0f;
      dl->AddText({tx, y(8) - 2}, kInk, num);
      dl->AddText({tx, y(4) - 2}, kInk, den);
    }
    ImGui::PopFont();
    for (std::size_t b = 0; b < sys.bar_lines.size(); ++b) {
      const float x = origin.x + sys.bar_lines[b];
      const bool last = sys.final_bar && b + 1 == sys.bar_lines.size();
      if (last) {
        dl->AddLine({x - 5, y(0)}, {x - 5, y(8)}, kInk, 1.2f);
        dl->AddRectFilled({x - 3, y(8)}, {x, y(0)}, kInk);
      } else {
        dl->AddLine({x, y(0)}, {x, y(8)}, kInk, 1.2f);
      }
    }
    // Notes and rests of this system.
    for (std::size_t k = 0; k < layout.symbols.size(); ++k) {
      const StaffSymbol& sym = layout.symbols[k];
      if (sym.system != int(si)) continue;
      const float x = origin.x + sym.x;
      const ImU32 col = sym.event == melody_sounding_ ? kSounding : kInk;
      if (sym.rest) {
        draw_rest(dl, x, yb, s, sym.value, col);
        continue;
      }
      for (int l = 1; l <= sym.ledger_below; ++l) dl->AddLine({x - s, y(float(-2 * l))}, {x + s, y(float(-2 * l))}, kStaffLine, 1.0f);
      for (int l = 1; l <= sym.ledger_above; ++l) dl->AddLine({x - s, y(float(8 + 2 * l))}, {x + s, y(float(8 + 2 * l))}, kStaffLine, 1.0f);
      const float hy = y(float(sym.position));
      const Beam* beam = groups[k] >= 0 ? &beams[std::size_t(groups[k])] : nullptr;
      if (sym.filled()) {
        dl->AddEllipseFilled({x, hy}, rx, ry, col, -0.35f);
      } else {
        dl->AddEllipse({x, hy}, rx, ry, col, -0.35f, 0, sym.value == 16 ? 2.2f : 1.8f);
      }
      if (sym.accidental != 0) accidental_glyph(dl, fonts_.display, {x - rx - 7, hy}, s, sym.accidental, col);
      if (sym.dotted()) {
        const float dot_y = sym.position % 2 == 0 ? y(float(sym.position) + 1) : hy;  // dots sit in spaces
        dl->AddCircleFilled({x + rx + 5, dot_y}, 1.8f, col);
      }
      if (sym.value < 16) {
        const bool up = beam ? beam->up : sym.stem_up;
        const float sx = up ? x + rx - 0.8f : x - rx + 0.8f;
        const float tip = beam ? y(beam->beam_pos) : (up ? hy - 3.5f * s : hy + 3.5f * s);
        dl->AddLine({sx, hy}, {sx, tip}, col, 1.3f);
        for (int f = 0; !beam && f < sym.flags(); ++f) {
          const float fy = tip + (sym.stem_up ? 1 : -1) * float(f) * s * 0.8f;
          const float dir = sym.stem_up ? 1.0f : -1.0f;
          dl->AddBezierCubic({sx, fy}, {sx + s * 0.2f, fy + dir * s * 0.9f}, {sx + s * 1.2f, fy + dir * s * 1.1f},
                             {sx + s * 0.9f, fy + dir * s * 2.4f}, col, 1.6f);
        }
      }
      if (sym.tie_to_next && k + 1 < layout.symbols.size()) {
        const StaffSymbol& next = layout.symbols[k + 1];
        const float x2 = next.system == sym.system ? origin.x + next.x : x_end;
        const float ty = sym.stem_up ? hy + s * 0.7f : hy - s * 0.7f;
        const float bend = sym.stem_up ? s * 0.9f : -s * 0.9f;
        dl->AddBezierCubic({x + rx * 0.6f, ty}, {x + (x2 - x) * 0.3f, ty + bend}, {x + (x2 - x) * 0.7f, ty + bend},
                           {x2 - rx * 0.6f, ty}, col, 1.4f);
      }
      // The generator's confidence: a small bar under each note where it begins.
      if (sym.first_piece && m.source == music::MelodySource::Model) {
        const float c = std::clamp(m.events[std::size_t(sym.event)].confidence, 0.0f, 1.0f);
        const float cy = yb + below + 10.0f;
        dl->AddRectFilled({x - 6, cy - 10}, {x + 6, cy}, kTrack, 2.0f);
        dl->AddRectFilled({x - 6, cy - 10 * c}, {x + 6, cy}, c >= 0.5f ? kAccent : kOffTune, 2.0f);
        // The percentage under it, where the next note leaves room.
        float room = 1e9f;
        for (std::size_t j = k + 1; j < layout.symbols.size(); ++j) {
          if (layout.symbols[j].system != sym.system) break;
          if (!layout.symbols[j].rest && layout.symbols[j].first_piece) {
            room = layout.symbols[j].x - sym.x;
            break;
          }
        }
        char pct[8];
        std::snprintf(pct, sizeof pct, "%.0f", 100.0 * double(c));
        const ImVec2 tsz = ImGui::GetFont()->CalcTextSizeA(12.0f, 1e9f, 0, pct);
        if (room >= tsz.x + 6) dl->AddText(ImGui::GetFont(), 12.0f, {x - tsz.x * 0.5f, cy + 1}, kTick, pct);
      }
    }
    // Beams: the main one across the group, a second one for sixteenths (a stub when alone).
    for (const Beam& b : beams) {
      if (layout.symbols[b.members.front()].system != int(si)) continue;
      const auto stem_x = [&](std::size_t k) { return origin.x + layout.symbols[k].x + (b.up ? rx - 0.8f : -rx + 0.8f); };
      const float by = y(b.beam_pos), thick = s * 0.45f, dir = b.up ? 1.0f : -1.0f;
      const auto bar = [&](float x0, float x1, float yy) {
        dl->AddRectFilled({std::min(x0, x1) - 0.6f, std::min(yy, yy + dir * thick)},
                          {std::max(x0, x1) + 0.6f, std::max(yy, yy + dir * thick)}, kInk);
      };
      bar(stem_x(b.members.front()), stem_x(b.members.back()), by);
      const float by2 = by + dir * s * 0.75f;
      for (std::size_t i = 0; i < b.members.size(); ++i) {
        const std::size_t k = b.members[i];
        if (layout.symbols[k].value != 1) continue;
        const bool next16 = i + 1 < b.members.size() && layout.symbols[b.members[i + 1]].value == 1;
        const bool prev16 = i > 0 && layout.symbols[b.members[i - 1]].value == 1;
        if (next16) {
          bar(stem_x(k), stem_x(b.members[i + 1]), by2);
        } else if (!prev16) {
          bar(stem_x(k), stem_x(k) + (i + 1 < b.members.size() ? s : -s), by2);
        }
      }
    }
    if (m.source == music::MelodySource::Model) {
      ImFont* f = ImGui::GetFont();
      dl->AddText(f, 14.0f, {origin.x, yb + below - 5.0f}, IM_COL32(84, 79, 71, 255), "model sure");
      dl->AddText(f, 14.0f, {origin.x, yb + below + 9.0f}, IM_COL32(84, 79, 71, 255), "(percent)");
    }
    y0 += system_h;
  }
  ImGui::Dummy({width, y0 - origin.y});
}

void App::draw_melody_confidence() {
  const music::Melody& m = generate_.melody();
  double sum = 0;
  int n = 0, lowest = -1;
  for (int i = 0; i < int(m.events.size()); ++i) {
    const music::MelodyEvent& e = m.events[std::size_t(i)];
    if (e.is_rest()) continue;
    sum += e.confidence;
    ++n;
    if (lowest < 0 || e.confidence < m.events[std::size_t(lowest)].confidence) lowest = i;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, kMuted);
  if (n > 0 && lowest >= 0) {
    const music::MelodyEvent& low = m.events[std::size_t(lowest)];
    const std::string name = music::spelled_name(music::spell(low.midi, m.spec.key, m.spec.mode));
    ImGui::Text("Written by the melody generator (a small neural network, a GAN). The bars under the notes show "
                "how sure it was of each one: %.0f%% on average, least sure of the %s (%.0f%%).",
                100.0 * sum / n, name.c_str(), 100.0 * double(low.confidence));
  }
  ImGui::PopStyleColor();
}

}  // namespace etude::app
