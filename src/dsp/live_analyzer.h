#pragma once
// The live feature set, streaming: feed blocks of any size (the AudioWorklet gives 128 frames),
// collect FeatureFrames every `hop` samples. This is what the worklet ABI and the `etude` CLI both
// run, so browser and native features agree. Per hop: level and BS.1770 loudness, a 2048-point
// (about 46 ms) spectrum for SuperFlux onsets and timbre, probabilistic YIN candidates into the pYIN
// HMM, and every chroma_every_frames hops a 0.2 s spectrum for chroma. Pitch and chroma (nothing of
// theirs lies above 4 kHz) run on a copy decimated to 16-24 kHz, which makes their FFTs several times cheaper. A frame is emitted when
// its pitch is decided, lookahead_frames hops after its time (fixed-lag Viterbi); onsets are picked
// within that same delay; the pipeline starts primed with silence, so every hop yields one frame.
// All memory is taken at construction; process() never allocates, locks or throws.

#include <cstdint>
#include <span>
#include <vector>

#include "dsp/chroma.h"
#include "dsp/decimator.h"
#include "dsp/feature_frame.h"
#include "dsp/live_onset_cues.h"
#include "dsp/loudness.h"
#include "dsp/onset_detector.h"
#include "dsp/pitch_tracker.h"
#include "dsp/sample_history.h"
#include "dsp/spectral_features.h"
#include "dsp/stft.h"
#include "dsp/yin_pitch.h"

namespace etude::dsp {

struct LiveAnalyzerParams {
  float sample_rate = 48000.0f;  // Hz, valid 16000..96000
  int hop = 512;                 // samples between frames, valid 32..8192 (and at least 5 frames/s)
  float min_hz = 50.0f;          // pitch search range
  float max_hz = 2000.0f;
  int max_block = 8192;          // largest block process() accepts, valid 1..65536
  int lookahead_frames = 2;      // pitch decision delay in hops (at least the onset decision delay), valid 0..32
  int chroma_every_frames = 4;   // chroma is refreshed every this many hops, valid 1..64
  float pitch_gate_dbfs = -70.0f;  // quieter hops skip the pitch search (unvoiced), valid -150..0
  // Mean of the live tracker's threshold prior, Beta(2, 2/mean - 2): how aperiodic a YIN trough may be and
  // still count as voiced. 0.25 (Beta(2,6), the CLI's whole-file decoder's too), not pYIN's 0.1
  // (Beta(2,18), under which YIN still finds the candidates that newest_candidates() hands to offline
  // decoders): noise makes a real pitch's trough shallower, and under 0.1 the tuner dropped most notes at
  // SNR 10 dB, while pure noise reads unvoiced under both (bench/RESULTS.md, "the live pitch prior").
  // Valid 0.02..0.5.
  float pitch_prior_mean = 0.25f;
  // Onsets from the pitch track (LiveOnsetCues): a note change inside a voiced stretch (legato playing,
  // singing: no attack for SuperFlux) or voicing after a gap, flagged in FeatureFrame::onset like the
  // SuperFlux onsets and within the same pitch look-ahead (no added latency). Rhythm practice hears legato
  // notes only through these (development sets, branch `liveon`: etude live legato F@50ms 0.63-0.67 ->
  // 0.82-0.86 clean, 0.44-0.46 -> 0.74-0.80 at SNR 10 dB). The whole-file CLI commands turn them off: `etude analyze onsets`
  // adds its own cues from the whole-file pitch track and reads FeatureFrame::onset as spectral.
  bool pitch_onsets = true;
  bool voicing_onsets = true;
  float pitch_onset_cents = 75.0f;   // a new note lies this far from the old one's mean (NoteTracker), valid 20..1200
  float pitch_onset_hold_s = 0.02f;  // for this long; at most about the look-ahead, valid 0..0.2 s
  // Keep each frame's mel spectrogram column (SpectralFeatures::mel_power(), spectral().mel_bands power
  // values) for mel(): `etude analyze features --mel`. Off in the worklet (the GPU spectrogram has its own).
  bool keep_mel = false;
  // The analyser assumes silence before the stream, so noise already there at its first sample (a room, a
  // fan, the laptop's own hiss) reads as a SuperFlux onset in the first frames, whose spectra are compared
  // with that silence: a phantom hit each time the microphone starts; and a note already sounding then reads
  // as one through the pitch track's voicing cue. There, an onset is flagged only when the level moves at
  // least kStartChangeDb over its frame and the pending ones after it, as a hit decays; steady noise or a
  // held note does not. A SuperFlux onset reads each hop's rms_dbfs; a voicing or pitch cue reads the rms of
  // the newest max(hop, sample_rate / min_hz) samples of the stream (a hop's own rms swings 8 dB on a
  // steady 82 Hz note at hop 256, which SuperFlux does not flag, but the cue did). Development sets
  // (bench/RESULTS.md, session 9): every noisy file's first frame read as an onset (level range 0.2-3.9 dB
  // over 6 frames at 48 kHz / hop 256); the drum patterns that start with a hit range 10.4-12.5 dB (a
  // period-long level smooths their first hit under 6 dB, hence the hop's own for SuperFlux). `etude
  // analyze onsets` and `notes` turn it off: they judge a start with 150 ms of hindsight.
  bool start_onsets_need_change = true;
  static constexpr float kStartChangeDb = 6.0f;

