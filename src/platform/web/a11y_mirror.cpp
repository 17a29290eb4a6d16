#include "platform/web/a11y_mirror.h"

#include <emscripten.h>

#include "music/pitch.h"

EM_JS(void, etude_js_set_tuner, (const char* spoken, const char* note, float cents, float f0_hz), {
  const el = document.getElementById('tuner-live');
  if (!el) return;
  el.textContent = UTF8ToString(spoken);
  const name = UTF8ToString(note);
  el.dataset.note = name;
  el.dataset.cents = name ? cents.toFixed(1) : "";
  el.dataset.f0 = name ? f0_hz.toFixed(2) : "";
});

EM_JS(void, etude_js_set_status, (const char* text), {
  const el = document.getElementById('app-status');
  if (el) el.textContent = UTF8ToString(text);
});

EM_JS(void, etude_js_set_mic_check, (const char* step, const char* text), {
  const el = document.getElementById('mic-check-live');
  if (!el) return;
  el.dataset.step = UTF8ToString(step);
  el.textContent = UTF8ToString(text);
});

namespace etude::web::a11y {

void announce_tuner(const std::string& spoken, const app::TunerReading& reading) {
  const std::string note = reading.has_note ? music::note_name(reading.note.midi, /*ascii=*/true) : "";
  etude_js_set_tuner(spoken.c_str(), note.c_str(), reading.note.cents, reading.f0_hz);
}

void announce_status(const std::string& text) { etude_js_set_status(text.c_str()); }

}  // namespace etude::web::a11y

EM_JS(void, etude_js_set_chord, (const char* text), {
  const el = document.getElementById('chord-live');
  if (el) el.textContent = UTF8ToString(text);
});

EM_JS(void, etude_js_set_timing, (const char* text, double latency_ms), {
  const el = document.getElementById('timing-live');
  if (!el) return;
  el.textContent = UTF8ToString(text);
  el.dataset.latencyMs = isNaN(latency_ms) ? "" : latency_ms.toFixed(1);
});

namespace etude::web::a11y {

void announce_timing(const std::string& text, double latency_ms) { etude_js_set_timing(text.c_str(), latency_ms); }

void announce_chord(const std::string& text) { etude_js_set_chord(text.c_str()); }

void announce_mic_check(std::string_view step, const std::string& text) {
  etude_js_set_mic_check(std::string(step).c_str(), text.c_str());
}

}  // namespace etude::web::a11y

EM_JS(void, etude_js_set_melody, (const char* text, const char* source, const char* why, int key, int mode, int meter,
                                  int bars, int low, int high, const char* notes), {
  const el = document.getElementById('melody-live');
  if (!el) return;
  const reason = UTF8ToString(why);
  el.textContent = UTF8ToString(text) + (reason ? " (Rule-based generator: " + reason + ")" : "");
  Object.assign(el.dataset, {source : UTF8ToString(source), reason : reason, key : key, mode : mode, meter : meter,
                             bars : bars, low : low, high : high, notes : UTF8ToString(notes),
                             generation : String(Number(el.dataset.generation || 0) + 1)});
});

EM_JS(void, etude_js_set_melody_playback, (const char* state), {
  const el = document.getElementById('melody-live');
  if (el) el.dataset.playback = UTF8ToString(state);
  const p = document.getElementById('melody-playback-live');
  if (p) p.textContent = UTF8ToString(state) === 'playing' ? 'Playing the melody.' : 'Finished playing.';
});

namespace etude::web::a11y {

void announce_melody(const std::string& text, const music::Melody& melody, std::string_view source, const std::string& why) {
  // Notes as "start:length:midi" (rests: midi -1), space separated.
  std::string notes;
  for (const music::MelodyEvent& e : melody.events) {
    if (!notes.empty()) notes += ' ';
    notes += std::to_string(e.start) + ":" + std::to_string(e.steps) + ":" + std::to_string(e.midi);
  }
  const music::MelodySpec& s = melody.spec;
  etude_js_set_melody(text.c_str(), std::string(source).c_str(), why.c_str(), s.key, int(s.mode), int(s.meter), s.bars,
                      s.low, s.high, notes.c_str());
}

void announce_melody_playback(std::string_view state) { etude_js_set_melody_playback(std::string(state).c_str()); }

}  // namespace etude::web::a11y

EM_JS(void, etude_js_set_practice, (const char* stage, const char* text), {
  const el = document.getElementById('practice-live');
  if (!el) return;
  el.dataset.stage = UTF8ToString(stage);
  el.textContent = UTF8ToString(text);
});

namespace etude::web::a11y {

void announce_practice(std::string_view stage, const std::string& text) {
  etude_js_set_practice(std::string(stage).c_str(), text.c_str());
}

}  // namespace etude::web::a11y

EM_JS(void, etude_js_set_screen, (int screen), {
  for (const b of document.querySelectorAll('#a11y-screens button')) {
    if (Number(b.dataset.screen) === screen) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
});

namespace etude::web::a11y {

void announce_screen(int screen) { etude_js_set_screen(screen); }

}  // namespace etude::web::a11y
