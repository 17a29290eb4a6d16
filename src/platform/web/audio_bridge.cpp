#include "platform/web/audio_bridge.h"

#include <emscripten.h>

#include <span>
#include <string>

#include "app/app.h"
#include "dsp/feature_frame.h"
#include "platform/web/host.h"

EM_JS(void, etude_js_start_microphone, (), { window.etude.audio.start(); });
EM_JS(void, etude_js_stop_microphone, (), { window.etude.audio.stop(); });
EM_JS(void, etude_js_set_pitch_range, (float min_hz, float max_hz), { window.etude.audio.setPitchRange(min_hz, max_hz); });
// The mirror's status line carries the state name for assistive tech and tests (data-mic).
EM_JS(void, etude_js_set_mic_state, (const char* name), {
  const el = document.getElementById('app-status');
  if (el) el.dataset.mic = UTF8ToString(name);
});

namespace etude::web::audio {

void start_microphone() { etude_js_start_microphone(); }
void stop_microphone() { etude_js_stop_microphone(); }
void set_pitch_range(float min_hz, float max_hz) { etude_js_set_pitch_range(min_hz, max_hz); }

}  // namespace etude::web::audio

extern "C" {

// Floats per frame, so web/audio.js can check it speaks the same FeatureFrame as the worklet's module.
EMSCRIPTEN_KEEPALIVE int etude_frame_floats() { return int(etude::dsp::kFeatureFrameFloats); }

// `data` holds `count` FeatureFrames (kFeatureFrameFloats floats each), copied in by web/audio.js.
EMSCRIPTEN_KEEPALIVE void etude_on_audio_frames(const float* data, int count) {
  if (count <= 0) return;
  const auto* frames = reinterpret_cast<const etude::dsp::FeatureFrame*>(data);
  if (etude::web::app().on_audio_frames(std::span(frames, std::size_t(count)))) etude::web::request_audio_redraw();
}

// start_frame: the AudioContext frame of the analyser's first sample (its frame times count from it).
EMSCRIPTEN_KEEPALIVE void etude_on_mic_state(int code, float sample_rate, int latency_samples, double start_frame) {
  const etude::app::MicState state = etude::app::mic_state_from_int(code);
  etude_js_set_mic_state(std::string(etude::app::mic_state_name(state)).c_str());
  if (etude::web::app().on_mic_state(state, sample_rate, latency_samples, start_frame)) {
    etude::web::request_frames(2);
  }
}
}
