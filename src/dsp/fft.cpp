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

// kf_bfly4 over one group: quarters x0..x3 of m points (split complex), twiddles per point, KissFFT's
// operations in KissFFT's order, so results are bit-identical; separate restrict parameters vectorise.
template <bool kInverse>
void radix4(float* __restrict r0, float* __restrict r1, float* __restrict r2, float* __restrict r3, float* __restrict i0,
            float* __restrict i1, float* __restrict i2, float* __restrict i3, int m, const float* __restrict w1r,
            const float* __restrict w1i, const float* __restrict w2r, const float* __restrict w2i, const float* __restrict w3r,
            const float* __restrict w3i) {
  for (int k = 0; k < m; ++k) {
    const float s0r = r1[k] * w1r[k] - i1[k] * w1i[k], s0i = r1[k] * w1i[k] + i1[k] * w1r[k];
    const float s1r = r2[k] * w2r[k] - i2[k] * w2i[k], s1i = r2[k] * w2i[k] + i2[k] * w2r[k];
    const float s2r = r3[k] * w3r[k] - i3[k] * w3i[k], s2i = r3[k] * w3i[k] + i3[k] * w3r[k];
    const float s5r = r0[k] - s1r, s5i = i0[k] - s1i;
    const float ar = r0[k] + s1r, ai = i0[k] + s1i;
    const float s3r = s0r + s2r, s3i = s0i + s2i;
    const float s4r = s0r - s2r, s4i = s0i - s2i;
    r2[k] = ar - s3r;
    i2[k] = ai - s3i;
    r0[k] = ar + s3r;
    i0[k] = ai + s3i;
    if (kInverse) {
      r1[k] = s5r - s4i;
      i1[k] = s5i + s4r;
      r3[k] = s5r + s4i;
      i3[k] = s5i - s4r;
    } else {
      r1[k] = s5r + s4i;
      i1[k] = s5i - s4r;
      r3[k] = s5r - s4i;
      i3[k] = s5i + s4r;
    }
  }
}

// radix4() for m = 1: points r[0..3], i[0..3] and the stage's single twiddle set tw[0..5].
template <bool kInverse>
inline void radix4_one(float* r, float* i, const float* tw) {
  const float s0r = r[1] * tw[0] - i[1] * tw[1], s0i = r[1] * tw[1] + i[1] * tw[0];
  const float s1r = r[2] * tw[2] - i[2] * tw[3], s1i = r[2] * tw[3] + i[2] * tw[2];
  const float s2r = r[3] * tw[4] - i[3] * tw[5], s2i = r[3] * tw[5] + i[3] * tw[4];
  const float s5r = r[0] - s1r, s5i = i[0] - s1i;
  const float ar = r[0] + s1r, ai = i[0] + s1i;
  const float s3r = s0r + s2r, s3i = s0i + s2i;
  const float s4r = s0r - s2r, s4i = s0i - s2i;
  r[2] = ar - s3r;
  i[2] = ai - s3i;
  r[0] = ar + s3r;
  i[0] = ai + s3i;
  if (kInverse) {
    r[1] = s5r - s4i;
    i[1] = s5i + s4r;
    r[3] = s5r + s4i;
    i[3] = s5i - s4r;
  } else {
    r[1] = s5r + s4i;
    i[1] = s5i - s4r;
    r[3] = s5r - s4i;
    i[3] = s5i + s4r;
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
      if (!inverse) {
        forward_super_re_.push_back(float(std::cos(phase)));
        forward_super_im_.push_back(float(std::sin(phase)));
      }
    }
  }
}

RealFft::~RealFft() {
  if (forward_plan_) kiss_fftr_free(forward_plan_);
  if (inverse_plan_) kiss_fftr_free(inverse_plan_);
}

// KissFFT's complex transform (kf_work) of the n points gathered into re_/im_ in input_position_ order,
// stage by stage instead of recursively: the same operations on the same values, so bit-identical.
template <bool kInverse>
void RealFft::complex_transform() {
  const int n = half_;
  float* re = re_.data();
  float* im = im_.data();
  const float* tw = (kInverse ? inverse_twiddles_ : forward_twiddles_).data();
  int m = 1;
  for (auto p = radices_.rbegin(); p != radices_.rend(); ++p) {
    const int length = *p * m;
    if (*p == 2) {  // kf_bfly2 (only ever the bottom stage, m = 1)
      for (int base = 0; base < n; base += length) {
        for (int k = 0; k < m; ++k) {
          const float br = re[base + m + k], bi = im[base + m + k];
          const float tr = br * tw[k] - bi * tw[m + k], ti = br * tw[m + k] + bi * tw[k];
          re[base + m + k] = re[base + k] - tr;
          im[base + m + k] = im[base + k] - ti;
          re[base + k] += tr;
          im[base + k] += ti;
        }
      }
      tw += 2 * m;
    } else if (m == 1) {
      // The bottom stage: groups of four adjacent points, one twiddle set; inline (a call per group
      // of radix4() cost more than its work).
      for (int base = 0; base < n; base += 4) {
        radix4_one<kInverse>(re + base, im + base, tw);
      }
      tw += 6;
    } else {
      for (int base = 0; base < n; base += length) {
        float* r = re + base;
        float* i = im + base;
        radix4<kInverse>(r, r + m, r + 2 * m, r + 3 * m, i, i + m, i + 2 * m, i + 3 * m, m, tw, tw + m, tw + 2 * m, tw + 3 * m,
                         tw + 4 * m, tw + 5 * m);
      }
      tw += 6 * m;
    }
    m = length;
  }
}

