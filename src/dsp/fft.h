#pragma once
// Real FFT of one fixed size over KissFFT (built from Debian's kissfft source package for native and web
// alike). Powers of two (16 and up: every size the live analyzer uses) run KissFFT's own algorithm
// restaged: the same radix-4/2 butterflies on the same twiddles in the same order, so results are
// bit-identical to kiss_fftr/kiss_fftri, but stage by stage over split-complex arrays instead of
// recursively over interleaved ones, so the butterfly loops vectorise; the bottom stage(s) run fused with
// the input gather, four groups per vector (bench/RESULTS.md). The features the chord model was trained
// on therefore do not move at all. windowed_magnitude() and correlate() are the Stft's and YIN's uses
// with their passes folded into the transform. Plans, twiddles and scratch are allocated at
// construction; no member function allocates.

#include <complex>
#include <span>
#include <vector>

struct kiss_fftr_state;

namespace etude::dsp {

// kFastest: the restaged transform for powers of two, KissFFT's code otherwise. kKissFft: KissFFT's code
// at every size (tests check that the two agree bit for bit).
enum class FftEngine { kFastest, kKissFft };

class RealFft {
 public:
  explicit RealFft(int size, FftEngine engine = FftEngine::kFastest);  // size must satisfy is_valid_size()
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  static bool is_valid_size(int size);
  // Smallest valid size >= n (n >= 2).
  static int valid_size_at_least(int n);
  // Smallest power of two >= n (n >= 16): the fastest sizes.
  static int power_of_two_at_least(int n);

  int size() const { return size_; }
  int bins() const { return size_ / 2 + 1; }
  // time.size() == size(), spectrum.size() == bins(); no normalisation.
  void forward(std::span<const float> time, std::span<std::complex<float>> spectrum);
  // The magnitudes |FFT(time * window)| per bin (the same values as forward() of the windowed signal, then
  // sqrt(re^2 + im^2)), without writing the windowed signal or the spectrum out. Sizes size(), size(), bins().
  void windowed_magnitude(std::span<const float> time, std::span<const float> window, std::span<float> magnitude);
  // Circular cross-correlation r[t] = sum_j a[j] b[(j + t) mod size()], scaled by size(): the inverse
  // of conj(FFT(a)) * FFT(b), the same values as forward(), forward(), that product on floats and
  // inverse(), but without interleaving the spectra in between. All three spans size() long.
  void correlate(std::span<const float> a, std::span<const float> b, std::span<float> r);
  // spectrum.size() == bins(), time.size() == size(); the result is scaled by size().
  void inverse(std::span<const std::complex<float>> spectrum, std::span<float> time);

 private:
  // KissFFT's complex transform of half_ points gathered into re_/im_, result in natural order.
  // after its first `done` stages (bottom-up).
  template <bool kInverse>
  void complex_transform(int done);
  // The forward complex transform of `in` (bottom_stages() and complex_transform(), or the gather).
  template <class Input>
  void transform(const Input& in);
  // kiss_fftr's real-spectrum split of re_/im_ into `sink` (see fft.cpp).
  template <class Sink>
  void split(Sink& sink) const;
  // Those first stages (one, or two with a radix-2 bottom) fused with the gather from `in`, vectorised.
  template <bool kInverse, class Input>
  void bottom_stages(const Input& in);

  int size_;
  int half_ = 0;                       // size_ / 2 complex points (power-of-two path)
  kiss_fftr_state* forward_plan_ = nullptr;
  kiss_fftr_state* inverse_plan_ = nullptr;
  std::vector<int> radices_;           // KissFFT's factorisation of half_, top-first
  std::vector<int> input_position_;    // position j of the first stage reads complex input input_position_[j]
  int fused_ = 0;                      // points per group of bottom_stages(): 4, 8, or 0 (too small: not used)
  std::vector<int> group_base_;        // bottom_stages(): first position of the group whose first input is i
  std::vector<float> re_, im_;         // split-complex work arrays
  std::vector<float> natural_re_, natural_im_;  // inverse: the merged spectrum before the gather
  std::vector<float> forward_twiddles_, inverse_twiddles_;  // per stage, bottom-up (layout in the constructor)
  std::vector<float> forward_super_, inverse_super_;        // kiss_fftr's super twiddles, re/im interleaved
  std::vector<float> forward_super_re_, forward_super_im_;  // the forward ones split (the 4-bin loop)
  std::vector<float> inverse_super_re_, inverse_super_im_;  // the inverse ones split (correlate())
  std::vector<float> cross_re_, cross_im_;         // correlate(): the cross-spectrum, split complex
  std::vector<float> windowed_;                    // KissFFT path of windowed_magnitude(): the windowed signal
  std::vector<std::complex<float>> spectrum_, spectrum_b_;  // KissFFT or smallest-size paths: spectra
};

}  // namespace etude::dsp
