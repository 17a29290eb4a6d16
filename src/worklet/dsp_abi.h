#pragma once
// The C ABI the AudioWorkletProcessor (web/worklet/etude-processor.js) calls: nothing else lives here.
// Built as a standalone wasm module (no Emscripten runtime, no imports); compiled natively too, so a
// unit test checks the ABI and native == wasm features on the same input.
//
// Life of an analyzer: create -> [write <= max_block samples to input(), process(n), read frames()]* -> destroy.
// create() is the only call that allocates.

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define ETUDE_DSP_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define ETUDE_DSP_EXPORT
#endif

extern "C" {

typedef struct EtudeDsp EtudeDsp;

// Floats per frame (see dsp/feature_frame.h for the field order).
ETUDE_DSP_EXPORT int etude_dsp_frame_floats(void);
// nullptr on bad parameters; etude_dsp_last_error() then says why.
ETUDE_DSP_EXPORT EtudeDsp* etude_dsp_create(float sample_rate, int hop, int max_block);
// The same with the pitch search range of an instrument preset (create() uses 50..2000 Hz).
ETUDE_DSP_EXPORT EtudeDsp* etude_dsp_create_range(float sample_rate, int hop, int max_block, float min_hz, float max_hz);
ETUDE_DSP_EXPORT const char* etude_dsp_last_error(void);
ETUDE_DSP_EXPORT float* etude_dsp_input(EtudeDsp* dsp);
// Analyses the first n samples of input(); returns the number of frames now readable at frames().
ETUDE_DSP_EXPORT int etude_dsp_process(EtudeDsp* dsp, int n);
ETUDE_DSP_EXPORT const float* etude_dsp_frames(EtudeDsp* dsp);
ETUDE_DSP_EXPORT int etude_dsp_latency_samples(EtudeDsp* dsp);
// The live spectrogram: 1 when the last process() call finished a new column (one per hop).
// scale 0: two rows per semitone from A0 (dsp::SpectrogramColumn::kNoteBins); scale 1: mel bands;
// scale 2: linear rows up to 4 kHz. The three lie one after another in memory, in that order.
// Values are dB re full scale, floored at -100.
ETUDE_DSP_EXPORT int etude_dsp_spectrum_ready(EtudeDsp* dsp);
ETUDE_DSP_EXPORT int etude_dsp_spectrum_bins(EtudeDsp* dsp, int scale);
ETUDE_DSP_EXPORT const float* etude_dsp_spectrum(EtudeDsp* dsp, int scale);
ETUDE_DSP_EXPORT void etude_dsp_destroy(EtudeDsp* dsp);
}
