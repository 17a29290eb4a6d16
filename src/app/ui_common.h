#pragma once
// What the ImGui screens share: the calm palette and the main-action button. Included by the
// screen sources only (ImGui is a web-build dependency).

#include <imgui.h>

namespace etude::app::ui {

// A calm palette with strong text contrast (WCAG AA against the background).
inline constexpr ImU32 kInTune = IM_COL32(27, 122, 62, 255);
inline constexpr ImU32 kOffTune = IM_COL32(176, 84, 0, 255);
inline constexpr ImU32 kTrack = IM_COL32(214, 209, 198, 255);
inline constexpr ImU32 kTick = IM_COL32(110, 104, 94, 255);
inline constexpr ImU32 kAccent = IM_COL32(24, 95, 116, 255);
inline constexpr ImU32 kInk = IM_COL32(30, 27, 22, 255);
inline constexpr ImVec4 kMuted(0.33f, 0.31f, 0.28f, 1.0f);
inline constexpr ImVec4 kWarning(0.62f, 0.18f, 0.05f, 1.0f);

// The main action of a screen: light text on the accent colour.
inline bool primary_button(const char* label, ImVec2 size = {0, 0}) {
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
  ImGui::PushStyleColor(ImGuiCol_Button, kAccent);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, IM_COL32(18, 79, 97, 255));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, IM_COL32(13, 63, 78, 255));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  return pressed;
}

// Continues the row with the next item (width wide) when it fits before the window's right edge;
// otherwise the item starts a new row. So a row of buttons wraps on a narrow phone instead of
// running off the screen or being cut short.
inline void same_line_if_fits(float width, float spacing = -1.0f) {
  const float gap = spacing < 0 ? ImGui::GetStyle().ItemSpacing.x : spacing;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + gap + width <= right) ImGui::SameLine(0, gap);
}

}  // namespace etude::app::ui
