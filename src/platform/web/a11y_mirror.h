#pragma once
// The accessibility mirror: the canvas is opaque to screen readers, so what matters is mirrored
// into the page's DOM (web/index.html #a11y) — an ARIA live region for the tuner and a status line.
//
// Implements:  text updates and data-* attributes (note, cents, f0) for assistive tech and tests.
// Does not:    decide when to speak; the app calls it only when the sentence changes.
// The page must: contain #tuner-live, #app-status, #mic-check-live, #chord-live, #timing-live,
//              #melody-live, #melody-playback-live and #practice-live (web/index.html).

#include <string>
#include <string_view>

#include "app/tuner_state.h"
#include "music/melody.h"

namespace etude::web::a11y {

void announce_tuner(const std::string& spoken, const app::TunerReading& reading);
void announce_status(const std::string& text);
void announce_mic_check(std::string_view step, const std::string& text);
void announce_chord(const std::string& text);
void announce_timing(const std::string& text, double latency_ms);
// The generated melody in words, with its facts as data-* attributes (key, mode, bars, range, the
// MIDI notes, which generator wrote it and why) for tests and tools.
void announce_melody(const std::string& text, const music::Melody& melody, std::string_view source, const std::string& why);
void announce_melody_playback(std::string_view state);
// Practising the melody: the stage as data-stage, the words (results when done) as text.
void announce_practice(std::string_view stage, const std::string& text);
// Marks the navigation button of the screen now shown with aria-current="page".
void announce_screen(int screen);

}  // namespace etude::web::a11y
