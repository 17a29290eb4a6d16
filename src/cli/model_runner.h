#pragma once
// Runs a shipped ONNX model for the CLI through onnxruntime-web under Node (src/cli/node/run_model.mjs),
// the engine the browser's ML worker uses: onnxruntime has no Debian package, and one engine means the
// CLI's answers are the browser's. Where things are, in order of precedence:
//   node      --node PATH, $ETUDE_NODE, the node found at configure time, `node` on PATH
//   script    $ETUDE_MODEL_RUNNER, then src/cli/node/run_model.mjs of the source tree (baked at configure time)
//   model     --chord-model FILE, $ETUDE_CHORD_MODEL, then models/chord_classifier.onnx (baked at configure time)
//   wasm      $ETUDE_ORT_DIST (onnxruntime-web's dist/), else the script finds node_modules above itself

#include <span>
#include <string>
#include <vector>

namespace etude::cli {

struct ModelRunner {
  std::string node;
  std::string script;
  std::string model;  // .onnx; its labels are the .labels.json beside it
};

// The runner for the chord classifier, with flag values (empty when not given) over the defaults above.
ModelRunner chord_model_runner(const std::string& node_flag, const std::string& model_flag);

struct ModelOutput {
  std::vector<float> probabilities;  // rows x labels.size()
  std::vector<std::string> labels;
};

// Runs rows x cols float32 inputs through the model. Returns "" on success, otherwise why it could not
// (one short clause, e.g. "node not found at /x" or the runner's own error line).
std::string run_model(const ModelRunner& runner, std::span<const float> inputs, int cols, ModelOutput& out);

}  // namespace etude::cli
