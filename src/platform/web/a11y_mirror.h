#pragma once
// The accessibility mirror: the canvas is opaque to screen readers, so what matters is mirrored
// into the page's DOM (web/index.html #a11y) — an ARIA live region for the tuner and a status line.
//
// Implements:  text updates and data-* attributes (note, cents, f0) for assistive tech and tests.
// Does not:    decide when to speak; the app calls it only when the sentence changes.
// The page must: contain #tuner-live, #app-status, #mic-check-live, #chord-live and #timing-live (web/index.html).

#include <string>
#include <string_view>

#include "app/tuner_state.h"

namespace etude::web::a11y {

void announce_tuner(const std::string& spoken, const app::TunerReading& reading);
void announce_status(const std::string& text);
void announce_mic_check(std::string_view step, const std::string& text);
void announce_chord(const std::string& text);
void announce_timing(const std::string& text, double latency_ms);

}  // namespace etude::web::a11y
