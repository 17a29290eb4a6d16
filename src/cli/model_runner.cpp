#include "cli/model_runner.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace etude::cli {

namespace {
namespace fs = std::filesystem;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string first_line(const fs::path& path) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) return line;
  }
  return {};
}

// A temporary folder removed when this goes out of scope.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::path(env_or("TMPDIR", "/tmp")) / "etude-model-XXXXXX").string();
    if (mkdtemp(pattern.data())) path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};
}  // namespace

ModelRunner chord_model_runner(const std::string& node_flag, const std::string& model_flag) {
  ModelRunner r;
  r.node = !node_flag.empty() ? node_flag : env_or("ETUDE_NODE", ETUDE_CONFIGURED_NODE[0] ? ETUDE_CONFIGURED_NODE : "node");
  r.script = env_or("ETUDE_MODEL_RUNNER", ETUDE_CONFIGURED_MODEL_RUNNER);
  r.model = !model_flag.empty() ? model_flag : env_or("ETUDE_CHORD_MODEL", ETUDE_CONFIGURED_CHORD_MODEL);
  return r;
}

std::string run_model(const ModelRunner& r, std::span<const float> inputs, int cols, ModelOutput& out) {
  out = ModelOutput{};
  if (cols <= 0 || inputs.empty() || inputs.size() % std::size_t(cols) != 0) return "no input rows";
  const bool node_is_path = r.node.find('/') != std::string::npos;
  if (node_is_path && (!is_file(r.node) || access(r.node.c_str(), X_OK) != 0)) return "node not found at " + r.node;
  if (!is_file(r.script)) return "model runner " + r.script + " not found";
  if (!is_file(r.model)) return "model " + r.model + " not found";
  const TempDir tmp;
  if (tmp.path.empty()) return "cannot make a temporary folder";
  const fs::path in = tmp.path / "in.f32", result = tmp.path / "out.f32", labels = tmp.path / "labels.txt",
                 err = tmp.path / "err.txt";
  {
    std::ofstream f(in, std::ios::binary);
    f.write(reinterpret_cast<const char*>(inputs.data()), std::streamsize(inputs.size() * sizeof(float)));
    if (!f) return "cannot write " + in.string();
  }
  const std::string rows = std::to_string(inputs.size() / std::size_t(cols)), width = std::to_string(cols);
  std::vector<std::string> args = {r.node, r.script, r.model, in.string(), rows, width, result.string()};
  if (const char* dist = std::getenv("ETUDE_ORT_DIST"); dist && *dist) args.push_back(dist);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, labels.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int spawned = node_is_path ? posix_spawn(&pid, r.node.c_str(), &actions, nullptr, argv.data(), environ)
                                   : posix_spawnp(&pid, r.node.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return "cannot start " + r.node;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "lost the model runner process";
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string why = first_line(err);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return "cannot run " + r.node;
    return why.empty() ? "the model runner failed (status " + std::to_string(status) + ")" : why;
  }
  {
    std::ifstream f(labels);
    for (std::string line; std::getline(f, line);) {
      if (!line.empty()) out.labels.push_back(line);
    }
  }
  std::error_code ec;
  const auto bytes = fs::file_size(result, ec);
  const std::size_t expected = (inputs.size() / std::size_t(cols)) * out.labels.size() * sizeof(float);
  if (ec || out.labels.empty() || bytes != expected) return "the model runner gave an answer of the wrong size";
  out.probabilities.resize(expected / sizeof(float));
  std::ifstream f(result, std::ios::binary);
  f.read(reinterpret_cast<char*>(out.probabilities.data()), std::streamsize(expected));
  if (!f) return "cannot read the model's answer";
  return {};
}

}  // namespace etude::cli
