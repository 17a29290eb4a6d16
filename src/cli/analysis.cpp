#include "cli/analysis.h"

#include <cmath>
#include <memory>

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
  p.unvoiced_weight = OfflineVoicing::kUnvoicedWeight;
  std::vector<dsp::YinCandidates> reweighted = candidates;
  const float absolute_min_prob = params.yin().absolute_min_prob;
  for (dsp::YinCandidates& c : reweighted) dsp::reweight_candidates(c, OfflineVoicing::kBetaMean, absolute_min_prob);
  std::vector<dsp::PitchPoint> track = dsp::track_pitch_offline(reweighted, p);
  if (used) *used = std::move(reweighted);
  return track;
}

std::string analyse_file(const std::string& path, const AnalysisOptions& options, Analysis& out) {
  out = Analysis{};
  std::unique_ptr<dsp::LiveAnalyzer> analyzer;
  std::vector<float> hop_buffer;
  std::size_t filled = 0;
  std::string setup_error;

  // Exactly one hop per process() call, so each call's newest_candidates() belong to that hop.
  auto run_hop = [&](std::span<const float> hop) {
    analyzer->process(hop);
    out.candidates.push_back(analyzer->newest_candidates());
    for (const dsp::FeatureFrame& f : analyzer->frames()) out.frames.push_back(f);
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
      if (const char* e = p.validate()) {
        setup_error = path + ": " + e;
        return;
      }
      out.params = p;
      analyzer = std::make_unique<dsp::LiveAnalyzer>(p);
      hop_buffer.assign(std::size_t(p.hop), 0.0f);
      // Expected hop count; an hour at 48 kHz is about 340k frames.
      if (stats.frames > 0) {
        out.frames.reserve(std::size_t(stats.frames / p.hop + 64));
        out.candidates.reserve(std::size_t(stats.frames / p.hop + 64));
      }
    }
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
  out.frames.erase(out.frames.begin(), out.frames.begin() + std::min<long>(lookahead, long(out.frames.size())));
  out.candidates.resize(out.frames.size());
  return {};
}

}  // namespace etude::cli
