#pragma once
// The C ABI of the metronome, run by the AudioWorkletProcessor 'etude-metronome'
// (web/worklet/metronome-processor.js) from the same standalone dsp.wasm as the analyser.
// create -> start -> [render(from_frame, n): clicks in output(), beats() records]* -> destroy.

#include "worklet/dsp_abi.h"  // ETUDE_DSP_EXPORT

extern "C" {

typedef struct EtudeMetronome EtudeMetronome;

// Doubles per beat record in etude_metronome_beats(): frame, bar, beat, accent (0/1).
ETUDE_DSP_EXPORT int etude_metronome_beat_doubles(void);
ETUDE_DSP_EXPORT EtudeMetronome* etude_metronome_create(float sample_rate, int max_block);
ETUDE_DSP_EXPORT const char* etude_metronome_last_error(void);
// 0 when started; -1 on bad settings (etude_metronome_last_error() says why).
ETUDE_DSP_EXPORT int etude_metronome_start(EtudeMetronome* m, float bpm, int beats_per_bar, int accents,
                                           int count_in_bars, double start_frame);
ETUDE_DSP_EXPORT int etude_metronome_update(EtudeMetronome* m, float bpm, int beats_per_bar, int accents,
                                            int count_in_bars);
ETUDE_DSP_EXPORT void etude_metronome_stop(EtudeMetronome* m);
// Renders n samples starting at audio frame from_frame into output(); returns the beats that start in it.
ETUDE_DSP_EXPORT int etude_metronome_render(EtudeMetronome* m, double from_frame, int n);
ETUDE_DSP_EXPORT float* etude_metronome_output(EtudeMetronome* m);
ETUDE_DSP_EXPORT const double* etude_metronome_beats(EtudeMetronome* m);
ETUDE_DSP_EXPORT void etude_metronome_destroy(EtudeMetronome* m);
}
