#include "dsp/chord_templates.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace etude::dsp {

namespace {
constexpr int kNoChord = 24;
constexpr std::array<const char*, kChordCount> kLabels = {
    "C:maj", "C#:maj", "D:maj", "D#:maj", "E:maj", "F:maj", "F#:maj", "G:maj", "G#:maj", "A:maj", "A#:maj", "B:maj",
    "C:min", "C#:min", "D:min", "D#:min", "E:min", "F:min", "F#:min", "G:min", "G#:min", "A:min", "A#:min", "B:min", "N"};
}  // namespace

const char* ChordParams::validate() const {
  if (!(frame_rate >= 1.0f && frame_rate <= 2000.0f)) return "frame_rate must be 1..2000 frames/s";
  if (!(change_prob >= 1e-6f && change_prob <= 0.5f)) return "change_prob must be 1e-6..0.5";
  if (!(sharpness >= 1.0f && sharpness <= 100.0f)) return "sharpness must be 1..100";
  if (!(no_chord_similarity >= 0.0f && no_chord_similarity <= 1.0f)) return "no_chord_similarity must be 0..1";
  if (!(bass_weight >= 0.0f && bass_weight <= 1.0f)) return "bass_weight must be 0..1";
  if (!(min_segment_s >= 0.0f && min_segment_s <= 10.0f)) return "min_segment_s must be 0..10 s";
  return nullptr;
}

const char* chord_label(int chord) { return chord >= 0 && chord < kChordCount ? kLabels[std::size_t(chord)] : "N"; }

void chord_similarities(const ChromaFrame& frame, const ChordParams& p, std::span<float> out) {
  double norm = 0;
  for (float v : frame.chroma) norm += double(v) * v;
  if (norm <= 1e-12) {
    std::fill(out.begin(), out.end(), 0.0f);
    out[kNoChord] = 1.0f;
    return;
  }
  const double inv = 1.0 / (std::sqrt(norm) * std::sqrt(3.0));
  for (int root = 0; root < 12; ++root) {
    for (int minor = 0; minor < 2; ++minor) {
      const int third = (root + (minor ? 3 : 4)) % 12, fifth = (root + 7) % 12;
      const double dot = frame.chroma[std::size_t(root)] + frame.chroma[std::size_t(third)] + frame.chroma[std::size_t(fifth)];
      out[std::size_t(root + 12 * minor)] = float(dot * inv + p.bass_weight * frame.bass[std::size_t(root)]);
    }
  }
  out[kNoChord] = p.no_chord_similarity;
}

std::vector<ChordSegment> recognise_chords(std::span<const ChromaFrame> frames, std::span<const float> times_s,
                                           float end_s, const ChordParams& p) {
  std::vector<ChordSegment> segments;
  const std::size_t n = frames.size();
  if (n == 0) return segments;
  const float stay = std::log(1.0f - p.change_prob), change = std::log(p.change_prob / float(kChordCount - 1));
  std::vector<std::array<float, kChordCount>> score(n);
  std::vector<std::array<std::int8_t, kChordCount>> back(n);
  std::array<float, kChordCount> sim{};
  for (std::size_t t = 0; t < n; ++t) {
    chord_similarities(frames[t], p, sim);
    for (int c = 0; c < kChordCount; ++c) {
      float best = 0;
      int arg = c;
      if (t > 0) {
        best = score[t - 1][std::size_t(c)] + stay;
        for (int from = 0; from < kChordCount; ++from) {
          const float s = score[t - 1][std::size_t(from)] + change;
          if (s > best) best = s, arg = from;
        }
      }
      score[t][std::size_t(c)] = best + p.sharpness * sim[std::size_t(c)];
      back[t][std::size_t(c)] = std::int8_t(arg);
    }
    const float top = *std::max_element(score[t].begin(), score[t].end());
    for (float& s : score[t]) s -= top;
  }
  std::vector<int> path(n);
  path[n - 1] = int(std::max_element(score[n - 1].begin(), score[n - 1].end()) - score[n - 1].begin());
  for (std::size_t t = n - 1; t > 0; --t) path[t - 1] = back[t][std::size_t(path[t])];
  for (std::size_t t = 0; t < n; ++t) {
    const float start = t == 0 ? 0.0f : times_s[t];
    if (segments.empty() || segments.back().chord != path[t]) {
      if (!segments.empty()) segments.back().end_s = start;
      segments.push_back({start, end_s, path[t]});
    }
  }
  segments.back().end_s = end_s;
  if (p.min_segment_s > 0) {
    // A short segment joins its predecessor, or the next one when it opens the piece.
    std::vector<ChordSegment> merged;
    for (const ChordSegment& s : segments) {
      if (!merged.empty() && (s.end_s - s.start_s < p.min_segment_s || merged.back().chord == s.chord)) {
        merged.back().end_s = s.end_s;
      } else if (merged.size() == 1 && merged.back().end_s - merged.back().start_s < p.min_segment_s) {
        merged.back() = {merged.back().start_s, s.end_s, s.chord};
      } else {
        merged.push_back(s);
      }
    }
    segments = merged;
  }
  return segments;
}

}  // namespace etude::dsp
