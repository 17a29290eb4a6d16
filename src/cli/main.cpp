// etude: analyse audio files with the same feature code the browser runs.
//   etude analyze pitch|onsets|tempo|beats|notes|chords|features FILE [--json] [--hop N] [--min-hz F] [--max-hz F]
//   etude analyze chords FILE [--model auto|templates|classifier] [--node PATH] [--chord-model FILE.onnx]
//   etude analyze features FILE [--model-frames | --mel] [--npy OUT.npy]
//   etude analyze pitch FILE [--unvoiced-negative] [--no-noise-gate]
// Results go to stdout (CSV, or JSON with --json). Problems go to stderr as one line, with a non-zero exit:
//   1 usage, 2 the file cannot be read or has an unsupported format, 3 its content cannot be analysed,
//   4 the chord classifier was asked for and cannot run.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "dsp/feature_frame.h"
#include "ml/chord_input.h"

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
    "  onsets    time_s of each note onset (SuperFlux spectral flux + pitch-track note starts; in steady\n"
    "            noise also a band energy detector)\n"
    "  tempo     bpm,confidence (onset-strength autocorrelation with a 150 BPM prior)\n"
    "  beats     time_s of each beat (dynamic-programming beat tracking)\n"
    "  notes     onset_s,offset_s,midi,cents of each note\n"
    "  chords    start_s,end_s,label (Harte labels; the trained classifier, or the template baseline)\n"
    "  features  every FeatureFrame field per hop, exactly what the browser computes\n"
    "\n"
    "options:\n"
    "  --json      JSON array of objects instead of CSV\n"
    "  --hop N     samples between frames (default: the power of two nearest 10 ms; for chords and\n"
    "              features the live app's hop, 0.0107 s in multiples of 32, halved: 256 at 48 kHz, 240 at 44.1 kHz)\n"
    "  --min-hz F  lowest pitch searched (default 50)\n"
    "  --max-hz F  highest pitch searched (default 2000)\n"
    "  --help      this text, or a command's own help\n"
    "  pitch:    --unvoiced-negative (unvoiced frames give their best pitch guess as a negative f0_hz,\n"
    "            mir_eval's convention, so raw pitch accuracy can be scored apart from voicing),\n"
    "            --no-noise-gate (decode pitch from the file as it is, not from its noise-gated copy)\n"
    "  chords:   --model auto|templates|classifier (default auto), --node PATH, --chord-model FILE.onnx\n"
    "  features: --model-frames (only the chord classifier's frames), --mel (adds the 40-band mel\n"
    "            spectrogram), --npy OUT.npy (float32 matrix; column names etc. in OUT.json)\n"
    "\n"
    "exit status: 0 ok, 1 usage error, 2 unreadable or unsupported file, 3 empty, silent or corrupt audio,\n"
    "4 the chord classifier was asked for (--model classifier) and cannot run.\n";

struct Command {
  const char* name;
  const char* help;
  Table (*run)(const Analysis&);
};

