#pragma once
// Analyser settings that tests of the live path run at: the app's live hops (48 kHz / 256, 44.1 kHz / 240)
// and the analyser's default hop (48 kHz / 512).

#include <utility>
#include <vector>

#include "dsp/live_analyzer.h"

namespace etude::test {

inline std::vector<etude::dsp::LiveAnalyzerParams> live_params() {
  std::vector<etude::dsp::LiveAnalyzerParams> all;
  for (auto [rate, hop] : {std::pair{48000.0f, 256}, std::pair{44100.0f, 240}, std::pair{48000.0f, 512}}) {
    etude::dsp::LiveAnalyzerParams p;
    p.sample_rate = rate;
    p.hop = hop;
    all.push_back(p);
  }
  return all;
}

}  // namespace etude::test
