#pragma once
// The live feature set, streaming: feed blocks of any size (the AudioWorklet gives 128 frames),
// collect FeatureFrames every `hop` samples. This is what the worklet ABI and `etude` CLI both run,
// so browser and native features agree. All memory is taken at construction; process() never
// allocates, locks or throws.

#include <cstdint>
#include <span>
#include <vector>

#include "dsp/feature_frame.h"
#include "dsp/yin_pitch.h"

namespace etude::dsp {

struct LiveAnalyzerParams {
  float sample_rate = 48000.0f;  // Hz, valid 8000..192000
  int hop = 512;                 // samples between frames, valid 32..8192
  float min_hz = 50.0f;          // pitch search range
  float max_hz = 2000.0f;
  int max_block = 8192;          // largest block process() accepts, valid 1..65536

  const char* validate() const;  // nullptr when valid
  YinParams yin() const;
};

class LiveAnalyzer {
 public:
  explicit LiveAnalyzer(const LiveAnalyzerParams& params);  // params must validate()

  // Consumes block (at most max_block samples); returns how many new frames are in frames().
  // A block larger than hop can yield more than one frame.
  std::size_t process(std::span<const float> block);
  std::span<const FeatureFrame> frames() const { return {frames_.data(), ready_}; }

  // Samples between an event at the input and the frame that centres on it.
  int latency_samples() const;
  const LiveAnalyzerParams& params() const { return params_; }
  void reset();

 private:
  void emit_frame();

  LiveAnalyzerParams params_;
  YinPitch yin_;
  std::vector<float> history_;  // newest window_size() samples, oldest first
  std::vector<FeatureFrame> frames_;
  std::size_t ready_ = 0;
  int since_frame_ = 0;
  std::int64_t total_samples_ = 0;
};

}  // namespace etude::dsp
