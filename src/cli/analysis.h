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
  // Also decode pitch from a noise-gated copy of the file (dsp::SpectralGate; a second pass over it) when
  // it holds steady noise (OfflineVoicing::kGateAboveNoiseToSignalDb): Analysis::gated_candidates, which
  // offline_pitch() then reads. `etude analyze pitch` sets it (notes and onsets keep the ungated track).
  bool gated_pitch = false;
  // Also look for noise-like attacks under steady noise (dsp::NoiseBandEnergy; a second pass over the file)
  // when the file holds steady noise (the same switch as the gate): Analysis::noise_onset_times. `etude
  // analyze onsets` sets it.
  bool noise_onsets = false;
  // The live analyser's onsets from the pitch track (LiveAnalyzerParams::pitch_onsets, voicing_onsets): on
  // for `etude analyze features` (what the browser computes), off for the whole-file commands, whose onsets
  // and notes add their own cues from the whole-file pitch track and read FeatureFrame::onset as spectral.
  bool live_onset_cues = false;
  // Keep each frame's mel spectrogram column (LiveAnalyzerParams::keep_mel): Analysis::mel.
  bool keep_mel = false;
};

struct Analysis {
  AudioStats stats;
  dsp::LiveAnalyzerParams params;
  std::vector<dsp::FeatureFrame> frames;        // one per hop, live features (what the browser sees)
  std::vector<dsp::YinCandidates> candidates;   // the same hops' pitch candidates
  // With AnalysisOptions::gated_pitch and steady noise in the file: the same hops' candidates from the
  // noise-gated signal (empty where the original hop is under the live analyser's pitch gate, as candidates
  // are); else empty.
  std::vector<dsp::YinCandidates> gated_candidates;
  // With AnalysisOptions::noise_onsets and steady noise in the file: the times (seconds, the centre of the
  // 46 ms window, as frames' time_s) of dsp::pick_noise_onsets(); else empty.
  std::vector<float> noise_onset_times;
  // With AnalysisOptions::keep_mel: mel_bands power values per frame, frame after frame; else empty.
  std::vector<float> mel;
  int mel_bands = 0;
  std::string warning;                          // e.g. clipping; empty when none
  float frame_rate() const { return params.sample_rate / float(params.hop); }
  // The frames' stream clock (which of them are the chord classifier's model frames: ml::is_model_frame).
  ml::LiveClock clock() const;
  // How far the chroma's own (longer) window centre lies before a frame's time_s.
  float chroma_lag_s() const;
  // Whole-file Viterbi over the candidates (gated_candidates when there are any; more accurate than the
  // live fixed-lag decisions), with the offline voicing model below. `used`, when given, receives the
  // candidates as the decoder saw them.
  std::vector<dsp::PitchPoint> offline_pitch(std::vector<dsp::YinCandidates>* used = nullptr) const;
};

// The whole-file decoder's voicing model: it re-weights each frame's candidates (found under pYIN's
// Beta(2,18)) under a threshold prior of mean kBetaMean (Beta(2,6): shallower troughs count as voiced,
// which noise makes of a real pitch; the live tracker uses the same prior, LiveAnalyzerParams::
// pitch_prior_mean) and scales the unvoiced observation by kUnvoicedWeight. Chosen on the development sets
// only (make_dataset.py --seed 7 and 8; bench/RESULTS.md, branch `voicing`): fluidsynth RPA@50c at SNR 10 dB
// 0.728/0.746 -> 0.835/0.843, clean 0.895/0.891 -> 0.918/0.915, voicing false alarm at SNR 10 0.19 -> 0.27.
// The noise gate's second pass runs only for a file with steady noise: its NoiseProfile::noise_to_signal()
// over kGateAboveNoiseToSignalDb. On the development sets every clean and reverberant fluidsynth file
// reads -71 to -27 dB, every one at SNR 20 dB -24 to -18 and at SNR 10 -15 to -9 (the laptop path -33 to
// -25): a clean file is decoded exactly as without the gate.
// With the noise gate (gated_candidates) the unvoiced observation weighs kGatedUnvoicedWeight instead: what
// the gate leaves of the noise reads as voiced a little more often, and at 0.02 the synth files' silent gaps
// in noise read voiced in 0.12 of frames instead of 0.07. 0.3 keeps that within 0.015 of the ungated decoder
// on both development sets and keeps 0.049 of the gate's 0.056 gain in fluidsynth RPA@50c at SNR 10 dB
// (bench/RESULTS.md, "noise gate").
struct OfflineVoicing {
  static constexpr float kBetaMean = 0.25f;
  static constexpr float kUnvoicedWeight = 0.02f;
  static constexpr float kGatedUnvoicedWeight = 0.3f;
  static constexpr float kGateAboveNoiseToSignalDb = -25.0f;
};

int default_hop(float sample_rate);

// Returns "" on success, otherwise one error sentence.
std::string analyse_file(const std::string& path, const AnalysisOptions& options, Analysis& out);

}  // namespace etude::cli