constexpr Command kCommands[] = {
    {"pitch",
     "etude analyze pitch FILE: one row per hop, time_s,f0_hz,confidence.\n"
     "pYIN: FFT-based YIN candidates, decoded by a whole-file Viterbi pass over the candidate lattice; the\n"
     "threshold prior is Beta(2,6), as the live tuner's (shallower troughs, which noise makes of a real pitch,\n"
     "count as voiced). f0_hz is 0 when the frame is unvoiced; confidence is the voicing\n"
     "probability (0..1) under that prior. Range 50..2000 Hz unless --min-hz/--max-hz say otherwise. time_s is\n"
     "the centre of the analysis window.\n"
     "Noise gate: in a file with steady noise (its noise floor within 25 dB of its mean level), the candidates\n"
     "come from a second pass over a copy of the file with that noise turned down 20 dB (spectral gate: each\n"
     "frequency's noise floor is a low percentile of its power over the file, kept smooth across frequency so\n"
     "that a note held throughout is not taken for noise), decoded with a heavier unvoiced weight; the voicing\n"
     "gate still reads the file's own level. In white noise this finds notes that fade under the noise.\n"
     "--no-noise-gate: decode the file as it is (one pass, as before the gate).\n"
     "--unvoiced-negative: an unvoiced frame gives its most probable pitch candidate as a NEGATIVE f0_hz\n"
     "(MIREX / mir_eval's convention: voicing and pitch are then scored apart); 0 only where no pitch was\n"
     "found at all (silence).\n",
     nullptr},  // main() calls pitch_table itself (--unvoiced-negative)
    {"onsets",
     "etude analyze onsets FILE: one row per onset, time_s.\n"
     "SuperFlux (log-magnitude spectral flux over 24 bands/octave with a 3-band maximum filter against\n"
     "vibrato) with adaptive peak picking as the browser runs it (decision delay at most 30 ms), plus\n"
     "the notes the pitch track starts (a pitch held 75 cents away for 80 ms, or voicing that begins),\n"
     "each placed at the onset-strength bump of its attack up to 0.15 s before (dropped if there is\n"
     "none; in noise, where no bump stands 2.5 times over the last second's onset-strength floor, a pitch\n"
     "change keeps its own frame), and re-articulated notes (the level of a held, pitched sound dips 8 dB\n"
     "and comes back), that no spectral onset within 50 ms already marks. Sound present from the first\n"
     "sample is an onset at the start only when it changes after it as an attack does (level falls 6 dB\n"
     "or timbre moves within 0.15 s): steady noise or a note the recording cut into is not.\n"
     "A pitch-track note placed less than 0.19 s after a spectral onset (voicing that begins) or 0.14 s\n"
     "(a pitch change) is the decay of that onset's note (a drum's ring, a reverberant harp, a bent\n"
     "string) and is not an onset. Nor is one in a note left to ring (within 2 s of a spectral onset,\n"
     "the level over the 0.1 s before it 10 dB under that onset's, and less than 3 dB more sounding in\n"
     "the 0.15 s after it): the pitch track of a ringing string wanders, a new note brings its energy.\n"
     "In a file with steady noise, also noise-like attacks under it (a hi-hat under white noise): the\n"
     "power of each bin from 3 to 20 kHz over its own noise floor, averaged over the band and 35 ms,\n"
     "standing 5 noise standard deviations over the noise's level; not where the sound then falls 1.5 dB\n"
     "(a note's end) nor within 50 ms of another onset.\n",
     onsets_table},
    {"tempo",
     "etude analyze tempo FILE: one row, bpm,confidence.\n"
     "Autocorrelation of the onset-strength envelope, weighted by a log-normal prior centred on 150 BPM\n"
     "(one octave wide) over 40..240 BPM; confidence is the normalised autocorrelation at that period (0..1).\n",
     tempo_table},
    {"beats",
     "etude analyze beats FILE: one row per beat, time_s.\n"
     "Ellis's dynamic-programming beat tracker on the onset-strength envelope at the estimated tempo.\n",
     beats_table},
    {"notes",
     "etude analyze notes FILE: one row per note, onset_s,offset_s,midi,cents.\n"
     "The whole-file pitch track cut into notes at the onsets `etude analyze onsets` finds (attacks, legato\n"
     "pitch changes, re-articulations) and where it falls silent; notes shorter than 50 ms are dropped.\n"
     "midi is the nearest MIDI note to the note's median pitch (after its first 20 ms) and cents the offset\n"
     "from it.\n",
     notes_table},
    {"chords",
     "etude analyze chords FILE [--model auto|templates|classifier] [--node PATH] [--chord-model FILE.onnx]:\n"
     "one row per chord segment, start_s,end_s,label (Harte: C:maj, A:min, G:7, B:hdim7, C:maj/3, N for no chord;\n"
     "the inversion comes from the bass chroma when one chord tone clearly leads the bass);\n"
     "--json adds each segment's confidence (the mean probability of its label over the segment).\n"
     "classifier: the trained classifier (models/chord_classifier.onnx, labels in its .labels.json) on windows of\n"
     "16 model frames x 68 fields (the semitone spectrum; every 2nd frame at the live hop, as the app feeds it: src/ml/chord_input.h), run by onnxruntime-web under Node (the\n"
     "browser's engine; src/cli/node/run_model.mjs). templates: cosine similarity of the chroma (and bass\n"
     "chroma) with the 24 major/minor triads. Both are smoothed by the same Viterbi pass (segments of at least\n"
     "0.2 s; an N shorter than 0.5 s between two chords is split between them). auto (default): the\n"
     "classifier, or the templates with one line on stderr saying why when Node, onnxruntime-web or the model\n"
     "is missing or fails; --model classifier then fails instead (exit 4).\n"
     "Node is --node, else $ETUDE_NODE, else the one found at build time, else `node` on PATH; the model is\n"
     "--chord-model, else $ETUDE_CHORD_MODEL, else the source tree's; $ETUDE_MODEL_RUNNER and $ETUDE_ORT_DIST\n"
     "override the runner script and onnxruntime-web's dist/ folder.\n",
     nullptr},
    {"features",
     "etude analyze features FILE: one row per hop with every FeatureFrame field (src/dsp/feature_frame.h,\n"
     "web/worklet/feature-frame.js): time_s, f0_hz, confidence, rms, rms_dbfs, onset_strength, onset,\n"
     "momentary_lufs, short_term_lufs, centroid_hz, spread_hz, flatness, rolloff_hz, zcr, tuning_cents,\n"
     "chroma_0..11, bass_chroma_0..11, mfcc_0..12, semitone_28..95 (the spectrum the chroma folds, E1..B6;\n"
     "what the chord classifier reads). These are the live features (fixed-lag pitch), the same\n"
     "numbers the AudioWorklet produces, for training. Default hop: the live app's (see --help).\n"
     "--model-frames keeps only the chord classifier's model frames (every 2nd frame at the live hop, the ones\n"
     "the app feeds it; src/ml/chord_input.h): what models/chords trains on. Needs the live hop.\n"
     "--mel adds mel_0..mel_39 after them: each frame's mel spectrogram column (power per band; 40 triangular\n"
     "HTK-mel bands over 0..8000 Hz on the frame's 46 ms spectrum, the one the MFCCs are taken from). Not with\n"
     "--model-frames.\n"
     "--npy OUT.npy writes a float32 NumPy matrix (frames x 120, or 160 with --mel) there instead of CSV to\n"
     "stdout, and OUT.json beside it: {\"columns\": [...], \"sample_rate\", \"hop\", \"frame_rate\" (rows per\n"
     "second), \"frames\",\n"
     "\"live_hop\", \"chord_model_hop\", \"model_frames\" (true with --model-frames)}.\n",
     features_table},
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "etude: %s (try: etude --help)\n", message.c_str());
  return 1;
}

