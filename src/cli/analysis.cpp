#include "cli/analysis.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>

#include "dsp/level_meter.h"
#include "dsp/noise_onsets.h"
#include "dsp/spectral_gate.h"

#include "ml/chord_input.h"

namespace etude::cli {

int default_hop(float sample_rate) { return 1 << int(std::lround(std::log2(sample_rate * 0.01))); }

float Analysis::chroma_lag_s() const {
  return float(params.chroma_frame() * params.decimation() / 2 - params.window_centre_samples()) / params.sample_rate;
}

ml::LiveClock Analysis::clock() const {
  // The same numbers as LiveAnalyzer::latency_samples(), which the worklet reports to the app.
  return {params.sample_rate, params.hop, params.window_centre_samples() + params.effective_lookahead() * params.hop};
}

std::vector<dsp::PitchPoint> Analysis::offline_pitch(std::vector<dsp::YinCandidates>* used) const {
  dsp::PitchTrackerParams p = params.tracker();
  const bool gated = !gated_candidates.empty();
  p.unvoiced_weight = gated ? OfflineVoicing::kGatedUnvoicedWeight : OfflineVoicing::kUnvoicedWeight;
  std::vector<dsp::YinCandidates> reweighted = gated ? gated_candidates : candidates;
  const float absolute_min_prob = params.yin().absolute_min_prob;
  for (dsp::YinCandidates& c : reweighted) dsp::reweight_candidates(c, OfflineVoicing::kBetaMean, absolute_min_prob);
  std::vector<dsp::PitchPoint> track = dsp::track_pitch_offline(reweighted, p);
  if (used) *used = std::move(reweighted);
  return track;
}

namespace {

dsp::SpectralGateParams gate_params(float sample_rate) {
  dsp::SpectralGateParams p;
  p.sample_rate = sample_rate;
  return p;
}

// The second pass: the file again, through the spectral gate, into a second analyser whose pitch candidates
// replace the first pass's for the offline decoder. Hop for hop the same clock as the first pass.
std::string gated_pass(const std::string& path, const std::vector<float>& noise_power, Analysis& out) {
  const dsp::SpectralGateParams gp = gate_params(out.params.sample_rate);
  dsp::SpectralGate gate(gp, noise_power);
  dsp::LiveAnalyzerParams p = out.params;
  p.pitch_gate_dbfs = -150.0f;  // the original signal's level decides (below)
  dsp::LiveAnalyzer analyzer(p);
  const std::size_t hop = std::size_t(p.hop);
  std::vector<float> gated_hop(hop), raw_hop(hop), gated;
  std::deque<float> raw;  // the original samples, waiting for the gate's output at the same time
  std::size_t filled = 0;
  int skip = gate.latency();
  out.gated_candidates.clear();
  out.gated_candidates.reserve(out.candidates.size() + 8);

  auto run_hop = [&] {
    analyzer.process(gated_hop);
    const bool audible = dsp::measure_level(raw_hop).dbfs > out.params.pitch_gate_dbfs;
    out.gated_candidates.push_back(audible ? analyzer.newest_candidates() : dsp::YinCandidates{});
  };
  auto take = [&](std::span<const float> gated_block) {
    for (float g : gated_block) {
      if (skip > 0) {
        --skip;
        continue;
      }
      if (raw.empty()) return;  // the flush's own zeros
      gated_hop[filled] = g;
      raw_hop[filled] = raw.front();
      raw.pop_front();
      if (++filled == hop) {
        run_hop();
        filled = 0;
      }
    }
  };
  auto sink = [&](std::span<const float> block, const AudioStats&) {
    // Non-finite samples are silence to the level gate, as to the first pass's analyser.
    for (float x : block) raw.push_back(std::isfinite(x) ? x : 0.0f);
    gated.clear();
    gate.process(block, gated);
    take(gated);
  };
  AudioStats stats;
  const std::string error = read_audio(path, AudioLimits{}, sink, stats);
  if (!error.empty()) return error;
  // The gate's last latency() samples, then the same partial hop and look-ahead flush as the first pass.
  gated.clear();
  gate.process(std::vector<float>(std::size_t(gate.latency() + gate.hop()), 0.0f), gated);
  take(gated);
  if (filled > 0) {
    std::fill(gated_hop.begin() + long(filled), gated_hop.end(), 0.0f);
    std::fill(raw_hop.begin() + long(filled), raw_hop.end(), 0.0f);
    run_hop();
  }
  std::fill(gated_hop.begin(), gated_hop.end(), 0.0f);
  std::fill(raw_hop.begin(), raw_hop.end(), 0.0f);
  for (int i = 0; i < out.params.effective_lookahead(); ++i) run_hop();
  out.gated_candidates.resize(out.candidates.size());
  return {};
}

dsp::NoiseOnsetParams noise_onset_params(const Analysis& a) {
  const dsp::SpectralGateParams gate = gate_params(a.params.sample_rate);  // the NoiseProfile's frames
  dsp::NoiseOnsetParams p;
  p.sample_rate = a.params.sample_rate;
  p.frame_size = gate.frame_size();
  p.hop = a.params.hop;
  p.floor_percentile = gate.percentile;
  return p;
}

// A further pass: the file's band energies over its noise floor (dsp::NoiseBandEnergy), then the onsets in them.
std::string noise_onset_pass(const std::string& path, const std::vector<float>& noise_power, Analysis& out) {
  const dsp::NoiseOnsetParams p = noise_onset_params(out);
  if (p.validate() != nullptr) return {};  // an odd hop (over the frame): no second detector, no error
  dsp::NoiseBandEnergy band(p, noise_power);
  auto sink = [&](std::span<const float> block, const AudioStats&) { band.push(block); };
  AudioStats stats;
  const std::string error = read_audio(path, AudioLimits{}, sink, stats);
  if (!error.empty()) return error;
  out.noise_onset_times.clear();
  for (int k : dsp::pick_noise_onsets(band.values(), band.coverage(), p)) out.noise_onset_times.push_back(p.time_s(k));
  return {};
}

}  // namespace

std::string analyse_file(const std::string& path, const AnalysisOptions& options, Analysis& out) {
  out = Analysis{};
  std::unique_ptr<dsp::LiveAnalyzer> analyzer;
  std::unique_ptr<dsp::NoiseProfile> noise;
  std::vector<float> hop_buffer;
  std::size_t filled = 0;
  std::string setup_error;

  // Exactly one hop per process() call, so each call's newest_candidates() belong to that hop.
  auto run_hop = [&](std::span<const float> hop) {
    analyzer->process(hop);
    out.candidates.push_back(analyzer->newest_candidates());
    for (const dsp::FeatureFrame& f : analyzer->frames()) out.frames.push_back(f);
    for (std::size_t i = 0; out.mel_bands > 0 && i < analyzer->frames().size(); ++i) {
      const std::span<const float> column = analyzer->mel(i);
      out.mel.insert(out.mel.end(), column.begin(), column.end());
    }
  };

  auto sink = [&](std::span<const float> block, const AudioStats& stats) {
    if (!analyzer) {
      if (!setup_error.empty()) return;
      dsp::LiveAnalyzerParams p;
      p.sample_rate = stats.sample_rate;
      p.hop = options.hop > 0       ? options.hop
              : options.live_hop  ? ml::live_hop(stats.sample_rate)
                                  : default_hop(stats.sample_rate);
      p.min_hz = options.min_hz;
      p.max_hz = options.max_hz;
      p.max_block = p.hop;
      p.pitch_onsets = p.voicing_onsets = options.live_onset_cues;
      p.start_onsets_need_change = options.live_onset_cues;  // the browser's onsets; onsets and notes judge starts themselves
      p.keep_mel = options.keep_mel;
      if (const char* e = p.validate()) {
        setup_error = path + ": " + e;
        return;
      }
      out.params = p;
      out.mel_bands = p.keep_mel ? p.spectral().mel_bands : 0;
      analyzer = std::make_unique<dsp::LiveAnalyzer>(p);
      if (options.gated_pitch || options.noise_onsets) noise = std::make_unique<dsp::NoiseProfile>(gate_params(p.sample_rate));
      hop_buffer.assign(std::size_t(p.hop), 0.0f);
      // Expected hop count; an hour at 48 kHz is about 340k frames.
      if (stats.frames > 0) {
        out.frames.reserve(std::size_t(stats.frames / p.hop + 64));
        out.candidates.reserve(std::size_t(stats.frames / p.hop + 64));
      }
    }
    if (noise) noise->push(block);
    for (float x : block) {
      hop_buffer[filled++] = x;
      if (filled == hop_buffer.size()) {
        run_hop(hop_buffer);
        filled = 0;
      }
    }
  };

  const std::string error = read_audio(path, AudioLimits{}, sink, out.stats);
  if (!error.empty()) return error;
  if (!setup_error.empty()) return setup_error;
  if (const std::string bad = check_content(path, out.stats); !bad.empty()) return bad;
  out.warning = content_warning(path, out.stats);

  // Finish the last partial hop, then let the look-ahead decide the final frames (silence follows the file).
  const int lookahead = out.params.effective_lookahead();
  if (filled > 0) {
    std::fill(hop_buffer.begin() + long(filled), hop_buffer.end(), 0.0f);
    run_hop(hop_buffer);
  }
  std::fill(hop_buffer.begin(), hop_buffer.end(), 0.0f);
  for (int i = 0; i < lookahead; ++i) run_hop(hop_buffer);
  // The first `lookahead` frames describe the silence the analyzer assumes before the file; the last
  // `lookahead` candidates belong to the flush.
  const long primed = std::min<long>(lookahead, long(out.frames.size()));
  out.frames.erase(out.frames.begin(), out.frames.begin() + primed);
  if (out.mel_bands > 0) out.mel.erase(out.mel.begin(), out.mel.begin() + primed * out.mel_bands);
  out.candidates.resize(out.frames.size());
  if (noise) {
    // The percentiles are the profile's costly part: computed once, for the switch and for the gate.
    const std::vector<float> floor = noise->floor_power();
    if (10.0f * std::log10(std::max(noise->noise_to_signal(floor), 1e-12f)) > OfflineVoicing::kGateAboveNoiseToSignalDb) {
      if (options.gated_pitch) {
        if (std::string e = gated_pass(path, floor, out); !e.empty()) return e;
      }
      if (options.noise_onsets) return noise_onset_pass(path, floor, out);
    }
  }
  return {};
}

}  // namespace etude::cli
