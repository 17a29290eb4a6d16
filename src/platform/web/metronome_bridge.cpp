#include "platform/web/metronome_bridge.h"

#include <emscripten.h>

#include "app/app.h"
#include "platform/web/host.h"

EM_JS(void, etude_js_metronome, (int command, float bpm, int beats_per_bar, int accents, int count_in), {
  const settings = {bpm : bpm, beatsPerBar : beats_per_bar, accents : accents, countInBars : count_in};
  const m = window.etude.metronome;
  if (command == 0) m.start(settings);
  else if (command == 1) m.update(settings);
  else m.stop();
});

namespace etude::web::metronome {
namespace {
void send(int command, const music::MetronomeSettings& s) {
  etude_js_metronome(command, s.bpm, s.beats_per_bar, int(s.accents), s.count_in_bars);
}
}  // namespace

void start(const music::MetronomeSettings& settings) { send(0, settings); }
void update(const music::MetronomeSettings& settings) { send(1, settings); }
void stop() { send(2, {}); }

}  // namespace etude::web::metronome

extern "C" {

// frame: the AudioContext frame at which the click starts.
EMSCRIPTEN_KEEPALIVE void etude_on_metronome_beat(double frame, int bar, int beat, int accent) {
  if (etude::web::app().on_metronome_beat(frame, bar, beat, accent != 0)) etude::web::request_frames(1);
}

// running: 0 or 1; problem: a sentence for the student when it failed, else empty.
EMSCRIPTEN_KEEPALIVE void etude_on_metronome_state(int running, const char* problem) {
  if (etude::web::app().on_metronome_state(running != 0, problem ? problem : "")) etude::web::request_frames(2);
}
}