// features --npy: the matrix, and its column names and frame clock as JSON beside it.
int write_features_npy(const Table& table, const Analysis& a, bool model_frames, const std::string& path) {
  if (const std::string e = write_npy(table, path); !e.empty()) {
    std::fprintf(stderr, "etude: %s\n", e.c_str());
    return 2;
  }
  const std::size_t dot = path.rfind('.'), slash = path.rfind('/');
  const std::string sidecar = (dot != std::string::npos && (slash == std::string::npos || dot > slash) ? path.substr(0, dot) : path) + ".json";
  std::FILE* out = std::fopen(sidecar.c_str(), "w");
  if (!out) {
    std::fprintf(stderr, "etude: %s: cannot write\n", sidecar.c_str());
    return 2;
  }
  std::fputs("{\"columns\": [", out);
  for (std::size_t c = 0; c < table.columns.size(); ++c) std::fprintf(out, "%s\"%s\"", c ? ", " : "", table.columns[c].c_str());
  const double row_rate = double(a.frame_rate()) / (model_frames ? etude::ml::kLiveFramesPerModelFrame : 1);
  std::fprintf(out,
               "],\n \"sample_rate\": %g, \"hop\": %d, \"frame_rate\": %.9g, \"frames\": %zu, \"live_hop\": %d, "
               "\"chord_model_hop\": %d, \"model_frames\": %s}\n",
               double(a.params.sample_rate), a.params.hop, row_rate, table.rows.size(), etude::ml::live_hop(a.params.sample_rate),
               etude::ml::chord_model_hop(a.params.sample_rate), model_frames ? "true" : "false");
  const bool ok = std::ferror(out) == 0;
  if (std::fclose(out) != 0 || !ok) {
    std::fprintf(stderr, "etude: %s: write failed\n", sidecar.c_str());
    return 2;
  }
  return 0;
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
  ChordOptions chord_options;
  bool json = false;
  std::string path, npy;
  bool model_frames = false, unvoiced_negative = false;
  const bool is_pitch = std::string_view(command->name) == "pitch";
  const bool is_chords = std::string_view(command->name) == "chords";
  const bool is_features = std::string_view(command->name) == "features";
  options.live_hop = is_chords || is_features;
  options.live_onset_cues = is_features;
  // The pitch track is decoded from the noise-gated signal (--no-noise-gate: from the file as it is). Notes
  // and onsets keep the ungated track: their note-start cues were tuned on it, and the gate's extra
  // voicing in noise cost them (bench/RESULTS.md).
  options.gated_pitch = is_pitch;
  options.noise_onsets = std::string_view(command->name) == "onsets";
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
    } else if (arg == "--model" || arg == "--node" || arg == "--chord-model") {
      if (!is_chords) return usage_error(std::string(arg) + " is an option of chords only");
      if (i + 1 >= argc) return usage_error(std::string(arg) + " needs a value");
      const std::string_view value_text = argv[++i];
      if (arg == "--node") chord_options.node = value_text;
      if (arg == "--chord-model") chord_options.chord_model = value_text;
      if (arg == "--model") {
        if (value_text == "auto") chord_options.model = ChordModel::Auto;
        else if (value_text == "templates") chord_options.model = ChordModel::Templates;
        else if (value_text == "classifier") chord_options.model = ChordModel::Classifier;
        else return usage_error("--model needs auto, templates or classifier");
      }
    } else if (arg == "--unvoiced-negative") {
      if (!is_pitch) return usage_error("--unvoiced-negative is an option of pitch only");
      unvoiced_negative = true;
    } else if (arg == "--no-noise-gate") {
      if (!is_pitch) return usage_error("--no-noise-gate is an option of pitch only");
      options.gated_pitch = false;
    } else if (arg == "--model-frames") {
      if (!is_features) return usage_error("--model-frames is an option of features only");
      model_frames = true;
    } else if (arg == "--mel") {
      if (!is_features) return usage_error("--mel is an option of features only");
      options.keep_mel = true;
    } else if (arg == "--npy") {
      if (!is_features) return usage_error("--npy is an option of features only");
      if (i + 1 >= argc) return usage_error("--npy needs an output file");
      npy = argv[++i];
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error(std::string("unknown option '") + argv[i] + "'");
    } else if (path.empty()) {
      path = argv[i];
    } else {
      return usage_error("only one FILE at a time");
    }
  }
  if (path.empty()) return usage_error(std::string("analyze ") + command->name + " needs a FILE");
  if (options.keep_mel && model_frames) return usage_error("--mel and --model-frames cannot be combined");

  Analysis analysis;
  const std::string error = analyse_file(path, options, analysis);
  if (!error.empty()) {
    std::fprintf(stderr, "etude: %s\n", error.c_str());
    const bool content = analysis.stats.frames == 0 ? error.find("empty") != std::string::npos
                                                    : error.find("silent") != std::string::npos || error.find("NaN") != std::string::npos;
    return content ? 3 : 2;
  }
  if (!analysis.warning.empty()) std::fprintf(stderr, "etude: warning: %s\n", analysis.warning.c_str());
  if (model_frames) {
    if (analysis.params.hop != etude::ml::live_hop(analysis.params.sample_rate)) {
      return usage_error("--model-frames needs the live hop, " + std::to_string(etude::ml::live_hop(analysis.params.sample_rate)) +
                         " at " + std::to_string(int(analysis.params.sample_rate)) + " Hz");
    }
    analysis.frames = etude::ml::model_frames(analysis.frames, analysis.clock());
    analysis.candidates.clear();  // they belong to the live frames; features does not read them
  }
  Table table;
  if (is_chords) {
    ChordResult result = chords(analysis, chord_options);
    if (!result.error.empty()) {
      std::fprintf(stderr, "etude: %s\n", result.error.c_str());
      return 4;
    }
    if (!result.notice.empty()) std::fprintf(stderr, "etude: warning: %s\n", result.notice.c_str());
    table = std::move(result.table);
  } else if (is_pitch) {
    table = pitch_table(analysis, unvoiced_negative);
  } else {
    table = command->run(analysis);
  }
  if (!npy.empty()) return write_features_npy(table, analysis, model_frames, npy);
  if (json) {
    write_json(table, stdout);
  } else {
    write_csv(table, stdout);
  }
  return std::fflush(stdout) == 0 ? 0 : 2;
}
