#pragma once
// One pass over a file with the live feature set (the same LiveAnalyzer the AudioWorklet runs), keeping
// every frame and every hop's YIN candidates so that offline decoders (whole-file pitch Viterbi, beat
// tracking, chord segmentation) can run afterwards.

#include <string>
#include <vector>

#include "cli/audio_file.h"
#include "dsp/live_analyzer.h"
#include "dsp/pitch_tracker.h"
#include "ml/chord_input.h"

namespace etude::cli {

struct AnalysisOptions {
  int hop = 0;            // samples between frames; 0 = default_hop(), or the live hop (below)
  bool live_hop = false;  // hop 0 means ml::live_hop() (chords, features: the app's frames, the classifier's)
  float min_hz = 50.0f;   // pitch range
  float max_hz = 2000.0f;
};

struct Analysis {
  AudioStats stats;
  dsp::LiveAnalyzerParams params;
  std::vector<dsp::FeatureFrame> frames;        // one per hop, live features (what the browser sees)
  std::vector<dsp::YinCandidates> candidates;   // the same hops' pitch candidates
  std::string warning;                          // e.g. clipping; empty when none
  float frame_rate() const { return params.sample_rate / float(params.hop); }
  // The frames' stream clock (which of them are the chord classifier's model frames: ml::is_model_frame).
  ml::LiveClock clock() const;
  // How far the chroma's own (longer) window centre lies before a frame's time_s.
  float chroma_lag_s() const;
  // Whole-file Viterbi over the candidates (more accurate than the live fixed-lag decisions).
  std::vector<dsp::PitchPoint> offline_pitch() const;
};

int default_hop(float sample_rate);

// Returns "" on success, otherwise one error sentence.
std::string analyse_file(const std::string& path, const AnalysisOptions& options, Analysis& out);

}  // namespace etude::cli
