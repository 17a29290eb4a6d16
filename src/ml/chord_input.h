#pragma once
// The trained chord classifier's input contract (models/chord_classifier.card.md), in one place for the
// CLI (`etude analyze chords`), the app (src/app/chord_window.h) and training (models/chords, which gets
// its frames from `etude analyze features --model-frames`).
//
// Everything analyses at live_hop(), the hop the AudioWorklet runs (web/audio.js): 0.0107 s rounded to a
// multiple of 32 samples, halved (256 at 48 kHz, 240 at 44.1 kHz). A model frame is every
// kLiveFramesPerModelFrame-th of those FeatureFrames: the ones whose index in the analyser's stream is
// even (live_frame_index(); the phase comes from the stream, so the app, which may start listening at
// any frame, and a whole file analysed offline keep exactly the same frames). So the model is trained on,
// and fed, the very numbers the live app computes (rms over one live hop, chroma refreshed every
// chroma_every_frames live hops). The model reads kContextFrames consecutive model frames (one every
// chord_model_hop() samples), oldest first, kFields values each (kFieldNames), frame-major.

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "dsp/feature_frame.h"

namespace etude::ml {

inline constexpr double kChordHopSeconds = 0.0107;
inline constexpr int kLiveFramesPerModelFrame = 2;
inline constexpr int kContextFrames = 16;
// The semitone spectrum E1..B6 (dsp::FeatureFrame::semitones): the feature set that won the cross-validated
// ablation (models/chord_classifier.card.md), ahead of chroma, chroma + bass chroma and the scalar fields.
inline constexpr int kFields = dsp::kSemitoneBins;
inline constexpr int kWindowFloats = kContextFrames * kFields;
// Offline (`etude analyze chords`), one window is classified every this many model frames (42.7 ms at 48 kHz).
inline constexpr int kWindowStride = 4;

// FeatureFrame::semitones' names (semitone_28..semitone_95), taken from the frame's own name list.
inline constexpr std::size_t kFirstField = offsetof(dsp::FeatureFrame, semitones) / sizeof(float);
inline constexpr std::span<const char* const, kFields> kFieldNames{dsp::kFeatureFrameFieldNames.data() + kFirstField, kFields};

// The live analyser's hop (web/audio.js computes the same), the hop every analysis for the model runs at.
int live_hop(float sample_rate);
// Samples between model frames: kLiveFramesPerModelFrame live hops (512 at 48 kHz, 480 at 44.1 kHz).
int chord_model_hop(float sample_rate);

// The clock of one live analyser's frame stream (dsp::LiveAnalyzer: hop, latency_samples()).
struct LiveClock {
  float sample_rate = 0;
  int hop = 0;
  int latency_samples = 0;
};
// A frame's index in its stream, 0 = the analyser's first frame (its priming frames, before time 0,
// included): dsp::LiveAnalyzer emits frame n at time_s * sample_rate + latency_samples = (n + 1) * hop.
long live_frame_index(const dsp::FeatureFrame& frame, const LiveClock& clock);
// True for the live frames the model reads (even stream index); false for any frame without a clock.
bool is_model_frame(const dsp::FeatureFrame& frame, const LiveClock& clock);
// The model frames among a stream's live frames, in order.
std::vector<dsp::FeatureFrame> model_frames(std::span<const dsp::FeatureFrame> live_frames, const LiveClock& clock);

// One frame's kFields model inputs.
void pack_fields(const dsp::FeatureFrame& frame, std::span<float, kFields> out);

// Offline windows over model frames (model_frames()): one window ending at every `stride`-th frame,
// from the first full window on (a clip shorter than kContextFrames frames gets one window, padded in
// front with its first frame). Returns rows * kWindowFloats floats; `ends` receives the index of each
// window's newest frame.
std::vector<float> pack_windows(std::span<const dsp::FeatureFrame> frames, int stride, std::vector<std::size_t>& ends);

}  // namespace etude::ml
