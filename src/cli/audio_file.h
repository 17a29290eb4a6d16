#pragma once
// Reading audio files for analysis (libsndfile: WAV, FLAC, OGG, AIFF, ...), streamed in blocks and
// mixed down to mono, with the checks that turn a bad file into one clear sentence: unreadable,
// unsupported sample rate, too many channels, too long, empty; and, once read, silent or NaN-filled.
// Clipping is reported as a warning (the analysis still runs).

#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace etude::cli {

struct AudioLimits {
  float min_rate = 16000.0f;   // the DSP's supported range
  float max_rate = 96000.0f;
  int max_channels = 8;
  double max_seconds = 4.0 * 3600.0;
};

struct AudioStats {
  float sample_rate = 0;
  int channels = 0;
  std::int64_t frames = 0;        // samples per channel
  std::int64_t non_finite = 0;    // NaN or infinite samples (before mixdown)
  std::int64_t clipped = 0;       // mono samples at or above 0.999 full scale
  float peak = 0;                 // largest finite |sample| of the mono mix
  double seconds() const { return sample_rate > 0 ? double(frames) / sample_rate : 0.0; }
};

// Streams the file as mono float blocks into `sink`. Returns an empty string on success, otherwise one
// sentence (starting with the path) saying what is wrong and, where it helps, what to do.
std::string read_audio(const std::string& path, const AudioLimits& limits,
                       const std::function<void(std::span<const float>, const AudioStats&)>& on_start_and_block,
                       AudioStats& stats);

// After reading: an error sentence for content that cannot be analysed (empty, silent, NaN), or "".
std::string check_content(const std::string& path, const AudioStats& stats);
// A warning sentence for content that can be analysed but with care (clipping), or "".
std::string content_warning(const std::string& path, const AudioStats& stats);

}  // namespace etude::cli