  const char* validate() const;  // nullptr when valid
  YinParams yin() const;
  PitchTrackerParams tracker() const;
  OnsetParams onsets() const;
  SpectralParams spectral() const;
  ChromaParams chroma() const;
  LiveOnsetCueParams cues() const;
  int decimation() const;       // pitch and chroma run at sample_rate / decimation()
  float low_rate() const;
  int spectrum_frame() const;  // onset/timbre STFT size (full rate)
  int chroma_frame() const;    // chroma STFT size (low rate)
  int effective_lookahead() const;
  // From the newest sample back to the centre of the pitch window (time_s), in input samples.
  int window_centre_samples() const;
  // From the newest sample back to the centre of what f0 describes (the newest integration window and
  // its lag); f0 and confidence describe time_s + pitch_lead_s().
  int pitch_centre_samples() const;
  float pitch_lead_s() const { return float(window_centre_samples() - pitch_centre_samples()) / sample_rate; }
};

class LiveAnalyzer {
 public:
  explicit LiveAnalyzer(const LiveAnalyzerParams& params);  // params must validate()

  // Consumes block (at most max_block samples); returns how many new frames are in frames().
  // A block larger than hop can yield more than one frame.
  std::size_t process(std::span<const float> block);
  std::span<const FeatureFrame> frames() const { return {frames_.data(), ready_}; }
  // With LiveAnalyzerParams::keep_mel: the mel column of frames()[i] (the same hop's spectrum); else empty.
  std::span<const float> mel(std::size_t i) const;

  // Samples between an event at the input and the frame that describes it arriving.
  int latency_samples() const;
  const LiveAnalyzerParams& params() const { return params_; }
  // The YIN candidates of the newest hop (for offline Viterbi in the CLI).
  const YinCandidates& newest_candidates() const { return candidates_; }
  void reset();

 private:
  void prime();
  void update_chroma();
  void copy_chroma(FeatureFrame& f) const;
  void analyse_hop(std::span<const float> newest);
  // start_onsets_need_change: an onset at `frame` is no attack. per_period: read start_level_db_, not rms_dbfs.
  bool steady_at_start(std::int64_t frame, bool per_period) const;

  LiveAnalyzerParams params_;
  int lookahead_;
  YinPitch yin_;
  PitchTracker tracker_;
  Stft spectrum_;
  OnsetDetector onsets_;
  LiveOnsetCues cues_;
  SpectralFeatures spectral_;
  Stft chroma_spectrum_;
  Chroma chroma_;
  LoudnessMeter loudness_;
  Decimator decimator_;
  SampleHistory history_;             // newest samples
  SampleHistory low_history_;         // the same, decimated
  std::vector<float> fresh_;          // the samples being taken in, made finite
  std::vector<float> low_scratch_;
  std::vector<FeatureFrame> pending_;  // frames waiting for their pitch decision, ring of lookahead_ + 1
  std::vector<FeatureFrame> frames_;
  std::size_t mel_bands_ = 0;            // keep_mel: the columns' size, else 0
  std::vector<float> pending_mel_;       // keep_mel: a column per pending_ frame
  std::vector<float> frames_mel_;        // keep_mel: a column per frames_ frame
  YinCandidates candidates_;
  YinCandidates tracked_;  // candidates_ re-weighted under pitch_prior_mean: what the live tracker reads
  ChromaFrame chroma_frame_;
  bool chroma_due_ = false;      // a chroma update waits for the middle of the current hop
  std::size_t chroma_slot_ = 0;  // the pending frame it belongs to
  std::size_t ready_ = 0;
  int since_frame_ = 0;
  std::int64_t total_samples_ = 0;
  std::int64_t hops_ = 0;
  float primed_until_s_ = 0;  // frames before this time compare their spectrum with the assumed silence
  // Per pending frame, the rms (dBFS) of the newest start_level_span_ samples the stream has given so far:
  // the level steady_at_start() reads for a pitch-track cue. Measured only for frames before
  // start_level_until_s_, the only ones it reads.
  std::vector<float> start_level_db_;
  int start_level_span_ = 0;
  float start_level_until_s_ = 0;
};

}  // namespace etude::dsp
