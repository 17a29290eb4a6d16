#include "dsp/live_analyzer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dsp/level_meter.h"

namespace etude::dsp {

const char* LiveAnalyzerParams::validate() const {
  if (!(sample_rate >= 16000.0f && sample_rate <= 96000.0f)) return "sample_rate must be 16000..96000 Hz";
  if (!(hop >= 32 && hop <= 8192 && sample_rate / float(hop) >= 5.0f)) return "hop must be 32..8192 samples and give at least 5 frames/s";
  if (!(max_block >= 1 && max_block <= 65536)) return "max_block must be 1..65536 samples";
  if (!(lookahead_frames >= 0 && lookahead_frames <= 32)) return "lookahead_frames must be 0..32";
  if (!(chroma_every_frames >= 1 && chroma_every_frames <= 64)) return "chroma_every_frames must be 1..64";
  if (!(pitch_gate_dbfs >= -150.0f && pitch_gate_dbfs <= 0.0f)) return "pitch_gate_dbfs must be -150..0";
  if (!(pitch_prior_mean >= 0.02f && pitch_prior_mean <= 0.5f)) return "pitch_prior_mean must be 0.02..0.5";
  if (const char* e = yin().validate()) return e;
  if (const char* e = tracker().validate()) return e;
  if (const char* e = onsets().validate()) return e;
  if (const char* e = spectral().validate()) return e;
  if (const char* e = cues().validate()) return e;
  return chroma().validate();
}

int LiveAnalyzerParams::decimation() const { return pitch_decimation_factor(sample_rate); }
float LiveAnalyzerParams::low_rate() const { return sample_rate / float(decimation()); }

YinParams LiveAnalyzerParams::yin() const {
  YinParams p;
  p.sample_rate = low_rate();
  p.min_hz = min_hz;
  p.max_hz = max_hz;
  return p;
}

int LiveAnalyzerParams::spectrum_frame() const { return Stft::frame_size_for(sample_rate, 0.0464f); }
int LiveAnalyzerParams::chroma_frame() const { return Stft::frame_size_for(low_rate(), 0.2f); }

OnsetParams LiveAnalyzerParams::onsets() const {
  OnsetParams p;
  p.sample_rate = sample_rate;
  p.frame_size = spectrum_frame();
  p.hop = hop;
  return p;
}

int LiveAnalyzerParams::effective_lookahead() const { return std::max(lookahead_frames, onsets().decision_delay_frames()); }

PitchTrackerParams LiveAnalyzerParams::tracker() const {
  PitchTrackerParams p;
  p.frame_rate = sample_rate / float(hop);
  p.lookahead_frames = effective_lookahead();
  return p;
}

SpectralParams LiveAnalyzerParams::spectral() const {
  SpectralParams p;
  p.sample_rate = sample_rate;
  p.frame_size = spectrum_frame();
  return p;
}

LiveOnsetCueParams LiveAnalyzerParams::cues() const {
  LiveOnsetCueParams p;
  p.frame_rate = sample_rate / float(hop);
  p.lookahead_frames = effective_lookahead();
  p.pitch_changes = pitch_onsets;
  p.voicing_starts = voicing_onsets;
  p.change_cents = pitch_onset_cents;
  p.change_hold_s = pitch_onset_hold_s;
  return p;
}

ChromaParams LiveAnalyzerParams::chroma() const {
  ChromaParams p;
  p.sample_rate = low_rate();
  p.frame_size = chroma_frame();
  p.frame_rate = sample_rate / float(hop * chroma_every_frames);
  return p;
}

LiveAnalyzer::LiveAnalyzer(const LiveAnalyzerParams& params)
    : params_(params),
      lookahead_(params.effective_lookahead()),
      yin_(params.yin()),
      tracker_(params.tracker()),
      spectrum_(params.sample_rate, params.spectrum_frame()),
      onsets_(params.onsets()),
      cues_(params.cues()),
      spectral_(params.spectral()),
      chroma_spectrum_(params.low_rate(), params.chroma_frame()),
      chroma_(params.chroma()),
      loudness_(LoudnessParams{params.sample_rate}),
      decimator_(params.decimation()),
      history_(std::size_t(std::max(params.spectrum_frame(), params.hop))),
      low_history_(std::size_t(std::max(yin_.window_size(), params.chroma_frame()))),
      fresh_(std::size_t(params.hop), 0.0f),
      low_scratch_(std::size_t(params.hop / params.decimation() + 2), 0.0f),
      pending_(std::size_t(lookahead_) + 1),
      frames_(std::size_t(params.max_block / params.hop + 2)),
      mel_bands_(params.keep_mel ? std::size_t(params.spectral().mel_bands) : 0),
      pending_mel_(pending_.size() * mel_bands_, 0.0f),
      frames_mel_(frames_.size() * mel_bands_, 0.0f),
      start_level_db_(pending_.size(), -120.0f) {
  primed_until_s_ = params.onsets().compared_with_silence_until_s();
  start_level_span_ = std::min(int(history_.newest().size()), std::max(params.hop, int(std::ceil(params.sample_rate / params.min_hz))));
  start_level_until_s_ = primed_until_s_ + float(pending_.size() * std::size_t(params.hop)) / params.sample_rate;
  prime();
}

// The analyzer behaves as if the stream were preceded by silence: lookahead hops of it fill the
// decision pipeline, so every hop of input yields exactly one frame (the first ones describe that
// silence, at negative times).
void LiveAnalyzer::prime() {
  total_samples_ = -std::int64_t(lookahead_) * params_.hop;
  for (int i = 0; i < lookahead_; ++i) {
    total_samples_ += params_.hop;
    analyse_hop(history_.newest());
  }
  ready_ = 0;
}

void LiveAnalyzer::reset() {
  history_.clear();
  low_history_.clear();
  decimator_.reset();
  tracker_.reset();
  onsets_.reset();
  cues_.reset();
  chroma_.reset();
  loudness_.reset();
  chroma_frame_ = {};
  std::fill(start_level_db_.begin(), start_level_db_.end(), -120.0f);
  chroma_due_ = false;
  ready_ = 0;
  since_frame_ = 0;
  total_samples_ = 0;
  hops_ = 0;
  prime();
}

// The pitch window's centre: half the (decimated) window plus the decimation filter's delay.
int LiveAnalyzerParams::window_centre_samples() const {
  return yin().window_size() / 2 * decimation() + Decimator::delay_for(decimation());
}

int LiveAnalyzerParams::pitch_centre_samples() const {
  return yin().analysed_centre_samples() * decimation() + Decimator::delay_for(decimation());
}

int LiveAnalyzer::latency_samples() const { return params_.window_centre_samples() + lookahead_ * params_.hop; }

std::size_t LiveAnalyzer::process(std::span<const float> block) {
  ready_ = 0;
  if (block.size() > std::size_t(params_.max_block)) block = block.first(std::size_t(params_.max_block));
  while (!block.empty()) {
    // Take samples up to the next boundary (the end of the hop, or its middle when chroma is due there).
    const int boundary = chroma_due_ && since_frame_ < params_.hop / 2 ? params_.hop / 2 : params_.hop;
    const std::size_t take = std::min<std::size_t>(block.size(), std::size_t(boundary - since_frame_));
    // Non-finite samples (a broken driver or file) would poison every later frame: treat them as silence.
    // Absurd magnitudes (corrupt float files) are clamped to 60 dB over full scale so powers stay finite.
    for (std::size_t i = 0; i < take; ++i) {
      const float v = block[i];
      fresh_[i] = std::isfinite(v) ? std::clamp(v, -1000.0f, 1000.0f) : 0.0f;
    }
    const std::span<const float> fresh(fresh_.data(), take);
    history_.push(fresh);
    loudness_.process(fresh);
    const std::size_t low = decimator_.push(fresh, low_scratch_);
    low_history_.push({low_scratch_.data(), low});
    block = block.subspan(take);
    since_frame_ += int(take);
    total_samples_ += std::int64_t(take);
    if (chroma_due_ && since_frame_ == params_.hop / 2) update_chroma();
    if (since_frame_ == params_.hop) {
      analyse_hop(history_.newest());
      since_frame_ = 0;
    }
  }
  return ready_;
}

std::span<const float> LiveAnalyzer::mel(std::size_t i) const {
  if (mel_bands_ == 0 || i >= ready_) return {};
  return {frames_mel_.data() + i * mel_bands_, mel_bands_};
}

void LiveAnalyzer::copy_chroma(FeatureFrame& f) const {
  std::copy(chroma_frame_.chroma.begin(), chroma_frame_.chroma.end(), f.chroma);
  std::copy(chroma_frame_.bass.begin(), chroma_frame_.bass.end(), f.bass_chroma);
  f.tuning_cents = chroma_frame_.tuning_cents;
  const SemitoneSpectrum& semitones = chroma_.semitones();  // belongs to chroma_frame_
  std::copy(semitones.begin(), semitones.end(), f.semitones);
}

void LiveAnalyzer::update_chroma() {
  chroma_due_ = false;
  chroma_frame_ = chroma_.process(chroma_spectrum_.compute(low_history_.newest()));
  copy_chroma(pending_[chroma_slot_]);
}

bool LiveAnalyzer::steady_at_start(std::int64_t frame, bool per_period) const {
  const std::size_t ring = pending_.size();
  if (!params_.start_onsets_need_change || pending_[std::size_t(frame) % ring].time_s >= primed_until_s_) return false;
  auto level = [&](std::int64_t k) { return per_period ? start_level_db_[std::size_t(k) % ring] : pending_[std::size_t(k) % ring].rms_dbfs; };
  float lo = level(frame), hi = lo;
  for (std::int64_t k = frame + 1; k <= hops_; ++k) {
    lo = std::min(lo, level(k));
    hi = std::max(hi, level(k));
  }
  return hi - lo < LiveAnalyzerParams::kStartChangeDb;
}

void LiveAnalyzer::analyse_hop(std::span<const float> history) {
  const std::size_t ring = pending_.size();
  FeatureFrame& f = pending_[std::size_t(hops_) % ring];
  f = FeatureFrame{};
  f.time_s = float(double(total_samples_ - params_.window_centre_samples()) / double(params_.sample_rate));

  const std::span<const float> newest = history.last(std::size_t(params_.hop));
  const Level level = measure_level(newest);
  f.rms = level.rms;
  f.rms_dbfs = level.dbfs;
  if (params_.start_onsets_need_change && f.time_s < start_level_until_s_) {
    const std::int64_t heard = std::min<std::int64_t>(total_samples_, start_level_span_);  // this stream's, not the priming's
    start_level_db_[std::size_t(hops_) % ring] = heard > 0 ? measure_level(history.last(std::size_t(heard))).dbfs : -120.0f;
  }
  f.momentary_lufs = loudness_.momentary_lufs();
  f.short_term_lufs = loudness_.short_term_lufs();

  const std::span<const float> magnitude = spectrum_.compute(history);
  f.onset_strength = onsets_.process(magnitude);
  // Decided decision_delay_frames() late, which is never more than the pitch look-ahead: still pending.
  const std::int64_t at = hops_ - onsets_.decision_delay_frames();
  if (onsets_.onset_decided() && !steady_at_start(at, false)) {
    const LiveOnsetCues::SpectralMerge m = cues_.spectral(at, hops_ - lookahead_);
    if (m.unflag >= 0) pending_[std::size_t(m.unflag) % ring].onset = 0.0f;
    if (m.flag) pending_[std::size_t(at) % ring].onset = 1.0f;
  }
  const SpectralFrame& timbre = spectral_.process(magnitude, newest);
  f.centroid_hz = timbre.centroid_hz;
  f.spread_hz = timbre.spread_hz;
  f.flatness = timbre.flatness;
  f.rolloff_hz = timbre.rolloff_hz;
  f.zcr = timbre.zcr;
  std::copy(timbre.mfcc.begin(), timbre.mfcc.end(), f.mfcc);
  if (mel_bands_ > 0) {
    const std::span<const float> column = spectral_.mel_power();
    std::copy(column.begin(), column.end(), pending_mel_.begin() + std::ptrdiff_t((std::size_t(hops_) % ring) * mel_bands_));
  }

  copy_chroma(f);
  if (hops_ % params_.chroma_every_frames == 0) {
    // The chroma FFT is the largest single job: with look-ahead to spare, it runs half a hop later, in
    // another 128-sample quantum than the hop's pitch and spectrum work, and fills this frame then.
    chroma_slot_ = std::size_t(hops_) % ring;
    chroma_due_ = true;
    if (lookahead_ == 0) update_chroma();
  }

  // Silence has no pitch; skipping the search there also skips the most expensive part of the hop.
  candidates_ = level.dbfs > params_.pitch_gate_dbfs ? yin_.analyze(low_history_.newest()) : YinCandidates{};
  // YIN finds its candidates under pYIN's threshold prior (what offline decoders read, newest_candidates());
  // the live tracker weighs them under its own, shallower one.
  tracked_ = candidates_;
  reweight_candidates(tracked_, params_.pitch_prior_mean, yin_.params().absolute_min_prob);
  cues_.add_frame(f.onset_strength, f.rms_dbfs, tracked_);
  if (tracker_.push(tracked_)) {
    // A note the pitch track starts, flagged in a frame that is still pending (the decided one or newer).
    const std::int64_t cue = cues_.decide(tracker_.path());
    if (cue >= 0 && !steady_at_start(cue, true)) pending_[std::size_t(cue) % ring].onset = 1.0f;
    FeatureFrame& decided = pending_[std::size_t(hops_ - lookahead_) % ring];
    const PitchPoint p = tracker_.decided();
    decided.f0_hz = p.f0_hz;
    decided.confidence = p.voiced_probability;
    if (mel_bands_ > 0) {
      const auto from = pending_mel_.begin() + std::ptrdiff_t((std::size_t(hops_ - lookahead_) % ring) * mel_bands_);
      std::copy(from, from + std::ptrdiff_t(mel_bands_), frames_mel_.begin() + std::ptrdiff_t(ready_ * mel_bands_));
    }
    frames_[ready_++] = decided;
  }
  ++hops_;
}

}  // namespace etude::dsp
