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

namespace etude::web::ml {

void check_chord_model() { etude_js_check_chord_model(); }
void classify_chord(std::span<const float> chroma) { etude_js_classify_chord(chroma.data(), int(chroma.size())); }

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
