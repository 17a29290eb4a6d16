// etude: analyse audio files with the same feature code the browser runs.
//   etude analyze pitch|onsets|tempo|beats|notes|chords|features FILE [--json] [--hop N] [--min-hz F] [--max-hz F]
// Results go to stdout (CSV, or JSON with --json). Problems go to stderr as one line, with a non-zero exit:
//   1 usage, 2 the file cannot be read or has an unsupported format, 3 its content cannot be analysed.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "cli/analysis.h"
#include "cli/commands.h"

namespace {

using namespace etude::cli;

constexpr const char* kUsage =
    "usage: etude analyze COMMAND FILE [--json] [--hop N] [--min-hz F] [--max-hz F]\n"
    "       etude analyze COMMAND --help\n"
    "\n"
    "Analyses an audio file (WAV, FLAC, OGG, AIFF; any channel count up to 8, mixed to mono;\n"
    "16000..96000 Hz) with Etude's feature engine and writes CSV to stdout (JSON with --json).\n"
    "\n"
    "commands:\n"
    "  pitch     time_s,f0_hz,confidence per hop (pYIN, whole-file Viterbi; f0 0 when unvoiced)\n"
    "  onsets    time_s of each note onset (SuperFlux spectral flux + legato pitch changes)\n"
    "  tempo     bpm,confidence (onset-strength autocorrelation with a 120 BPM prior)\n"
    "  beats     time_s of each beat (dynamic-programming beat tracking)\n"
    "  notes     onset_s,offset_s,midi,cents of each note\n"
    "  chords    start_s,end_s,label (Harte labels; 24-triad template baseline)\n"
    "  features  every FeatureFrame field per hop, exactly what the browser computes\n"
    "\n"
    "options:\n"
    "  --json      JSON array of objects instead of CSV\n"
    "  --hop N     samples between frames (default: the power of two nearest 10 ms)\n"
    "  --min-hz F  lowest pitch searched (default 50)\n"
    "  --max-hz F  highest pitch searched (default 2000)\n"
    "  --help      this text, or a command's own help\n"
    "\n"
    "exit status: 0 ok, 1 usage error, 2 unreadable or unsupported file, 3 empty, silent or corrupt audio.\n";

struct Command {
  const char* name;
  const char* help;
  Table (*run)(const Analysis&);
};

constexpr Command kCommands[] = {
    {"pitch",
     "etude analyze pitch FILE: one row per hop, time_s,f0_hz,confidence.\n"
     "pYIN: FFT-based YIN candidates with Beta(2,18) threshold probabilities, decoded by a whole-file Viterbi\n"
     "pass over the candidate lattice. f0_hz is 0 when the frame is unvoiced; confidence is the voicing\n"
     "probability (0..1). Range 50..2000 Hz unless --min-hz/--max-hz say otherwise. time_s is the centre of\n"
     "the analysis window.\n",
     pitch_table},
    {"onsets",
     "etude analyze onsets FILE: one row per onset, time_s.\n"
     "SuperFlux (log-magnitude spectral flux over 24 bands/octave with a 3-band maximum filter against\n"
     "vibrato) with adaptive peak picking as the browser runs it (decision delay at most 30 ms), plus\n"
     "pitch-change onsets of legato notes (a pitch held 75 cents away for 80 ms) that no spectral onset\n"
     "within 50 ms already marks.\n",
     onsets_table},
    {"tempo",
     "etude analyze tempo FILE: one row, bpm,confidence.\n"
     "Autocorrelation of the onset-strength envelope, weighted by a log-normal prior centred on 120 BPM\n"
     "(one octave wide) over 40..240 BPM; confidence is the normalised autocorrelation at that period (0..1).\n",
     tempo_table},
    {"beats",
     "etude analyze beats FILE: one row per beat, time_s.\n"
     "Ellis's dynamic-programming beat tracker on the onset-strength envelope at the estimated tempo.\n",
     beats_table},
    {"notes",
     "etude analyze notes FILE: one row per note, onset_s,offset_s,midi,cents.\n"
     "Notes from the whole-file pitch track, split at spectral onsets and at legato pitch changes; notes\n"
     "shorter than 50 ms are dropped. midi is the nearest MIDI note to the note's mean pitch and cents\n"
     "the offset from it.\n",
     notes_table},
    {"chords",
     "etude analyze chords FILE: one row per chord segment, start_s,end_s,label.\n"
     "Labels are Harte syntax as in models/chord_templates.labels.json (C:maj .. B:min, N for no chord).\n"
     "This is the template baseline computed in C++: cosine similarity of the chroma (and bass chroma)\n"
     "with the 24 major/minor triads, smoothed by a Viterbi pass. The trained classifier runs in the\n"
     "browser through onnxruntime-web; handing the CLI over to it (under Node) is not wired yet.\n",
     chords_table},
    {"features",
     "etude analyze features FILE: one row per hop with every FeatureFrame field (src/dsp/feature_frame.h,\n"
     "web/worklet/feature-frame.js): time_s, f0_hz, confidence, rms, rms_dbfs, onset_strength, onset,\n"
     "momentary_lufs, short_term_lufs, centroid_hz, spread_hz, flatness, rolloff_hz, zcr, tuning_cents,\n"
     "chroma_0..11, bass_chroma_0..11, mfcc_0..12. These are the live features (fixed-lag pitch), the same\n"
     "numbers the AudioWorklet produces, for training.\n",
     features_table},
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "etude: %s (try: etude --help)\n", message.c_str());
  return 1;
}

