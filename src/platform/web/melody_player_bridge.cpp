#include "platform/web/melody_player_bridge.h"

#include <emscripten.h>

#include <vector>

#include "platform/web/host.h"

// notes: n x 4 doubles (start s, length s, MIDI, event index).
EM_JS(void, etude_js_play_melody, (const double* notes, int n, double start_frame), {
  const list = [];
  for (let i = 0; i < n; i++) {
    const o = (notes >> 3) + 4 * i;
    list.push({start : HEAPF64[o], length : HEAPF64[o + 1], midi : HEAPF64[o + 2], event : HEAPF64[o + 3]});
  }
  window.etude.melodyPlayer.play(list, start_frame);
});
EM_JS(void, etude_js_stop_melody, (), { window.etude.melodyPlayer.stop(); });

namespace etude::web::melody_player {

void play(std::span<const app::PlayedNote> notes, double start_frame) {
  std::vector<double> flat;
  flat.reserve(notes.size() * 4);
  for (const app::PlayedNote& n : notes) flat.insert(flat.end(), {n.start_s, n.length_s, double(n.midi), double(n.event)});
  etude_js_play_melody(flat.data(), int(notes.size()), start_frame);
}

void stop() { etude_js_stop_melody(); }

}  // namespace etude::web::melody_player

extern "C" {

// event: the Melody::events index sounding now; -1 when the melody has ended.
EMSCRIPTEN_KEEPALIVE void etude_on_melody_playback(int event) {
  if (etude::web::app().on_melody_playback(event)) etude::web::request_frames(1);
}
}
