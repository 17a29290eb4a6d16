#include "platform/web/ml_bridge.h"

#include <emscripten.h>

#include <string>

#include "app/app.h"
#include "platform/web/host.h"

EM_JS(void, etude_js_check_chord_model, (), { window.etude.checkChordModel(); });

namespace etude::web::ml {

void check_chord_model() { etude_js_check_chord_model(); }

}  // namespace etude::web::ml

extern "C" {

// `detail` is a UTF-8 sentence for the student (what loaded, or what went wrong and what still works).
EMSCRIPTEN_KEEPALIVE void etude_on_model_state(int code, const char* detail) {
  if (etude::web::app().on_model_state(etude::app::model_state_from_int(code), detail ? detail : "")) {
    etude::web::request_frames(2);
  }
}
}
