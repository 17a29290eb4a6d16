#pragma once
// A FeatureFrame whose chord-classifier fields all encode one marker value, so a test can tell which
// frame ended up where in a packed window.

#include "dsp/feature_frame.h"

namespace etude::test {

inline dsp::FeatureFrame marker_frame(float marker, float time_s) {
  dsp::FeatureFrame f;
  for (int i = 0; i < 12; ++i) {
    f.chroma[i] = marker + 0.01f * float(i);
    f.bass_chroma[i] = marker + 0.5f + 0.01f * float(i);
  }
  f.rms_dbfs = -marker;
  f.flatness = 0.25f;
  f.confidence = 0.75f;
  f.onset_strength = marker * 2;
  // The classifier's input (src/ml/chord_input.h): semitone k holds marker + k / 128 (all positive).
  for (int k = 0; k < dsp::kSemitoneBins; ++k) f.semitones[k] = marker + float(k) / 128.0f;
  f.time_s = time_s;
  return f;
}

}  // namespace etude::test
