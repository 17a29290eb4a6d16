#include "cli/model_runner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ml/chord_input.h"

using namespace etude::cli;

namespace {
std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every number of the JSON value that follows `"key": ` at or after `from` (a nested array), in order.
std::vector<float> numbers_after(const std::string& json, const std::string& key, std::size_t& from) {
  std::vector<float> out;
  std::size_t i = json.find("\"" + key + "\": ", from);
  if (i == std::string::npos) return out;
  i = json.find('[', i);
  int depth = 0;
  for (; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '[') ++depth;
    else if (c == ']') {
      if (--depth == 0) break;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      char* end = nullptr;
      out.push_back(std::strtof(json.c_str() + i, &end));
      i = std::size_t(end - json.c_str()) - 1;
    }
  }
  from = i;
  return out;
}
}  // namespace

// The shipped classifier's golden cases through the CLI's runner (C++ -> Node -> onnxruntime-web):
// the same probabilities as models/chord_classifier.golden.json within its tolerance.
TEST(ModelRunner, ChordClassifierMatchesItsGoldenFile) {
  const ModelRunner runner = chord_model_runner("", "");
  const std::string golden = read(runner.model.substr(0, runner.model.size() - 5) + ".golden.json");
  ASSERT_FALSE(golden.empty()) << runner.model;
  std::vector<float> inputs, expected;
  int cases = 0;
  for (std::size_t at = 0;; ++cases) {
    std::size_t probe = at;
    std::vector<float> in = numbers_after(golden, "chroma", probe);
    if (in.empty()) break;
    std::vector<float> p = numbers_after(golden, "probabilities", probe);
    ASSERT_EQ(in.size() % std::size_t(etude::ml::kWindowFloats), 0u);  // a case holds one or more windows
    ASSERT_EQ(p.size(), in.size() / std::size_t(etude::ml::kWindowFloats) * 133);
    inputs.insert(inputs.end(), in.begin(), in.end());
    expected.insert(expected.end(), p.begin(), p.end());
    at = probe;
  }
  ASSERT_EQ(cases, 10);
  ModelOutput out;
  const std::string error = run_model(runner, inputs, etude::ml::kWindowFloats, out);
  if (error.find("node not found") != std::string::npos || error.find("cannot start") != std::string::npos) {
    GTEST_SKIP() << error;
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(out.labels.size(), 133u);
  EXPECT_EQ(out.labels.front(), "C:maj");
  EXPECT_EQ(out.labels.back(), "N");
  ASSERT_EQ(out.probabilities.size(), expected.size());
  float worst = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) worst = std::max(worst, std::abs(out.probabilities[i] - expected[i]));
  EXPECT_LT(worst, 1e-4f);  // the golden file's tolerance
}

TEST(ModelRunner, SaysWhyItCannotRun) {
  ModelOutput out;
  const std::vector<float> row(std::size_t(etude::ml::kWindowFloats), 0.0f);
  ModelRunner r = chord_model_runner("/nonexistent/node", "");
  EXPECT_EQ(run_model(r, row, etude::ml::kWindowFloats, out), "node not found at /nonexistent/node");
  r = chord_model_runner("", "/nonexistent/model.onnx");
  EXPECT_EQ(run_model(r, row, etude::ml::kWindowFloats, out), "model /nonexistent/model.onnx not found");
  EXPECT_EQ(run_model(r, {}, etude::ml::kWindowFloats, out), "no input rows");
  // A runner that fails reports its own first stderr line.
  r = chord_model_runner("/bin/sh", "");
  r.script = std::string(ETUDE_SOURCE_DIR) + "/tests/unit/cli/failing_runner.sh";
  EXPECT_EQ(run_model(r, row, etude::ml::kWindowFloats, out), "runner broke: no engine");
}
