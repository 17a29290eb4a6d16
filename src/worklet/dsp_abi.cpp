#include "worklet/dsp_abi.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "dsp/live_analyzer.h"
#include "dsp/spectrogram_column.h"

namespace {
// Spectrogram columns about every 10.7 ms (a whole number of analyser hops): finer adds cost, not
// anything the eye can see.
etude::dsp::SpectrogramParams spectrogram_params(const etude::dsp::LiveAnalyzerParams& p) {
  etude::dsp::SpectrogramParams s;
  s.sample_rate = p.sample_rate;
  s.hop = p.hop * std::max(1, int(std::lround(p.sample_rate * 0.0107f / float(p.hop))));
  return s;
}
}  // namespace

struct EtudeDsp {
  explicit EtudeDsp(const etude::dsp::LiveAnalyzerParams& p)
      : analyzer(p), spectrogram(spectrogram_params(p)), input(std::size_t(p.max_block)) {}
  etude::dsp::LiveAnalyzer analyzer;
  etude::dsp::SpectrogramColumn spectrogram;
  std::vector<float> input;
  bool spectrum_ready = false;
};

namespace {
const char* g_last_error = "";
}

extern "C" {

int etude_dsp_frame_floats(void) { return int(etude::dsp::kFeatureFrameFloats); }

EtudeDsp* etude_dsp_create(float sample_rate, int hop, int max_block) {
  const etude::dsp::LiveAnalyzerParams defaults;
  return etude_dsp_create_range(sample_rate, hop, max_block, defaults.min_hz, defaults.max_hz);
}

EtudeDsp* etude_dsp_create_range(float sample_rate, int hop, int max_block, float min_hz, float max_hz) {
  etude::dsp::LiveAnalyzerParams p;
  p.sample_rate = sample_rate;
  p.hop = hop;
  p.max_block = max_block;
  p.min_hz = min_hz;
  p.max_hz = max_hz;
  if (const char* err = p.validate() ? p.validate() : spectrogram_params(p).validate()) {
    g_last_error = err;
    return nullptr;
  }
  g_last_error = "";
  return new EtudeDsp(p);
}

const char* etude_dsp_last_error(void) { return g_last_error; }

float* etude_dsp_input(EtudeDsp* dsp) { return dsp->input.data(); }

int etude_dsp_process(EtudeDsp* dsp, int n) {
  if (n < 0) n = 0;
  if (n > int(dsp->input.size())) n = int(dsp->input.size());
  const std::span<const float> block(dsp->input.data(), std::size_t(n));
  dsp->spectrum_ready = dsp->spectrogram.push(block);
  return int(dsp->analyzer.process(block));
}

int etude_dsp_spectrum_ready(EtudeDsp* dsp) { return dsp->spectrum_ready ? 1 : 0; }

int etude_dsp_spectrum_bins(EtudeDsp* dsp, int scale) {
  const auto& s = dsp->spectrogram;
  return int(scale == 0 ? s.notes().size() : scale == 1 ? s.mel().size() : scale == 2 ? s.linear().size() : 0);
}

const float* etude_dsp_spectrum(EtudeDsp* dsp, int scale) {
  const auto& s = dsp->spectrogram;
  return scale == 0 ? s.notes().data() : scale == 1 ? s.mel().data() : scale == 2 ? s.linear().data() : nullptr;
}

const float* etude_dsp_frames(EtudeDsp* dsp) {
  return reinterpret_cast<const float*>(dsp->analyzer.frames().data());
}

int etude_dsp_latency_samples(EtudeDsp* dsp) { return dsp->analyzer.latency_samples(); }

void etude_dsp_destroy(EtudeDsp* dsp) { delete dsp; }
}
