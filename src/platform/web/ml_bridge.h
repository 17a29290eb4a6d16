#pragma once
// The ML worker (onnxruntime-web), seen from C++.
//
// Implements:  asking web/main.js to load the chord model in the worker and run its golden
//              self-test; the export it answers through, etude_on_model_state().
// Does not:    load onnxruntime itself (the worker is started lazily, on first use, by web/ml/ml-client.js).
// The page must: define window.etude.checkChordModel() (web/main.js).

namespace etude::web::ml {

void check_chord_model();

}  // namespace etude::web::ml
