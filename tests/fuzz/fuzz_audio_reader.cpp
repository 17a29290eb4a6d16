// Fuzzing the file path of the `etude` CLI: libsndfile reading, our checks, and the full analysis on
// whatever comes out. Two entry points in one file:
//   * LLVMFuzzerTestOneInput for libFuzzer (clang -fsanitize=fuzzer, see tests/fuzz/CMakeLists.txt);
//   * main() (without ETUDE_LIBFUZZER): a deterministic mutation run over seed WAV/FLAC/OGG/AIFF files,
//     registered as a ctest, so every build exercises a few thousand malformed files.
// Each input must end in either one error sentence (single line, starting with the path) or an analysis
// whose every feature is finite.

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "cli/analysis.h"
#include "cli/commands.h"

namespace {

std::string scratch_path() {
  static const std::string path = (std::filesystem::temp_directory_path() / ("etude_fuzz_" + std::to_string(::getpid()) + ".bin")).string();
  return path;
}

// Returns false (and prints why) when the outcome breaks the contract.
bool check_one(const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  }
  etude::cli::AnalysisOptions options;
  etude::cli::Analysis analysis;
  const std::string error = etude::cli::analyse_file(path, options, analysis);
  if (!error.empty()) {
    if (error.find('\n') != std::string::npos || error.rfind(path, 0) != 0) {
      std::fprintf(stderr, "bad error sentence: %s\n", error.c_str());
      return false;
    }
    return true;
  }
  for (const auto& frame : analysis.frames) {
    const float* v = reinterpret_cast<const float*>(&frame);
    for (std::size_t i = 0; i < etude::dsp::kFeatureFrameFloats; ++i) {
      if (!std::isfinite(v[i])) {
        std::fprintf(stderr, "non-finite %s in a frame\n", etude::dsp::kFeatureFrameFieldNames[i]);
        return false;
      }
    }
  }
  // The offline decoders must cope with whatever frames came out.
  (void)etude::cli::notes_table(analysis);
  (void)etude::cli::beats_table(analysis);
  (void)etude::cli::template_chords_table(analysis);
  (void)etude::cli::chord_windows(analysis);  // the classifier's input (the model itself is not run here)
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (!check_one(data, size)) std::abort();
  return 0;
}

#ifndef ETUDE_LIBFUZZER
namespace {

std::vector<std::uint8_t> seed(int format, int rate, int channels, double seconds) {
  const std::string path = scratch_path() + ".seed";
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) return {};
  std::vector<float> x(std::size_t(seconds * rate) * std::size_t(channels));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(0.4 * std::sin(double(i / std::size_t(channels)) * 2 * M_PI * 330.0 / rate));
  sf_writef_float(f, x.data(), sf_count_t(x.size() / std::size_t(channels)));
  sf_close(f);
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 2000;
  const std::vector<std::vector<std::uint8_t>> seeds = {
      seed(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, 0.3),
      seed(SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 2, 0.3),
      seed(SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 22050, 1, 0.3),
      seed(SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 1, 0.3),
      seed(SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 16000, 1, 0.3),
  };
  std::mt19937 rng(12345);
  int failures = 0;
  for (int it = 0; it < iterations; ++it) {
    const auto& base = seeds[std::size_t(it) % seeds.size()];
    if (base.empty()) continue;
    std::vector<std::uint8_t> data = base;
    // Header bytes get most of the damage: that is where readers go wrong.
    const int edits = 1 + int(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      const std::size_t region = rng() % 4 == 0 ? data.size() : std::min<std::size_t>(data.size(), 96);
      const std::size_t at = rng() % region;
      switch (rng() % 6) {
        case 0: data[at] ^= std::uint8_t(1u << (rng() % 8)); break;
        case 1: data[at] = std::uint8_t(rng()); break;
        case 2: data[at] = std::uint8_t(rng() % 2 ? 0x00 : 0xff); break;
        case 3: data.resize(rng() % (data.size() + 1)); break;  // truncation
        case 4:  // a 32-bit field set to an extreme value (sizes, rates, channel counts)
          if (at + 4 <= data.size()) {
            const std::uint32_t extremes[] = {0u, 1u, 0x7fffffffu, 0xffffffffu, 8000u, 192000u, 65535u};
            const std::uint32_t v = extremes[rng() % 7];
            for (int b = 0; b < 4; ++b) data[at + std::size_t(b)] = std::uint8_t(v >> (8 * b));
          }
          break;
        default:  // a burst of NaN-looking float bytes in the body
          for (std::size_t i = at; i < std::min(data.size(), at + 64); i += 4) data[i] = 0xff;
      }
      if (data.empty()) break;
    }
    if (!check_one(data.data(), data.size())) {
      ++failures;
      std::fprintf(stderr, "iteration %d failed\n", it);
    }
  }
  std::filesystem::remove(scratch_path());
  std::printf("%d mutated files, %d contract failures\n", iterations, failures);
  return failures == 0 ? 0 : 1;
}
#endif
