#pragma once
// Test audio files: a temporary path per test and a WAV writer (libsndfile), shared by the unit tests
// that need real files (the CLI's reader, its commands, the chord window against offline analysis).

#include <gtest/gtest.h>
#include <sndfile.h>

#include <filesystem>
#include <string>
#include <vector>

namespace etude::test {

// A path in the temp directory, unique to the running test (test executables run in parallel).
inline std::string temp_path(const std::string& name) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string prefix = info ? std::string(info->test_suite_name()) + "_" + info->name() : "etude";
  return (std::filesystem::temp_directory_path() / ("etude_test_" + prefix + "_" + name)).string();
}

// Writes interleaved float samples as a WAV (float or 16-bit) and returns its path.
inline std::string write_wav(const std::string& name, int rate, int channels, const std::vector<float>& interleaved,
                             bool as_float = true) {
  const std::string path = temp_path(name);
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | (as_float ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!f) return path;
  sf_writef_float(f, interleaved.data(), sf_count_t(interleaved.size() / std::size_t(channels)));
  sf_close(f);
  return path;
}

inline std::string write_mono(const std::string& name, int rate, const std::vector<float>& x) {
  return write_wav(name, rate, 1, x);
}

}  // namespace etude::test
