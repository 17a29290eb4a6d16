#pragma once
// The newest `size` values of a stream, always contiguous: every value is stored twice, `size` apart,
// so that nothing is shifted when values arrive (a shifting buffer moved 24 KB per 128-sample quantum).
// Allocation only at construction. LiveAnalyzer keeps its samples in these, and LiveOnsetCues its
// frames' onset strength and level.

#include <algorithm>
#include <cstring>
#include <span>
#include <vector>

namespace etude::dsp {

class SampleHistory {
 public:
  explicit SampleHistory(std::size_t size) : size_(size), data_(2 * size, 0.0f) {}
  void push(std::span<const float> samples) {  // allocation-free
    if (samples.size() > size_) samples = samples.last(size_);
    while (!samples.empty()) {
      const std::size_t run = std::min(samples.size(), size_ - next_);
      std::memcpy(data_.data() + next_, samples.data(), run * sizeof(float));
      std::memcpy(data_.data() + next_ + size_, samples.data(), run * sizeof(float));
      next_ = (next_ + run) % size_;
      samples = samples.subspan(run);
    }
  }
  void push(float value) { push(std::span<const float>(&value, 1)); }
  std::span<const float> newest() const { return {data_.data() + next_, size_}; }  // oldest first
  void clear(float value = 0.0f) {
    std::fill(data_.begin(), data_.end(), value);
    next_ = 0;
  }

 private:
  std::size_t size_;
  std::vector<float> data_;
  std::size_t next_ = 0;  // where the next value goes; newest() starts there
};

}  // namespace etude::dsp
