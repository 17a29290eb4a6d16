#pragma once
// The trained chord classifier's input contract (models/chord_classifier.card.md), in one place for the
// CLI (`etude analyze chords`), the app (src/app/chord_window.h) and training (models/chords, which gets
// its frames from `etude analyze features`, whose default hop is chord_model_hop()).
//
// One model frame is a FeatureFrame at chord_model_hop(): 0.0107 s rounded to a multiple of 32 samples
// (512 at 48 kHz, 480 at 44.1 kHz). The live analyser runs at half that hop (live_hop(), web/audio.js),
// so every kLiveFramesPerModelFrame-th live frame is a model frame. The model reads kContextFrames
// consecutive model frames, oldest first, kFields values each (kFieldNames), frame-major.
//
// Known gap (DSP side, src/dsp): a live frame kept this way is time-aligned with the model frame and has the
// same onset_strength and confidence, but rms_dbfs is measured over half as many samples and the chroma is
// refreshed every chroma_every_frames *live* hops (twice as often), so they differ near changes. On a
// synthetic C-major/A-minor file (44.1 kHz, hop 240 vs 480): rms_dbfs mean |diff| 1.9 dB (max 7.8), chroma
// mean |diff| 0.005 (max 0.59). The CLI and training have no such gap: both analyse at chord_model_hop().

#include <array>
#include <span>
#include <vector>

#include "dsp/feature_frame.h"

namespace etude::ml {

inline constexpr double kChordHopSeconds = 0.0107;
inline constexpr int kLiveFramesPerModelFrame = 2;
inline constexpr int kContextFrames = 16;
inline constexpr int kFields = 28;
inline constexpr int kWindowFloats = kContextFrames * kFields;

inline constexpr std::array<const char*, kFields> kFieldNames = {
    "chroma_0", "chroma_1", "chroma_2", "chroma_3", "chroma_4", "chroma_5", "chroma_6", "chroma_7",
    "chroma_8", "chroma_9", "chroma_10", "chroma_11", "bass_chroma_0", "bass_chroma_1", "bass_chroma_2",
    "bass_chroma_3", "bass_chroma_4", "bass_chroma_5", "bass_chroma_6", "bass_chroma_7", "bass_chroma_8",
    "bass_chroma_9", "bass_chroma_10", "bass_chroma_11", "rms_dbfs", "flatness", "confidence", "onset_strength"};

// Samples between model frames at this sample rate (web/audio.js computes the same: liveHop * 2).
int chord_model_hop(float sample_rate);
// The live analyser's hop: half the model hop.
int live_hop(float sample_rate);

// One frame's kFields model inputs.
void pack_fields(const dsp::FeatureFrame& frame, std::span<float, kFields> out);

// Offline windows over model frames (frames at chord_model_hop()): one window ending at every
// `stride`-th frame, from the first full window on (a clip shorter than kContextFrames frames gets one
// window, padded in front with its first frame). Returns rows * kWindowFloats floats; `ends` receives
// the index of each window's newest frame.
std::vector<float> pack_windows(std::span<const dsp::FeatureFrame> frames, int stride, std::vector<std::size_t>& ends);

}  // namespace etude::ml
