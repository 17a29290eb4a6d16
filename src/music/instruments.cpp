#include "music/instruments.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace etude::music {
namespace {

// Ranges: usual student ranges in concert pitch (MIDI), from standard orchestration references.
constexpr std::array<Instrument, 16> kInstruments{{
    {"any", "Voice / any instrument", 0, 28, 96},
    {"voice-soprano", "Soprano voice", 0, 60, 81},
    {"voice-alto", "Alto voice", 0, 53, 77},
    {"voice-tenor", "Tenor voice", 0, 48, 69},
    {"voice-bass", "Bass voice", 0, 40, 64},
    {"violin", "Violin", 0, 55, 100},
    {"viola", "Viola", 0, 48, 88},
    {"cello", "Cello", 0, 36, 76},
    {"double-bass", "Double bass (sounds an octave lower)", 12, 28, 67},
    {"flute", "Flute", 0, 60, 96},
    {"recorder", "Descant recorder (sounds an octave higher)", -12, 72, 98},
    {"clarinet-bb", "Clarinet in B\u266D", 2, 50, 91},
    {"trumpet-bb", "Trumpet in B\u266D", 2, 52, 82},
    {"alto-sax", "Alto saxophone in E\u266D", 9, 49, 81},
    {"tenor-sax", "Tenor saxophone in B\u266D", 14, 44, 76},
    {"horn-f", "French horn in F", 7, 34, 77},
}};

}  // namespace

std::span<const Instrument> instruments() { return kInstruments; }

const Instrument& instrument_by_id(std::string_view id) {
  for (const Instrument& i : kInstruments) {
    if (i.id == id) return i;
  }
  return kInstruments[0];
}

PitchRange pitch_search_range(const Instrument& instrument) {
  if (instrument.id == kInstruments[0].id) return {};
  const auto hz = [](int midi) { return 440.0f * std::exp2(float(midi - 69) / 12.0f); };
  // The analyser's limits (dsp::YinParams::validate): 30 Hz up to 4 kHz.
  return {std::max(30.0f, hz(instrument.low_midi - 2)), std::min(4000.0f, hz(instrument.high_midi + 2))};
}

std::string_view transposition_name(int transposition) {
  switch (((transposition % 12) + 12) % 12) {
    case 2: return "in B\u266D";
    case 9: return "in E\u266D";
    case 7: return "in F";
    case 3: return "in A";
    default: return "";
  }
}

}  // namespace etude::music
