#pragma once
// Microphone and AudioWorklet, seen from C++.
//
// Implements:  start/stop requests to web/audio.js (getUserMedia with echo cancellation, noise
//              suppression and auto gain off; an AudioWorkletNode running the standalone DSP wasm),
//              and the exports it calls back: etude_on_audio_frames(), etude_on_mic_state().
// Does not:    analyse audio (the worklet does, with src/dsp) or keep any of it.
// The page must: define window.etude.audio with start() and stop() (web/audio.js).

namespace etude::web::audio {

void start_microphone();
void stop_microphone();
// The pitch search range (Hz) of the student's instrument; 0, 0 for the analyser's default.
void set_pitch_range(float min_hz, float max_hz);

}  // namespace etude::web::audio
