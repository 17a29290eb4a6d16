#include "platform/web/ml_bridge.h"

#include <emscripten.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "app/app.h"
#include "platform/web/host.h"

EM_JS(void, etude_js_check_chord_model, (), { window.etude.checkChordModel(); });
EM_JS(void, etude_js_classify_chord, (const float* chroma, int n), {
  window.etude.classifyChord(HEAPF32.slice(chroma >> 2, (chroma >> 2) + n));
});

EM_JS(void, etude_js_classify_chord_window, (const float* batch, int n, int rows), {
  window.etude.classifyChordWindow(HEAPF32.slice(batch >> 2, (batch >> 2) + n), rows);
});

EM_JS(void, etude_js_generate_melody, (const float* noise, int noise_n, const float* conditions, int conditions_n, int rows), {
  window.etude.generateMelody(HEAPF32.slice(noise >> 2, (noise >> 2) + noise_n),
                              HEAPF32.slice(conditions >> 2, (conditions >> 2) + conditions_n), rows);
});

namespace etude::web::ml {

void check_chord_model() { etude_js_check_chord_model(); }
void classify_chord(std::span<const float> chroma) { etude_js_classify_chord(chroma.data(), int(chroma.size())); }
void classify_chord_window(std::span<const float> batch, int rows) {
  etude_js_classify_chord_window(batch.data(), int(batch.size()), rows);
}
void generate_melody(std::span<const float> noise, std::span<const float> conditions, int rows) {
  etude_js_generate_melody(noise.data(), int(noise.size()), conditions.data(), int(conditions.size()), rows);
}

}  // namespace etude::web::ml

extern "C" {

// `detail` is a UTF-8 sentence for the student (what loaded, or what went wrong and what still works).
EMSCRIPTEN_KEEPALIVE void etude_on_model_state(int code, const char* detail) {
  if (etude::web::app().on_model_state(etude::app::model_state_from_int(code), detail ? detail : "")) {
    etude::web::request_frames(2);
  }
}
}

extern "C" {

// `top` holds one guess per line, "LABEL PROBABILITY", most likely first; empty when scoring failed.
EMSCRIPTEN_KEEPALIVE void etude_on_chord_result(const char* top) {
  std::vector<etude::app::App::ChordGuess> guesses;
  std::istringstream lines(top ? top : "");
  etude::app::App::ChordGuess g;
  while (lines >> g.label >> g.probability) guesses.push_back(g);
  if (etude::web::app().on_chord_result(guesses)) etude::web::request_audio_redraw();
}
}

extern "C" {

// The trained classifier's answer: rows x n probabilities, and its n labels, one per line.
EMSCRIPTEN_KEEPALIVE void etude_on_chord_probabilities(const float* probabilities, int rows, int n, const char* labels) {
  std::vector<std::string> names;
  std::istringstream lines(labels ? labels : "");
  for (std::string line; std::getline(lines, line);) names.push_back(line);
  if (int(names.size()) != n || rows <= 0) {
    etude::web::app().on_chord_classifier_failed("The trained chord classifier's labels do not match its output.");
    return;
  }
  if (etude::web::app().on_chord_probabilities({probabilities, std::size_t(rows) * std::size_t(n)}, rows, names)) {
    etude::web::request_audio_redraw();
  }
}

EMSCRIPTEN_KEEPALIVE void etude_on_chord_classifier_failed(const char* message) {
  if (etude::web::app().on_chord_classifier_failed(message ? message : "")) etude::web::request_frames(2);
}
}

extern "C" {

// The melody generator's `probabilities` output: rows x 64 x 39 floats.
EMSCRIPTEN_KEEPALIVE void etude_on_melody_probabilities(const float* probabilities, int rows, int count) {
  if (etude::web::app().on_melody_probabilities({probabilities, std::size_t(count)}, rows)) etude::web::request_frames(2);
}

// The melody generator could not run; `message` says why, for the student.
EMSCRIPTEN_KEEPALIVE void etude_on_melody_failed(const char* message) {
  if (etude::web::app().on_melody_model_failed(message ? message : "")) etude::web::request_frames(2);
}
}
