#include "analysis/chord_segments.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

namespace etude::analysis {

const char* ChordDecodeParams::validate() const {
  if (!(change_prob >= 1e-6f && change_prob <= 0.5f)) return "change_prob must be 1e-6..0.5";
  if (!(min_segment_s >= 0.0f && min_segment_s <= 10.0f)) return "min_segment_s must be 0..10 s";
  if (!(min_no_chord_s >= 0.0f && min_no_chord_s <= 10.0f)) return "min_no_chord_s must be 0..10 s";
  return nullptr;
}

std::vector<ChordSpan> decode_chords(std::span<const float> scores, int classes, std::span<const float> times_s,
                                     float end_s, const ChordDecodeParams& p, std::span<const float> probabilities) {
  std::vector<ChordSpan> spans;
  const std::size_t k = std::size_t(std::max(classes, 1));
  const std::size_t n = std::min(times_s.size(), scores.size() / k);
  if (n == 0 || classes < 1) return spans;
  const float stay = std::log(1.0f - p.change_prob);
  const float change = classes > 1 ? std::log(p.change_prob / float(classes - 1)) : stay;
  std::vector<float> score(n * k), previous_best(n);
  std::vector<int> back(n * k);
  for (std::size_t t = 0; t < n; ++t) {
    // The best predecessor for a change is the same for every target: find it once per frame.
    std::size_t from_best = 0;
    if (t > 0) from_best = std::size_t(std::max_element(&score[(t - 1) * k], &score[t * k]) - &score[(t - 1) * k]);
    for (std::size_t c = 0; c < k; ++c) {
      float best = 0;
      int arg = int(c);
      if (t > 0) {
        best = score[(t - 1) * k + c] + stay;
        const float s = score[(t - 1) * k + from_best] + change;
        if (s > best) best = s, arg = int(from_best);
      }
      const float v = scores[t * k + c];
      score[t * k + c] = best + (std::isfinite(v) ? v : -1e30f);
      back[t * k + c] = arg;
    }
    const float top = *std::max_element(&score[t * k], &score[t * k] + k);
    for (std::size_t c = 0; c < k; ++c) score[t * k + c] -= top;
  }
  std::vector<int> path(n);
  path[n - 1] = int(std::max_element(&score[(n - 1) * k], &score[n * k]) - &score[(n - 1) * k]);
  for (std::size_t t = n - 1; t > 0; --t) path[t - 1] = back[t * k + std::size_t(path[t])];
  for (std::size_t t = 0; t < n; ++t) {
    const float start = t == 0 ? 0.0f : times_s[t];
    if (spans.empty() || spans.back().chord != path[t]) {
      if (!spans.empty()) spans.back().end_s = start;
      spans.push_back({start, end_s, path[t], 0.0f});
    }
  }
  spans.back().end_s = end_s;
  if (p.min_segment_s > 0) {
    // A short span joins its predecessor, or the next one when it opens the piece.
    std::vector<ChordSpan> merged;
    for (const ChordSpan& s : spans) {
      if (!merged.empty() && (s.end_s - s.start_s < p.min_segment_s || merged.back().chord == s.chord)) {
        merged.back().end_s = s.end_s;
      } else if (merged.size() == 1 && merged.back().end_s - merged.back().start_s < p.min_segment_s) {
        merged.back() = {merged.back().start_s, s.end_s, s.chord, 0.0f};
      } else {
        merged.push_back(s);
      }
    }
    spans = merged;
  }
  if (p.no_chord >= 0 && p.min_no_chord_s > 0 && spans.size() >= 3) {
    std::vector<ChordSpan> kept = {spans.front()};
    for (std::size_t i = 1; i + 1 < spans.size(); ++i) {
      const ChordSpan& s = spans[i];
      const bool between = kept.back().chord != p.no_chord && spans[i + 1].chord != p.no_chord;
      if (s.chord == p.no_chord && between && s.end_s - s.start_s < p.min_no_chord_s) {
        const float middle = 0.5f * (s.start_s + s.end_s);
        kept.back().end_s = middle;
        spans[i + 1].start_s = middle;
      } else {
        kept.push_back(s);
      }
    }
    kept.push_back(spans.back());
    // Two neighbours of the same chord around a removed N become one span.
    spans.clear();
    for (const ChordSpan& s : kept) {
      if (!spans.empty() && spans.back().chord == s.chord) spans.back().end_s = s.end_s;
      else spans.push_back(s);
    }
  }
  if (probabilities.size() >= n * k) {
    std::size_t t = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
      double sum = 0;
      int count = 0;
      for (; t < n && (i + 1 == spans.size() || (t == 0 ? 0.0f : times_s[t]) < spans[i].end_s); ++t, ++count) {
        sum += probabilities[t * k + std::size_t(spans[i].chord)];
      }
      spans[i].confidence = count ? float(sum / count) : 0.0f;
    }
  }
  return spans;
}

int bass_pitch_class(std::span<const std::array<float, 12>> bass_frames) {
  if (bass_frames.empty()) return -1;
  std::array<double, 12> mean{};
  for (const auto& f : bass_frames) {
    for (int i = 0; i < 12; ++i) mean[std::size_t(i)] += std::isfinite(f[std::size_t(i)]) ? f[std::size_t(i)] : 0.0f;
  }
  for (double& m : mean) m /= double(bass_frames.size());
  const int best = int(std::max_element(mean.begin(), mean.end()) - mean.begin());
  double second = 0;
  for (int i = 0; i < 12; ++i) {
    if (i != best) second = std::max(second, mean[std::size_t(i)]);
  }
  if (mean[std::size_t(best)] < 0.3 || second > 0.6 * mean[std::size_t(best)]) return -1;
  return best;
}

std::string with_bass(const std::string& label, int bass) {
  static constexpr std::pair<std::string_view, std::array<int, 4>> kQualities[] = {
      {"maj", {0, 4, 7, -1}},  {"min", {0, 3, 7, -1}},   {"dim", {0, 3, 6, -1}},   {"7", {0, 4, 7, 10}},
      {"maj7", {0, 4, 7, 11}}, {"min7", {0, 3, 7, 10}}, {"hdim7", {0, 3, 6, 10}}};
  static constexpr std::string_view kPitchClasses[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
  static constexpr std::string_view kDegrees[] = {"1", "b2", "2", "b3", "3", "4", "b5", "5", "#5", "bb7", "b7", "7"};
  const std::size_t colon = label.find(':');
  if (bass < 0 || bass > 11 || colon == std::string::npos || label.find('/') != std::string::npos) return label;
  int root = -1;
  for (int i = 0; i < 12; ++i) {
    if (label.compare(0, colon, kPitchClasses[i]) == 0) root = i;
  }
  const std::string_view quality = std::string_view(label).substr(colon + 1);
  const int interval = (bass - root + 12) % 12;
  if (root < 0 || interval == 0) return label;
  for (const auto& [name, intervals] : kQualities) {
    if (name != quality) continue;
    for (int i : intervals) {
      if (i == interval) return label + "/" + std::string(kDegrees[interval]);
    }
  }
  return label;
}

}  // namespace etude::analysis
