#include "cli/audio_file.h"

#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <vector>

namespace etude::cli {

namespace {
std::string format(const char* fmt, auto... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, fmt, args...);
  return buffer;
}
}  // namespace

std::string read_audio(const std::string& path, const AudioLimits& limits,
                       const std::function<void(std::span<const float>, const AudioStats&)>& sink, AudioStats& stats) {
  stats = AudioStats{};
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (!file) return format("%s: cannot read this file (%s)", path.c_str(), sf_strerror(nullptr));
  struct Closer {
    SNDFILE* f;
    ~Closer() { sf_close(f); }
  } closer{file};

  stats.sample_rate = float(info.samplerate);
  stats.channels = info.channels;
  if (info.channels < 1) return format("%s: the file has no audio channels", path.c_str());
  if (info.channels > limits.max_channels)
    return format("%s: %d channels is more than the %d supported; mix it down first (e.g. sox in.wav -c 1 out.wav)",
                  path.c_str(), info.channels, limits.max_channels);
  if (!(stats.sample_rate >= limits.min_rate && stats.sample_rate <= limits.max_rate))
    return format("%s: sample rate %d Hz is outside the supported %.0f..%.0f Hz; resample it (e.g. sox in.wav -r 44100 out.wav)",
                  path.c_str(), info.samplerate, double(limits.min_rate), double(limits.max_rate));
  if (info.frames > 0 && double(info.frames) / info.samplerate > limits.max_seconds)
    return format("%s: %.1f hours is longer than the %.1f hours supported; split it first",
                  path.c_str(), double(info.frames) / info.samplerate / 3600.0, limits.max_seconds / 3600.0);
  // Float reads of integer files come back in -1..1 without clipping (SFC_SET_SCALE_INT_FLOAT_WRITE is for writing).
  sf_command(file, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);

  constexpr sf_count_t kBlock = 8192;
  std::vector<float> interleaved(std::size_t(kBlock * info.channels), 0.0f);
  std::vector<float> mono(std::size_t(kBlock), 0.0f);
  sink({}, stats);  // announces the format before the first block
  for (;;) {
    const sf_count_t got = sf_readf_float(file, interleaved.data(), kBlock);
    if (got <= 0) break;
    for (sf_count_t i = 0; i < got; ++i) {
      double sum = 0;
      bool finite = true;
      for (int c = 0; c < info.channels; ++c) {
        const float v = interleaved[std::size_t(i * info.channels + c)];
        if (!std::isfinite(v)) {
          finite = false;
          ++stats.non_finite;
        } else {
          sum += v;
        }
      }
      const float m = finite ? float(sum / info.channels) : 0.0f;
      mono[std::size_t(i)] = m;
      const float a = std::abs(m);
      if (a > stats.peak) stats.peak = a;
      if (a >= 0.999f) ++stats.clipped;
    }
    stats.frames += got;
    if (stats.seconds() > limits.max_seconds)
      return format("%s: longer than the %.1f hours supported; split it first", path.c_str(), limits.max_seconds / 3600.0);
    sink({mono.data(), std::size_t(got)}, stats);
  }
  if (sf_error(file) != SF_ERR_NO_ERROR) return format("%s: read error (%s)", path.c_str(), sf_strerror(file));
  return {};
}

std::string check_content(const std::string& path, const AudioStats& stats) {
  if (stats.frames == 0) return format("%s: the file is empty (no samples)", path.c_str());
  if (stats.non_finite > 0)
    return format("%s: %lld samples are NaN or infinite; the file is corrupt", path.c_str(), (long long)stats.non_finite);
  // -80 dBFS: a few LSBs of 16-bit dither, nothing a student played.
  if (stats.peak < 1e-4f) return format("%s: the file is silent (peak below -80 dBFS); nothing to analyse", path.c_str());
  return {};
}

std::string content_warning(const std::string& path, const AudioStats& stats) {
  if (stats.frames > 0 && double(stats.clipped) / double(stats.frames) > 0.001)
    return format("%s: %.2f%% of samples are at full scale (clipped); pitch, loudness and onsets may be off",
                  path.c_str(), 100.0 * double(stats.clipped) / double(stats.frames));
  return {};
}

}  // namespace etude::cli
