#pragma once
// One analysis frame, the unit that flows from the DSP (worklet or CLI) to the app and to training.
// The layout is the contract: kFeatureFrameFloats consecutive 32-bit floats in the field order below.
// JS reads the count from etude_dsp_frame_floats() and the field names from web/worklet/feature-frame.js;
// Python reads `etude analyze features` output with the same names. Add fields only at the end.

#include <cstddef>

namespace etude::dsp {

struct FeatureFrame {
  float time_s = 0;      // centre of the analysis window, seconds since the stream started
  float f0_hz = 0;       // fundamental frequency; 0 when unvoiced
  float confidence = 0;  // 0..1, how periodic the window is (1 - YIN aperiodicity at the chosen lag)
  float rms = 0;         // linear RMS of the newest hop
  float rms_dbfs = 0;    // 20 log10(rms), floored at kSilenceDbfs
};

inline constexpr std::size_t kFeatureFrameFloats = sizeof(FeatureFrame) / sizeof(float);
inline constexpr float kSilenceDbfs = -120.0f;

static_assert(sizeof(FeatureFrame) == kFeatureFrameFloats * sizeof(float), "FeatureFrame must be plain floats");

}  // namespace etude::dsp