bool parse_number(const char* text, double& out) {
  char* end = nullptr;
  out = std::strtod(text, &end);
  return end && *end == '\0' && end != text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage_error("missing command; usage: etude analyze COMMAND FILE");
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (std::string_view(argv[1]) != "analyze") return usage_error(std::string("unknown command '") + argv[1] + "'");
  if (argc < 3) return usage_error("analyze needs a COMMAND and a FILE");
  if (!std::strcmp(argv[2], "--help") || !std::strcmp(argv[2], "-h")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const Command* command = nullptr;
  for (const Command& c : kCommands) {
    if (std::string_view(argv[2]) == c.name) command = &c;
  }
  if (!command) return usage_error(std::string("unknown analysis '") + argv[2] + "'");

  AnalysisOptions options;
  bool json = false;
  std::string path;
  for (int i = 3; i < argc; ++i) {
    const std::string_view arg = argv[i];
    double value = 0;
    if (arg == "--help" || arg == "-h") {
      std::fputs(command->help, stdout);
      return 0;
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--hop" || arg == "--min-hz" || arg == "--max-hz") {
      if (i + 1 >= argc || !parse_number(argv[i + 1], value)) return usage_error(std::string(arg) + " needs a number");
      ++i;
      if (arg == "--hop") options.hop = int(value);
      if (arg == "--min-hz") options.min_hz = float(value);
      if (arg == "--max-hz") options.max_hz = float(value);
      if (arg == "--hop" && (value != double(options.hop) || options.hop <= 0)) return usage_error("--hop needs a positive whole number");
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error(std::string("unknown option '") + argv[i] + "'");
    } else if (path.empty()) {
      path = argv[i];
    } else {
      return usage_error("only one FILE at a time");
    }
  }
  if (path.empty()) return usage_error(std::string("analyze ") + command->name + " needs a FILE");

  Analysis analysis;
  const std::string error = analyse_file(path, options, analysis);
  if (!error.empty()) {
    std::fprintf(stderr, "etude: %s\n", error.c_str());
    const bool content = analysis.stats.frames == 0 ? error.find("empty") != std::string::npos
                                                    : error.find("silent") != std::string::npos || error.find("NaN") != std::string::npos;
    return content ? 3 : 2;
  }
  if (!analysis.warning.empty()) std::fprintf(stderr, "etude: warning: %s\n", analysis.warning.c_str());
  const Table table = command->run(analysis);
  if (json) {
    write_json(table, stdout);
  } else {
    write_csv(table, stdout);
  }
  return std::fflush(stdout) == 0 ? 0 : 2;
}
