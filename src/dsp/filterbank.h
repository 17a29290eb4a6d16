#pragma once
// Weighted sums of spectrum bins over a bank of short, overlapping bands (SuperFlux's log-frequency
// triangles, the mel bank). One band's sum is a chain of dependent additions, so bands run four at a
// time, one per vector lane: each group of four stores one length (its longest band's) and weights
// interleaved by band, zero-padded. Padding adds +0 before a band's first term (where it would read past
// the last bin) or after its last, so every band's sum is the same additions in the same order as a plain
// loop over its bins: bit-identical. Allocation only at construction; apply() never allocates.

#include <algorithm>
#include <cstring>
#include <span>
#include <vector>

namespace etude::dsp {

class FilterBank {
 public:
  FilterBank() = default;
  // Band b covers bins start[b] .. start[b] + length[b] - 1 with weights[offset[b] ..]; bins is the
  // spectrum's length (every band must lie inside it).
  FilterBank(std::span<const int> start, std::span<const int> length, std::span<const int> offset, std::span<const float> weights,
             int bins)
      : bands_(int(start.size())) {
    for (int g = 0; g < bands_; g += 4) {
      int longest = 0;
      for (int l = 0; l < 4 && g + l < bands_; ++l) longest = std::max(longest, length[std::size_t(g + l)]);
      group_length_.push_back(longest);
      group_offset_.push_back(int(weights_.size()));
      weights_.resize(weights_.size() + std::size_t(4 * longest), 0.0f);
      float* w = weights_.data() + group_offset_.back();
      for (int l = 0; l < 4; ++l) {
        if (g + l >= bands_) {
          start_.push_back(0);  // no band: zero weights on the first bins
          continue;
        }
        const std::size_t b = std::size_t(g + l);
        const int lead = std::max(0, start[b] + longest - bins);
        start_.push_back(start[b] - lead);
        for (int k = 0; k < length[b]; ++k) w[4 * (lead + k) + l] = weights[std::size_t(offset[b] + k)];
      }
    }
  }

  int bands() const { return bands_; }

  // out[b] = sum over the band's bins of w * x (kSquared: w * x * x, multiplied in that order).
  template <bool kSquared>
  void apply(std::span<const float> x, float* out) const {
    typedef float Lanes __attribute__((vector_size(16)));  // GCC/Clang vector extension: four floats
    for (int g = 0; g < bands_; g += 4) {
      const std::size_t group = std::size_t(g / 4);
      const float* w = weights_.data() + group_offset_[group];
      const float* x0 = x.data() + start_[std::size_t(g)];
      const float* x1 = x.data() + start_[std::size_t(g) + 1];
      const float* x2 = x.data() + start_[std::size_t(g) + 2];
      const float* x3 = x.data() + start_[std::size_t(g) + 3];
      Lanes sum = {0, 0, 0, 0};
      for (int k = 0; k < group_length_[group]; ++k) {
        Lanes wk;
        std::memcpy(&wk, w + 4 * k, sizeof wk);
        const Lanes xk = {x0[k], x1[k], x2[k], x3[k]};
        if (kSquared) {
          sum += wk * xk * xk;
        } else {
          sum += wk * xk;
        }
      }
      for (int l = 0; l < 4 && g + l < bands_; ++l) out[g + l] = sum[l];
    }
  }

 private:
  int bands_ = 0;
  std::vector<int> start_;         // per band (padded to whole groups): the first bin read
  std::vector<int> group_length_;  // per group: bins read
  std::vector<int> group_offset_;  // per group: into weights_
  std::vector<float> weights_;     // per group: group_length_ rows of four weights
};

}  // namespace etude::dsp
