#include "dsp/onset_detector.h"

#include <algorithm>
#include <cmath>

#include "dsp/fast_math.h"

namespace etude::dsp {

namespace {
// A frame between a note's stop and the candidate this far under the candidate's high-frequency content
// (-10 dB) means the sound fell silent between them. Development sets (bench/RESULTS.md, session 9): sung
// clean F@25ms 0.991 / 0.987 -> 1.000 / 1.000 and laptop 0.991 -> 1.000; no other cell moved, live or CLI.
// (Any non-rising frame ignored, without the silence test, cost sung reverb 0.023 F@50ms, live 0.055.)
constexpr float kQuietGap = 0.1f;
}

const char* OnsetParams::validate() const {
  if (!(sample_rate >= 16000.0f && sample_rate <= 96000.0f)) return "sample_rate must be 16000..96000 Hz";
  if (!(frame_size >= 256 && frame_size <= 32768)) return "frame_size must be 256..32768";
  if (!(hop >= 16 && hop <= 8192)) return "hop must be 16..8192 samples";
  if (!(bands_per_octave >= 3 && bands_per_octave <= 48)) return "bands_per_octave must be 3..48";
  if (!(min_hz >= 20.0f && min_hz <= 1000.0f)) return "min_hz must be 20..1000 Hz";
  if (!(max_hz > 2.0f * min_hz)) return "max_hz must be above 2*min_hz";
  if (!(compression >= 1.0f && compression <= 1e9f)) return "compression must be 1..1e9";
  if (!(max_filter_bands >= 1 && max_filter_bands <= 9 && max_filter_bands % 2 == 1)) return "max_filter_bands must be odd, 1..9";
  if (!(delta >= 0.0f && delta <= 100.0f)) return "delta must be 0..100";
  if (!(mean_factor >= 1.0f && mean_factor <= 10.0f)) return "mean_factor must be 1..10";
  if (!(pre_avg_s >= 0.0f && pre_avg_s <= 1.0f)) return "pre_avg_s must be 0..1 s";
  if (!(pre_max_s >= 0.0f && pre_max_s <= 1.0f)) return "pre_max_s must be 0..1 s";
  if (!(decision_delay_s >= 0.0f && decision_delay_s <= 0.03f)) return "decision_delay_s must be 0..0.03 s";
  if (!(combine_s >= 0.0f && combine_s <= 1.0f)) return "combine_s must be 0..1 s";
  return nullptr;
}

int OnsetParams::decision_delay_frames() const { return int(std::floor(decision_delay_s * sample_rate / float(hop) + 1e-4f)); }

int OnsetParams::diff_frames() const { return std::max(1, int(std::lround(0.5 * frame_size / hop))); }

float OnsetParams::compared_with_silence_until_s() const { return float(diff_frames() * hop + frame_size / 2) / sample_rate; }

OnsetDetector::OnsetDetector(const OnsetParams& p)
    : params_(p),
      pre_avg_(int(std::lround(p.pre_avg_s * p.sample_rate / float(p.hop)))),
      pre_max_(int(std::lround(p.pre_max_s * p.sample_rate / float(p.hop)))),
      post_(p.decision_delay_frames()),
      combine_(int(std::lround(p.combine_s * p.sample_rate / float(p.hop)))) {
  // Centre bins of log-spaced bands; bands that would land on the same bin are merged (low frequencies).
  const float bin_hz = p.sample_rate / float(p.frame_size);
  const int nyquist_bin = p.frame_size / 2;
  const float top = std::min(p.max_hz, 0.5f * p.sample_rate * 0.98f);
  std::vector<int> centres;
  for (float f = p.min_hz; f <= top; f *= std::exp2(1.0f / float(p.bands_per_octave))) {
    const int bin = std::min(nyquist_bin, int(std::lround(f / bin_hz)));
    if (centres.empty() || bin > centres.back()) centres.push_back(bin);
  }
  for (std::size_t b = 1; b + 1 < centres.size(); ++b) {
    const int lo = centres[b - 1], mid = centres[b], hi = centres[b + 1];
    band_start_.push_back(lo);
    band_offset_.push_back(int(weights_.size()));
    band_length_.push_back(hi - lo + 1);
    double area = 0;
    const std::size_t first = weights_.size();
    for (int k = lo; k <= hi; ++k) {
      const float w = k <= mid ? float(k - lo + 1) / float(mid - lo + 1) : float(hi - k + 1) / float(hi - mid + 1);
      weights_.push_back(w);
      area += w;
    }
    for (std::size_t i = first; i < weights_.size(); ++i) weights_[i] = float(weights_[i] / area);
  }
  bank_ = FilterBank(band_start_, band_length_, band_offset_, weights_, p.frame_size / 2 + 1);
  // Compare with the frame whose window overlaps the current one by at most half (SuperFlux's rule).
  diff_frames_ = p.diff_frames();
  history_.assign(std::size_t(diff_frames_ + 1) * band_start_.size(), 0.0f);
  reference_.assign(band_start_.size(), 0.0f);
  odf_.assign(std::size_t(std::max({pre_avg_, pre_max_, diff_frames_}) + post_ + 1), 0.0f);
  level_.assign(odf_.size(), 0.0f);
  rising_.assign(odf_.size(), 0);
  bin_index_.resize(std::size_t(p.frame_size / 2 + 1));
  for (std::size_t k = 0; k < bin_index_.size(); ++k) bin_index_[k] = float(k);
}

void OnsetDetector::reset() {
  std::fill(history_.begin(), history_.end(), 0.0f);
  std::fill(odf_.begin(), odf_.end(), 0.0f);
  std::fill(level_.begin(), level_.end(), 0.0f);
  std::fill(rising_.begin(), rising_.end(), 0);
  frame_ = 0;
  last_onset_ = -1000000;
  strength_ = 0;
  decided_ = false;
}

float OnsetDetector::process(std::span<const float> magnitude) {
  const std::size_t nb = band_start_.size();
  const std::size_t rows = std::size_t(diff_frames_ + 1);
  float* now = history_.data() + std::size_t(frame_ % long(rows)) * nb;
  // High-frequency content (Masri's HFC: each bin's power times its bin index): at a note's end the
  // splatter lifts empty bands, but this falls. Weighted by frequency, so that the low, loud tail of a
  // kick or a bass note (reverberant, or just long) does not hide a hi-hat or a consonant over it: the
  // plain total power, which it replaces, fell under most such attacks (bench/RESULTS.md, branch onsets2).
  // Eight partial sums: the loop vectorises (a single float accumulator would have to run serially).
  float lanes[8] = {};
  const std::size_t bins = std::min(magnitude.size(), bin_index_.size());
  const float* __restrict index = bin_index_.data();
  std::size_t k = 0;
  for (; k + 8 <= bins; k += 8) {
    for (std::size_t l = 0; l < 8; ++l) lanes[l] += index[k + l] * (magnitude[k + l] * magnitude[k + l]);
  }
  float level = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  for (; k < bins; ++k) level += index[k] * (magnitude[k] * magnitude[k]);
  const float* before = history_.data() + std::size_t((frame_ + 1) % long(rows)) * nb;  // diff_frames_ ago
  bank_.apply<false>(magnitude, now);
  // Per-band passes over whole rows from here on, so that they vectorise (the same values as band by band).
  const int bands = int(nb);
  const float compression = params_.compression;
  for (int b = 0; b < bands; ++b) now[b] = fast_log10(1.0f + compression * now[b]);
  float flux = 0;
  if (frame_ >= diff_frames_) {
    // Each band is compared with the loudest of its max_filter_bands neighbours diff_frames_ ago (the
    // maximum is exact in any order).
    float* __restrict reference = reference_.data();
    std::copy(before, before + nb, reference);
    for (int o = 1; o <= params_.max_filter_bands / 2; ++o) {
      for (int b = o; b < bands; ++b) reference[b] = std::max(reference[b], before[b - o]);
      for (int b = 0; b + o < bands; ++b) reference[b] = std::max(reference[b], before[b + o]);
    }
    for (int b = 0; b < bands; ++b) reference[b] = std::max(0.0f, now[b] - reference[b]);
    for (int b = 0; b < bands; ++b) flux += reference[b];  // in band order, as always
  }
  strength_ = flux;

  const std::size_t ring = odf_.size();
  odf_[std::size_t(frame_) % ring] = flux;
  // Rising: the frame holds more high-frequency content than the one it was compared with.
  rising_[std::size_t(frame_) % ring] = frame_ >= diff_frames_ && level > level_[std::size_t(frame_ - diff_frames_) % ring];
  level_[std::size_t(frame_) % ring] = level;
  const long candidate = frame_ - post_;
  decided_ = false;
  if (candidate >= 0) {
    const float value = odf_[std::size_t(candidate) % ring];
    bool is_max = true;
    // A note that stops splatters energy into empty bands: that flux is not rising and is no onset, and
    // when the sound then falls quiet before the candidate (a frame between them kQuietGap under the
    // candidate's high-frequency content), it does not hide the next note's attack either. A room's tail
    // does not fall that fast, and there such a frame still counts.
    const float candidate_level = level_[std::size_t(candidate) % ring];
    float quietest_since = candidate_level;
    for (long k = candidate - 1; k >= std::max(0L, candidate - pre_max_); --k) {
      const bool ended = !rising_[std::size_t(k) % ring] && quietest_since < kQuietGap * candidate_level;
      quietest_since = std::min(quietest_since, level_[std::size_t(k) % ring]);
      if (!ended && odf_[std::size_t(k) % ring] >= value) is_max = false;  // ties go to the earliest frame of a plateau
    }
    for (long k = candidate + 1; k <= frame_ && is_max; ++k) {
      const float other = odf_[std::size_t(k) % ring];
      if (other > value) is_max = false;
    }
    double sum = 0;
    long count = 0;
    for (long k = std::max(0L, candidate - pre_avg_); k <= frame_; ++k, ++count) sum += odf_[std::size_t(k) % ring];
    const float mean = count > 0 ? float(sum / double(count)) : 0.0f;
    // A note's end also splatters energy into empty bands (positive flux); only rising frames are onsets.
    if (is_max && value > 0.0f && value >= params_.mean_factor * mean + params_.delta && candidate - last_onset_ > combine_ &&
        rising_[std::size_t(candidate) % ring]) {
      decided_ = true;
      last_onset_ = candidate;
    }
  }
  ++frame_;
  return flux;
}

}  // namespace etude::dsp
