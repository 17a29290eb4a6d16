#include "dsp/fft.h"

#include <kiss_fftr.h>

#include <cmath>
#include <cstring>

namespace etude::dsp {

static_assert(sizeof(kiss_fft_cpx) == sizeof(std::complex<float>), "KissFFT must be built for float");

namespace {
typedef float Lanes __attribute__((vector_size(16)));  // GCC/Clang vector extension: four floats

bool is_power_of_two(int n) { return n >= 16 && (n & (n - 1)) == 0; }

// KissFFT's twiddle exp(-+2 pi i k / n), computed exactly as kiss_fft_alloc does (double, then float).
void kiss_twiddle(int k, int n, bool inverse, float& re, float& im) {
  const double pi = 3.141592653589793238462643383279502884197169399375105820974944;
  double phase = -2 * pi * k / n;
  if (inverse) phase *= -1;
  re = float(std::cos(phase));
  im = float(std::sin(phase));
}

// KissFFT's radix-4 butterfly (kf_bfly4) on one point of each quarter, in its order of operations.
// T is float or Lanes (four independent butterflies, one per lane); W is a twiddle, float or Lanes.
template <bool kInverse, class T, class W>
inline void butterfly4(T& r0, T& i0, T& r1, T& i1, T& r2, T& i2, T& r3, T& i3, W w1r, W w1i, W w2r, W w2i, W w3r, W w3i) {
  const T s0r = r1 * w1r - i1 * w1i, s0i = r1 * w1i + i1 * w1r;
  const T s1r = r2 * w2r - i2 * w2i, s1i = r2 * w2i + i2 * w2r;
  const T s2r = r3 * w3r - i3 * w3i, s2i = r3 * w3i + i3 * w3r;
  const T s5r = r0 - s1r, s5i = i0 - s1i;
  const T ar = r0 + s1r, ai = i0 + s1i;
  const T s3r = s0r + s2r, s3i = s0i + s2i;
  const T s4r = s0r - s2r, s4i = s0i - s2i;
  r2 = ar - s3r;
  i2 = ai - s3i;
  r0 = ar + s3r;
  i0 = ai + s3i;
  if (kInverse) {
    r1 = s5r - s4i;
    i1 = s5i + s4r;
    r3 = s5r + s4i;
    i3 = s5i - s4r;
  } else {
    r1 = s5r + s4i;
    i1 = s5i - s4r;
    r3 = s5r - s4i;
    i3 = s5i + s4r;
  }
}

// KissFFT's radix-2 butterfly (kf_bfly2): b is multiplied by the twiddle, then a + b, a - b.
template <class T, class W>
inline void butterfly2(T& ar, T& ai, T& br, T& bi, W wr, W wi) {
  const T tr = br * wr - bi * wi, ti = br * wi + bi * wr;
  br = ar - tr;
  bi = ai - ti;
  ar += tr;
  ai += ti;
}

// a, b, c, d as rows of a 4x4 matrix, transposed: afterwards a holds the old lane 0 of each, and so on.
inline void transpose4(Lanes& a, Lanes& b, Lanes& c, Lanes& d) {
  const Lanes ab_lo = __builtin_shufflevector(a, b, 0, 4, 1, 5), ab_hi = __builtin_shufflevector(a, b, 2, 6, 3, 7);
  const Lanes cd_lo = __builtin_shufflevector(c, d, 0, 4, 1, 5), cd_hi = __builtin_shufflevector(c, d, 2, 6, 3, 7);
  a = __builtin_shufflevector(ab_lo, cd_lo, 0, 1, 4, 5);
  b = __builtin_shufflevector(ab_lo, cd_lo, 2, 3, 6, 7);
  c = __builtin_shufflevector(ab_hi, cd_hi, 0, 1, 4, 5);
  d = __builtin_shufflevector(ab_hi, cd_hi, 2, 3, 6, 7);
}

inline Lanes load(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, Lanes v) { std::memcpy(p, &v, sizeof v); }

// Complex points i..i+3 of the transform's input, as split lanes.
struct InterleavedInput {  // forward: the real signal read as re/im pairs
  const float* x;
  void load4(int i, Lanes& re, Lanes& im) const {
    const Lanes a = load(x + 2 * i), b = load(x + 2 * i + 4);
    re = __builtin_shufflevector(a, b, 0, 2, 4, 6);
    im = __builtin_shufflevector(a, b, 1, 3, 5, 7);
  }
  void load1(int i, float& re, float& im) const {
    re = x[2 * i];
    im = x[2 * i + 1];
  }
};
struct SplitInput {  // inverse: the merged spectrum, already split
  const float* re;
  const float* im;
  void load4(int i, Lanes& r, Lanes& m) const {
    r = load(re + i);
    m = load(im + i);
  }
};
// kf_bfly4 over one group: quarters of m points at r, r + m, r + 2m, r + 3m (and i..), twiddles w1 re,
// w1 im, w2 re, w2 im, w3 re, w3 im at tw, m values each; four points per step while they last.
template <bool kInverse>
void radix4(float* r, float* i, int m, const float* tw) {
  int k = 0;
  for (; k + 4 <= m; k += 4) {
    Lanes r0 = load(r + k), r1 = load(r + m + k), r2 = load(r + 2 * m + k), r3 = load(r + 3 * m + k);
    Lanes i0 = load(i + k), i1 = load(i + m + k), i2 = load(i + 2 * m + k), i3 = load(i + 3 * m + k);
    butterfly4<kInverse>(r0, i0, r1, i1, r2, i2, r3, i3, load(tw + k), load(tw + m + k), load(tw + 2 * m + k),
                         load(tw + 3 * m + k), load(tw + 4 * m + k), load(tw + 5 * m + k));
    store(r + k, r0);
    store(r + m + k, r1);
    store(r + 2 * m + k, r2);
    store(r + 3 * m + k, r3);
    store(i + k, i0);
    store(i + m + k, i1);
    store(i + 2 * m + k, i2);
    store(i + 3 * m + k, i3);
  }
  for (; k < m; ++k) {
    butterfly4<kInverse>(r[k], i[k], r[m + k], i[m + k], r[2 * m + k], i[2 * m + k], r[3 * m + k], i[3 * m + k], tw[k], tw[m + k],
                         tw[2 * m + k], tw[3 * m + k], tw[4 * m + k], tw[5 * m + k]);
  }
}
}  // namespace

bool RealFft::is_valid_size(int size) {
  if (size < 2 || size % 2 != 0) return false;
  int rest = size;
  for (int f : {2, 3, 5}) {
    while (rest % f == 0) rest /= f;
  }
  return rest == 1;
}

int RealFft::valid_size_at_least(int n) {
  int size = n < 2 ? 2 : n;
  while (!is_valid_size(size)) ++size;
  return size;
}

int RealFft::power_of_two_at_least(int n) {
  int size = 16;
  while (size < n) size *= 2;
  return size;
}

RealFft::RealFft(int size, FftEngine engine) : size_(size) {
  if (engine == FftEngine::kKissFft || !is_power_of_two(size)) {
    forward_plan_ = kiss_fftr_alloc(size, 0, nullptr, nullptr);
    inverse_plan_ = kiss_fftr_alloc(size, 1, nullptr, nullptr);
    windowed_.assign(std::size_t(size), 0.0f);
    spectrum_.assign(std::size_t(bins()), {});
    spectrum_b_.assign(std::size_t(bins()), {});
    return;
  }
  half_ = size / 2;
  const int n = half_;
  re_.assign(std::size_t(n), 0.0f);
  im_.assign(std::size_t(n), 0.0f);
  natural_re_.assign(std::size_t(n), 0.0f);
  natural_im_.assign(std::size_t(n), 0.0f);
  // KissFFT's factorisation (kf_factor): radix 4 while it divides, then a final 2; radices_ top-first.
  for (int rest = n; rest > 1;) {
    const int p = rest % 4 == 0 ? 4 : 2;
    radices_.push_back(p);
    rest /= p;
  }
  // Its recursion reads input i into position (i mod p) * (n/p) + (its position in the sub-transform).
  input_position_.resize(std::size_t(n));
  for (int i = 0; i < n; ++i) {
    int position = 0, rest = i, length = n;
    for (int p : radices_) {
      position += (rest % p) * (length / p);
      rest /= p;
      length /= p;
    }
    input_position_[std::size_t(position)] = i;
  }
  // The fused bottom stages need four whole groups: radix-4 bottom, groups of 4; radix-2, groups of 8.
  const int group = radices_.back() == 4 ? 4 : 8;
  if (n >= 4 * group && (group == 4 || radices_[radices_.size() - 2] == 4)) {
    fused_ = group;
    group_base_.resize(std::size_t(n / group));
    for (int position = 0; position < n; ++position) {
      const int i = input_position_[std::size_t(position)];
      if (i < n / group) group_base_[std::size_t(i)] = position;
    }
    cross_re_.assign(std::size_t(n) + 1, 0.0f);
    cross_im_.assign(std::size_t(n) + 1, 0.0f);
  } else {
    spectrum_.assign(std::size_t(bins()), {});
    spectrum_b_.assign(std::size_t(bins()), {});
  }
  // Stages bottom-up (the last radix first); a stage of radix p over groups of p*m uses KissFFT's table
  // entries k*fstride, 2k*fstride, 3k*fstride with fstride = n / (p*m). Per stage and direction, split
  // arrays: w1 re, w1 im, w2 re, w2 im, w3 re, w3 im (radix 2: w1 only), m values each.
  for (int inverse = 0; inverse < 2; ++inverse) {
    std::vector<float>& table = inverse ? inverse_twiddles_ : forward_twiddles_;
    int m = 1;
    for (auto p = radices_.rbegin(); p != radices_.rend(); ++p) {
      const int fstride = n / (*p * m);
      for (int q = 1; q < *p; ++q) {
        for (int part = 0; part < 2; ++part) {
          for (int k = 0; k < m; ++k) {
            float wr, wi;
            kiss_twiddle(q * k * fstride, n, inverse, wr, wi);
            table.push_back(part == 0 ? wr : wi);
          }
        }
      }
      m *= *p;
    }
    std::vector<float>& super = inverse ? inverse_super_ : forward_super_;
    for (int i = 0; i < n / 2; ++i) {
      double phase = -3.14159265358979323846264338327 * ((double)(i + 1) / n + .5);
      if (inverse) phase *= -1;
      super.push_back(float(std::cos(phase)));
      super.push_back(float(std::sin(phase)));
      (inverse ? inverse_super_re_ : forward_super_re_).push_back(float(std::cos(phase)));
      (inverse ? inverse_super_im_ : forward_super_im_).push_back(float(std::sin(phase)));
    }
  }
}

RealFft::~RealFft() {
  if (forward_plan_) kiss_fftr_free(forward_plan_);
  if (inverse_plan_) kiss_fftr_free(inverse_plan_);
}

// The bottom stages of KissFFT's complex transform fused with its input gather, four groups at a time (one
// per lane). A group is the `fused_` adjacent positions that these stages combine. Its points come from
// inputs i0 + d * (n / fused_) (radix-4 bottom) or i0 + d4 * (n / 8) + d2 * (n / 2) (radix-2 bottom, then a
// radix-4 stage with m = 2); groups i0..i0+3 read contiguous inputs, and each writes its own positions from
// group_base_[i0]. The same operations on the same values as the stage-by-stage loops: bit-identical.
template <bool kInverse, class Input>
void RealFft::bottom_stages(const Input& in) {
  const int n = half_;
  float* re = re_.data();
  float* im = im_.data();
  const float* tw = (kInverse ? inverse_twiddles_ : forward_twiddles_).data();
  const int* base = group_base_.data();
  if (fused_ == 4) {
    const int quarter = n / 4;
    for (int c = 0; c < quarter; c += 4) {
      Lanes r0, i0, r1, i1, r2, i2, r3, i3;
      in.load4(c, r0, i0);
      in.load4(c + quarter, r1, i1);
      in.load4(c + 2 * quarter, r2, i2);
      in.load4(c + 3 * quarter, r3, i3);
      butterfly4<kInverse>(r0, i0, r1, i1, r2, i2, r3, i3, tw[0], tw[1], tw[2], tw[3], tw[4], tw[5]);
      transpose4(r0, r1, r2, r3);
      transpose4(i0, i1, i2, i3);
      const Lanes* rs[4] = {&r0, &r1, &r2, &r3};
      const Lanes* is[4] = {&i0, &i1, &i2, &i3};
      for (int l = 0; l < 4; ++l) {
        store(re + base[c + l], *rs[l]);
        store(im + base[c + l], *is[l]);
      }
    }
    return;
  }
  // fused_ == 8: radix 2 (m = 1, twiddle tw[0..1]), then radix 4 with m = 2 (twiddles w1r[2], w1i[2], ..).
  const float* tw4 = tw + 2;
  const int eighth = n / 8;
  for (int c = 0; c < eighth; c += 4) {
    Lanes r[8], i[8];  // by position in the group: d4 * 2 + d2
    for (int d4 = 0; d4 < 4; ++d4) {
      in.load4(c + d4 * eighth, r[2 * d4], i[2 * d4]);
      in.load4(c + d4 * eighth + n / 2, r[2 * d4 + 1], i[2 * d4 + 1]);
      butterfly2(r[2 * d4], i[2 * d4], r[2 * d4 + 1], i[2 * d4 + 1], tw[0], tw[1]);
    }
    for (int k = 0; k < 2; ++k) {
      butterfly4<kInverse>(r[k], i[k], r[2 + k], i[2 + k], r[4 + k], i[4 + k], r[6 + k], i[6 + k], tw4[k], tw4[2 + k],
                           tw4[4 + k], tw4[6 + k], tw4[8 + k], tw4[10 + k]);
    }
    transpose4(r[0], r[1], r[2], r[3]);
    transpose4(r[4], r[5], r[6], r[7]);
    transpose4(i[0], i[1], i[2], i[3]);
    transpose4(i[4], i[5], i[6], i[7]);
    for (int l = 0; l < 4; ++l) {
      store(re + base[c + l], r[l]);
      store(re + base[c + l] + 4, r[4 + l]);
      store(im + base[c + l], i[l]);
      store(im + base[c + l] + 4, i[4 + l]);
    }
  }
}

// KissFFT's complex transform (kf_work) stage by stage instead of recursively: the same operations on the
// same values, so bit-identical. Starts after the first `done` stages (bottom-up), which bottom_stages()
// ran, or from the points gathered into re_/im_ in input_position_ order when done == 0.
template <bool kInverse>
void RealFft::complex_transform(int done) {
  const int n = half_;
  float* re = re_.data();
  float* im = im_.data();
  const float* tw = (kInverse ? inverse_twiddles_ : forward_twiddles_).data();
  int m = 1;
  int stage = 0;
  for (auto p = radices_.rbegin(); p != radices_.rend(); ++p, ++stage) {
    const int length = *p * m;
    const int table = *p == 2 ? 2 * m : 6 * m;  // twiddle floats this stage uses
    if (stage < done) {
      tw += table;
      m = length;
      continue;
    }
    if (*p == 2) {  // kf_bfly2 (only ever the bottom stage, m = 1)
      for (int base = 0; base < n; base += length) {
        for (int k = 0; k < m; ++k) {
          butterfly2(re[base + k], im[base + k], re[base + m + k], im[base + m + k], tw[k], tw[m + k]);
        }
      }
    } else if (m == 1) {
      // The bottom stage: groups of four adjacent points, one twiddle set.
      for (int base = 0; base < n; base += 4) {
        float* r = re + base;
        float* i = im + base;
        butterfly4<kInverse>(r[0], i[0], r[1], i[1], r[2], i[2], r[3], i[3], tw[0], tw[1], tw[2], tw[3], tw[4], tw[5]);
      }
    } else {
      for (int base = 0; base < n; base += length) radix4<kInverse>(re + base, im + base, m, tw);
    }
    tw += table;
    m = length;
  }
}

// Runs the complex transform of the input's n points (the real signal read as re/im pairs).
template <class Input>
void RealFft::transform(const Input& in) {
  if (fused_ > 0) {
    bottom_stages<false>(in);
    complex_transform<false>(fused_ == 4 ? 1 : 2);
    return;
  }
  const int* source = input_position_.data();
  for (int j = 0; j < half_; ++j) in.load1(source[j], re_[std::size_t(j)], im_[std::size_t(j)]);
  complex_transform<false>(0);
}

// kiss_fftr's split of the two interleaved real transforms: per bin the same operations as kiss, four
// bins at a time (bins k..k+3 with their mirrors n-k..n-k-3, reversed in the register), the rest and bin
// n/2 (which kiss writes twice, the second write winning) one at a time. The bins go to the sink:
// sink.four(k, lo_re, lo_im, hi_re, hi_im) for bins k..k+3 and, reversed, n-k..n-k-3; sink.one(bin, re, im).
template <class Sink>
void RealFft::split(Sink& sink) const {
  const int n = half_;
  const float* re = re_.data();
  const float* im = im_.data();
  const float* super = forward_super_.data();
  const float* super_re = forward_super_re_.data();
  const float* super_im = forward_super_im_.data();
  sink.one(0, re[0] + im[0], 0.0f);
  sink.one(n, re[0] - im[0], 0.0f);
  int k = 1;
  for (; k + 3 < n / 2; k += 4) {
    Lanes br = load(re + n - k - 3), bi = load(im + n - k - 3);
    br = __builtin_shufflevector(br, br, 3, 2, 1, 0);
    bi = -__builtin_shufflevector(bi, bi, 3, 2, 1, 0);
    const Lanes ar = load(re + k), ai = load(im + k), swr = load(super_re + k - 1), swi = load(super_im + k - 1);
    const Lanes f1r = ar + br, f1i = ai + bi;
    const Lanes f2r = ar - br, f2i = ai - bi;
    const Lanes twr = f2r * swr - f2i * swi, twi = f2r * swi + f2i * swr;
    const Lanes half = {0.5f, 0.5f, 0.5f, 0.5f};
    sink.four(k, (f1r + twr) * half, (f1i + twi) * half, (f1r - twr) * half, (twi - f1i) * half);
  }
  for (; k <= n / 2; ++k) {
    const float fpkr = re[k], fpki = im[k];
    const float fpnkr = re[n - k], fpnki = -im[n - k];
    const float f1kr = fpkr + fpnkr, f1ki = fpki + fpnki;
    const float f2kr = fpkr - fpnkr, f2ki = fpki - fpnki;
    const float swr = super[2 * (k - 1)], swi = super[2 * (k - 1) + 1];
    const float twr = f2kr * swr - f2ki * swi, twi = f2kr * swi + f2ki * swr;
    if (k != n - k) sink.one(k, (f1kr + twr) * 0.5f, (f1ki + twi) * 0.5f);  // bin n/2: only the second write counts
    sink.one(n - k, (f1kr - twr) * 0.5f, (twi - f1ki) * 0.5f);
  }
}

namespace {
// split() into an interleaved complex spectrum.
struct SpectrumSink {
  float* out;
  void one(int bin, float re, float im) {
    out[2 * bin] = re;
    out[2 * bin + 1] = im;
  }
  void four(int k, Lanes lo_r, Lanes lo_i, Lanes hi_r, Lanes hi_i) {
    const int n2 = mirror;  // 2 * n
    // Bins k..k+3 interleaved, then their mirrors n-k-3..n-k in ascending memory order.
    store(out + 2 * k, __builtin_shufflevector(lo_r, lo_i, 0, 4, 1, 5));
    store(out + 2 * k + 4, __builtin_shufflevector(lo_r, lo_i, 2, 6, 3, 7));
    store(out + n2 - 2 * k - 6, __builtin_shufflevector(hi_r, hi_i, 3, 7, 2, 6));
    store(out + n2 - 2 * k - 2, __builtin_shufflevector(hi_r, hi_i, 1, 5, 0, 4));
  }
  int mirror;
};

// split() into magnitudes, sqrt(re^2 + im^2) per bin (as Stft computed them from the spectrum).
struct MagnitudeSink {
  float* out;
  int n;
  void one(int bin, float re, float im) { out[bin] = std::sqrt(re * re + im * im); }
  void four(int k, Lanes lo_r, Lanes lo_i, Lanes hi_r, Lanes hi_i) {
    float power[8];  // bins k..k+3, then n-k-3..n-k
    store(power, lo_r * lo_r + lo_i * lo_i);
    store(power + 4, __builtin_shufflevector(hi_r, hi_r, 3, 2, 1, 0) * __builtin_shufflevector(hi_r, hi_r, 3, 2, 1, 0) +
                         __builtin_shufflevector(hi_i, hi_i, 3, 2, 1, 0) * __builtin_shufflevector(hi_i, hi_i, 3, 2, 1, 0));
    for (int l = 0; l < 4; ++l) out[k + l] = std::sqrt(power[l]);
    for (int l = 0; l < 4; ++l) out[n - k - 3 + l] = std::sqrt(power[4 + l]);
  }
};

inline Lanes reversed(Lanes v) { return __builtin_shufflevector(v, v, 3, 2, 1, 0); }

// split() into split-complex arrays re[0..n], im[0..n].
struct SplitSink {
  float* re;
  float* im;
  int n;
  void one(int bin, float r, float i) {
    re[bin] = r;
    im[bin] = i;
  }
  void four(int k, Lanes lo_r, Lanes lo_i, Lanes hi_r, Lanes hi_i) {
    store(re + k, lo_r);
    store(im + k, lo_i);
    store(re + n - k - 3, reversed(hi_r));
    store(im + n - k - 3, reversed(hi_i));
  }
};

// split() of B multiplied into conj(A), held in re/im (as SplitSink left it): the cross-spectrum,
// written out on floats as RealFft's callers did (the same arithmetic as std::complex for finite values).
struct CrossSink {
  float* re;
  float* im;
  int n;
  template <class T>
  static void product(T& ar, T& ai, T br, T bi) {
    const T cr = ar, ci = -ai;
    ar = cr * br - ci * bi;
    ai = cr * bi + ci * br;
  }
  void one(int bin, float br, float bi) { product(re[bin], im[bin], br, bi); }
  void four(int k, Lanes lo_r, Lanes lo_i, Lanes hi_r, Lanes hi_i) {
    Lanes ar = load(re + k), ai = load(im + k);
    product(ar, ai, lo_r, lo_i);
    store(re + k, ar);
    store(im + k, ai);
    ar = load(re + n - k - 3);
    ai = load(im + n - k - 3);
    product(ar, ai, reversed(hi_r), reversed(hi_i));
    store(re + n - k - 3, ar);
    store(im + n - k - 3, ai);
  }
};

// The windowed signal, read as re/im pairs.
struct WindowedInput {
  const float* x;
  const float* w;
  void load4(int i, Lanes& re, Lanes& im) const {
    const Lanes a = load(x + 2 * i) * load(w + 2 * i), b = load(x + 2 * i + 4) * load(w + 2 * i + 4);
    re = __builtin_shufflevector(a, b, 0, 2, 4, 6);
    im = __builtin_shufflevector(a, b, 1, 3, 5, 7);
  }
  void load1(int i, float& re, float& im) const {
    re = x[2 * i] * w[2 * i];
    im = x[2 * i + 1] * w[2 * i + 1];
  }
};

// One bin pair (k and n - k) of kiss_fftri's merge of a real spectrum into one complex spectrum of
// half the length, in kiss_fftri's order of operations; fnkci is already conjugated.
inline void inverse_merge_bin(int k, int n, float fkr, float fki, float fnkcr, float fnkci, const float* super,
                              float* zr, float* zi) {
  const float fekr = fkr + fnkcr, feki = fki + fnkci;
  const float tmpr = fkr - fnkcr, tmpi = fki - fnkci;
  const float swr = super[2 * (k - 1)], swi = super[2 * (k - 1) + 1];
  const float fokr = tmpr * swr - tmpi * swi, foki = tmpr * swi + tmpi * swr;
  zr[k] = fekr + fokr;
  zi[k] = feki + foki;
  zr[n - k] = fekr - fokr;
  zi[n - k] = feki - foki;
  zi[n - k] *= -1;
}
}  // namespace

void RealFft::forward(std::span<const float> time, std::span<std::complex<float>> spectrum) {
  if (forward_plan_) {
    kiss_fftr(forward_plan_, time.data(), reinterpret_cast<kiss_fft_cpx*>(spectrum.data()));
    return;
  }
  transform(InterleavedInput{time.data()});
  SpectrumSink sink{reinterpret_cast<float*>(spectrum.data()), 2 * half_};
  split(sink);
}

void RealFft::windowed_magnitude(std::span<const float> time, std::span<const float> window, std::span<float> magnitude) {
  if (forward_plan_) {
    for (int i = 0; i < size_; ++i) windowed_[std::size_t(i)] = time[std::size_t(i)] * window[std::size_t(i)];
    kiss_fftr(forward_plan_, windowed_.data(), reinterpret_cast<kiss_fft_cpx*>(spectrum_.data()));
    for (int k = 0; k < bins(); ++k) {
      const std::complex<float> c = spectrum_[std::size_t(k)];
      magnitude[std::size_t(k)] = std::sqrt(c.real() * c.real() + c.imag() * c.imag());
    }
    return;
  }
  transform(WindowedInput{time.data(), window.data()});
  MagnitudeSink sink{magnitude.data(), half_};
  split(sink);
}

void RealFft::correlate(std::span<const float> a, std::span<const float> b, std::span<float> r) {
  if (fused_ == 0) {  // KissFFT's code or the smallest size: the plain way
    forward(a, spectrum_);
    forward(b, spectrum_b_);
    float* x = reinterpret_cast<float*>(spectrum_.data());
    const float* y = reinterpret_cast<const float*>(spectrum_b_.data());
    for (int k = 0; k < bins(); ++k) CrossSink::product(x[2 * k], x[2 * k + 1], y[2 * k], y[2 * k + 1]);
    inverse(spectrum_, r);
    return;
  }
  const int n = half_;
  float* cre = cross_re_.data();
  float* cim = cross_im_.data();
  transform(InterleavedInput{a.data()});
  SplitSink spectrum_a{cre, cim, n};
  split(spectrum_a);
  transform(InterleavedInput{b.data()});
  CrossSink cross{cre, cim, n};
  split(cross);
  // kiss_fftri's merge into one complex spectrum, per bin in its order, four bins at a time like split().
  const float* super = inverse_super_.data();
  const float* super_re = inverse_super_re_.data();
  const float* super_im = inverse_super_im_.data();
  float* zr = natural_re_.data();
  float* zi = natural_im_.data();
  zr[0] = cre[0] + cre[n];
  zi[0] = cre[0] - cre[n];
  int k = 1;
  for (; k + 3 < n / 2; k += 4) {
    const Lanes fkr = load(cre + k), fki = load(cim + k);
    const Lanes fnkcr = reversed(load(cre + n - k - 3)), fnkci = -reversed(load(cim + n - k - 3));
    const Lanes fekr = fkr + fnkcr, feki = fki + fnkci;
    const Lanes tmpr = fkr - fnkcr, tmpi = fki - fnkci;
    const Lanes swr = load(super_re + k - 1), swi = load(super_im + k - 1);
    const Lanes fokr = tmpr * swr - tmpi * swi, foki = tmpr * swi + tmpi * swr;
    store(zr + k, fekr + fokr);
    store(zi + k, feki + foki);
    store(zr + n - k - 3, reversed(fekr - fokr));
    store(zi + n - k - 3, reversed((feki - foki) * -1.0f));
  }
  for (; k <= n / 2; ++k) inverse_merge_bin(k, n, cre[k], cim[k], cre[n - k], -cim[n - k], super, zr, zi);
  bottom_stages<true>(SplitInput{zr, zi});
  complex_transform<true>(fused_ == 4 ? 1 : 2);
  float* out = r.data();
  for (int j = 0; j < n; ++j) {
    out[2 * j] = re_[std::size_t(j)];
    out[2 * j + 1] = im_[std::size_t(j)];
  }
}

void RealFft::inverse(std::span<const std::complex<float>> spectrum, std::span<float> time) {
  if (inverse_plan_) {
    kiss_fftri(inverse_plan_, reinterpret_cast<const kiss_fft_cpx*>(spectrum.data()), time.data());
    return;
  }
  const int n = half_;
  // kiss_fftri's merge into one complex spectrum (natural order in natural_re_/natural_im_), in its order.
  const float* in = reinterpret_cast<const float*>(spectrum.data());
  const float* super = inverse_super_.data();
  float* zr = natural_re_.data();
  float* zi = natural_im_.data();
  zr[0] = in[0] + in[2 * n];
  zi[0] = in[0] - in[2 * n];
  for (int k = 1; k <= n / 2; ++k) {
    inverse_merge_bin(k, n, in[2 * k], in[2 * k + 1], in[2 * (n - k)], -in[2 * (n - k) + 1], super, zr, zi);
  }
  if (fused_ > 0) {
    bottom_stages<true>(SplitInput{zr, zi});
    complex_transform<true>(fused_ == 4 ? 1 : 2);
  } else {
    const int* source = input_position_.data();
    for (int j = 0; j < n; ++j) {
      re_[std::size_t(j)] = zr[source[j]];
      im_[std::size_t(j)] = zi[source[j]];
    }
    complex_transform<true>(0);
  }
  float* out = time.data();
  for (int k = 0; k < n; ++k) {
    out[2 * k] = re_[std::size_t(k)];
    out[2 * k + 1] = im_[std::size_t(k)];
  }
}

}  // namespace etude::dsp
