#pragma once
// The melody player, seen from C++.
//
// Implements:  play/stop requests to web/melody-player.js (a gentle synth voice scheduled on the
//              shared AudioContext's clock), and the export it answers through,
//              etude_on_melody_playback(event): each note as it sounds, -1 at the end.
// Does not:    time anything on the main thread (notes are scheduled ahead in the audio engine; the
//              callbacks only drive the highlight).
// The page must: define window.etude.melodyPlayer with play(notes, startFrame) and stop() (web/main.js).

#include <span>

#include "app/app.h"

namespace etude::web::melody_player {

// start_frame: the AudioContext frame of the first step; < 0 plays right away.
void play(std::span<const app::PlayedNote> notes, double start_frame);
void stop();

}  // namespace etude::web::melody_player
