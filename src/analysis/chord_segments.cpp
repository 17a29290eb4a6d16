#include "analysis/chord_segments.h"

#include <algorithm>
#include <cmath>

namespace etude::analysis {

const char* ChordDecodeParams::validate() const {
  if (!(change_prob >= 1e-6f && change_prob <= 0.5f)) return "change_prob must be 1e-6..0.5";
  if (!(min_segment_s >= 0.0f && min_segment_s <= 10.0f)) return "min_segment_s must be 0..10 s";
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

}  // namespace etude::analysis
