#pragma once
// Embedded fonts (DejaVu Sans, subset at build time by scripts/embed_font.py), rasterised at the
// device pixel ratio so text is sharp on HiDPI screens.

#include "app/app.h"

namespace etude::web {

app::Fonts load_fonts(float device_pixel_ratio);

}  // namespace etude::web
