#pragma once
// The ML worker (onnxruntime-web), seen from C++.
//
// Implements:  asking web/main.js to load the chord model in the worker and run its golden
//              self-test, to score live chroma, and to run the melody generator; the exports it
//              answers through: etude_on_model_state(), etude_on_chord_result(),
//              etude_on_melody_probabilities(), etude_on_melody_failed().
// Does not:    load onnxruntime itself (the worker is started lazily, on first use, by web/ml/ml-client.js).
// The page must: define window.etude.checkChordModel(), classifyChord(chroma),
//              classifyChordWindow(batch, rows) and generateMelody(noise, conditions, rows) (web/main.js).

#include <span>

namespace etude::web::ml {

void check_chord_model();
void classify_chord(std::span<const float> chroma);
void classify_chord_window(std::span<const float> batch, int rows);
void generate_melody(std::span<const float> noise, std::span<const float> conditions, int rows);

}  // namespace etude::web::ml