void RealFft::forward(std::span<const float> time, std::span<std::complex<float>> spectrum) {
  if (forward_plan_) {
    kiss_fftr(forward_plan_, time.data(), reinterpret_cast<kiss_fft_cpx*>(spectrum.data()));
    return;
  }
  const int n = half_;
  const float* x = time.data();
  const int* source = input_position_.data();
  for (int j = 0; j < n; ++j) {
    re_[std::size_t(j)] = x[2 * source[j]];
    im_[std::size_t(j)] = x[2 * source[j] + 1];
  }
  complex_transform<false>();
  // kiss_fftr's split of the two interleaved real transforms: per bin the same operations as kiss, four
  // bins at a time (bins k..k+3 read and write their mirrors n-k..n-k-3, reversed in the register), the
  // rest and bin n/2 (which kiss writes twice, the second write winning) one at a time.
  const float* re = re_.data();
  const float* im = im_.data();
  const float* super = forward_super_.data();
  const float* super_re = forward_super_re_.data();
  const float* super_im = forward_super_im_.data();
  float* out = reinterpret_cast<float*>(spectrum.data());
  out[0] = re[0] + im[0];
  out[2 * n] = re[0] - im[0];
  out[1] = out[2 * n + 1] = 0;
  int k = 1;
  for (; k + 3 < n / 2; k += 4) {
    Lanes ar, ai, br, bi, swr, swi;
    std::memcpy(&ar, re + k, sizeof ar);
    std::memcpy(&ai, im + k, sizeof ai);
    std::memcpy(&br, re + n - k - 3, sizeof br);
    std::memcpy(&bi, im + n - k - 3, sizeof bi);
    br = __builtin_shufflevector(br, br, 3, 2, 1, 0);
    bi = -__builtin_shufflevector(bi, bi, 3, 2, 1, 0);
    std::memcpy(&swr, super_re + k - 1, sizeof swr);
    std::memcpy(&swi, super_im + k - 1, sizeof swi);
    const Lanes f1r = ar + br, f1i = ai + bi;
    const Lanes f2r = ar - br, f2i = ai - bi;
    const Lanes twr = f2r * swr - f2i * swi, twi = f2r * swi + f2i * swr;
    const Lanes half = {0.5f, 0.5f, 0.5f, 0.5f};
    const Lanes lo_r = (f1r + twr) * half, lo_i = (f1i + twi) * half;
    const Lanes hi_r = (f1r - twr) * half, hi_i = (twi - f1i) * half;
    // Bins k..k+3 interleaved, then their mirrors n-k-3..n-k in ascending memory order.
    const Lanes lo_a = __builtin_shufflevector(lo_r, lo_i, 0, 4, 1, 5), lo_b = __builtin_shufflevector(lo_r, lo_i, 2, 6, 3, 7);
    const Lanes hi_a = __builtin_shufflevector(hi_r, hi_i, 3, 7, 2, 6), hi_b = __builtin_shufflevector(hi_r, hi_i, 1, 5, 0, 4);
    std::memcpy(out + 2 * k, &lo_a, sizeof lo_a);
    std::memcpy(out + 2 * k + 4, &lo_b, sizeof lo_b);
    std::memcpy(out + 2 * (n - k - 3), &hi_a, sizeof hi_a);
    std::memcpy(out + 2 * (n - k - 1), &hi_b, sizeof hi_b);
  }
  for (; k <= n / 2; ++k) {
    const float fpkr = re[k], fpki = im[k];
    const float fpnkr = re[n - k], fpnki = -im[n - k];
    const float f1kr = fpkr + fpnkr, f1ki = fpki + fpnki;
    const float f2kr = fpkr - fpnkr, f2ki = fpki - fpnki;
    const float swr = super[2 * (k - 1)], swi = super[2 * (k - 1) + 1];
    const float twr = f2kr * swr - f2ki * swi, twi = f2kr * swi + f2ki * swr;
    out[2 * k] = (f1kr + twr) * 0.5f;
    out[2 * k + 1] = (f1ki + twi) * 0.5f;
    out[2 * (n - k)] = (f1kr - twr) * 0.5f;
    out[2 * (n - k) + 1] = (twi - f1ki) * 0.5f;
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
    const float fkr = in[2 * k], fki = in[2 * k + 1];
    const float fnkcr = in[2 * (n - k)], fnkci = -in[2 * (n - k) + 1];
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
  const int* source = input_position_.data();
  for (int j = 0; j < n; ++j) {
    re_[std::size_t(j)] = zr[source[j]];
    im_[std::size_t(j)] = zi[source[j]];
  }
  complex_transform<true>();
  float* out = time.data();
  for (int k = 0; k < n; ++k) {
    out[2 * k] = re_[std::size_t(k)];
    out[2 * k + 1] = im_[std::size_t(k)];
  }
}

}  // namespace etude::dsp
