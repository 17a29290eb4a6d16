#pragma once
// The ML worker (onnxruntime-web), seen from C++.
//
// Implements:  asking web/main.js to load the chord model in the worker and run its golden
//              self-test, and to score live chroma; the exports it answers through,
//              etude_on_model_state() and etude_on_chord_result().
// Does not:    load onnxruntime itself (the worker is started lazily, on first use, by web/ml/ml-client.js).
// The page must: define window.etude.checkChordModel(), classifyChord(chroma) and
//              classifyChordWindow(batch, rows) (web/main.js).

#include <span>

namespace etude::web::ml {

void check_chord_model();
void classify_chord(std::span<const float> chroma);
void classify_chord_window(std::span<const float> batch, int rows);

}  // namespace etude::web::ml
