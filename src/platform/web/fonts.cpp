#include "platform/web/fonts.h"

#include <imgui.h>

#include <algorithm>

extern const unsigned char kEtudeFontRegular[];
extern const unsigned int kEtudeFontRegular_size;
extern const unsigned char kEtudeFontBold[];
extern const unsigned int kEtudeFontBold_size;

namespace etude::web {
namespace {

// Keep in step with RANGES in scripts/embed_font.py.
const ImWchar kTextRanges[] = {0x0020, 0x007E, 0x00A0, 0x00FF, 0x2013, 0x2026, 0x2190, 0x2193, 0x2212, 0x2212,
                               0x25B2, 0x25BC, 0x266D, 0x266F, 0x2713, 0x2713, 0};
// The big note name needs only letters, digits and accidentals: keeps the large atlas small.
const ImWchar kDisplayRanges[] = {0x0030, 0x0039, 0x0041, 0x0047, 0x2013, 0x2013, 0x266D, 0x266F, 0};

ImFont* add(const unsigned char* data, unsigned int size, float px, float dpr, const ImWchar* ranges) {
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // static data
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(data), int(size), px * dpr, &cfg,
                                                    ranges);
}

}  // namespace

app::Fonts load_fonts(float device_pixel_ratio) {
  const float dpr = std::clamp(device_pixel_ratio, 1.0f, 4.0f);
  app::Fonts f;
  f.body = add(kEtudeFontRegular, kEtudeFontRegular_size, 20.0f, dpr, kTextRanges);
  f.heading = add(kEtudeFontBold, kEtudeFontBold_size, 24.0f, dpr, kTextRanges);
  f.display = add(kEtudeFontBold, kEtudeFontBold_size, 96.0f, dpr, kDisplayRanges);
  ImGui::GetIO().FontGlobalScale = 1.0f / dpr;  // rasterised at device pixels, laid out in CSS pixels
  return f;
}

}  // namespace etude::web
