#pragma once
// The metronome, seen from C++.
//
// Implements:  start/update/stop requests to web/metronome.js (an AudioWorkletNode running the
//              metronome clock from dsp.wasm), and the exports it answers through:
//              etude_on_metronome_beat(), etude_on_metronome_state().
// Does not:    time anything on the main thread; beats are counted in audio frames in the worklet.
// The page must: define window.etude.metronome with start(settings), update(settings), stop().

#include "music/metronome.h"

namespace etude::web::metronome {

void start(const music::MetronomeSettings& settings);
void update(const music::MetronomeSettings& settings);
void stop();

}  // namespace etude::web::metronome
