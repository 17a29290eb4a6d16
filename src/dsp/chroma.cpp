#include "dsp/chroma.h"

#include <algorithm>
#include <cmath>

#include "dsp/fast_math.h"

namespace etude::dsp {

const char* ChromaParams::validate() const {
  if (!(sample_rate >= 16000.0f && sample_rate <= 96000.0f)) return "sample_rate must be 16000..96000 Hz";
  if (!(frame_size >= 1024 && frame_size <= 32768)) return "frame_size must be 1024..32768";
  if (!(min_midi >= 12 && max_midi <= 120 && max_midi >= min_midi + 11)) return "min_midi..max_midi must span an octave within 12..120";
  if (!(bass_min_midi >= 12 && bass_max_midi <= 120 && bass_max_midi >= bass_min_midi + 11)) return "bass_min_midi..bass_max_midi must span an octave within 12..120";
  if (!(tuning_time_s >= 0.1f && tuning_time_s <= 1000.0f)) return "tuning_time_s must be 0.1..1000 s";
  if (!(frame_rate >= 0.5f && frame_rate <= 2000.0f)) return "frame_rate must be 0.5..2000 frames/s";
  if (!(silence_dbfs >= -150.0f && silence_dbfs <= 0.0f)) return "silence_dbfs must be -150..0";
  return nullptr;
}

Chroma::Chroma(const ChromaParams& p)
    : params_(p),
      bin_hz_(p.sample_rate / float(p.frame_size)),
      peak_pitch_(std::size_t(p.frame_size / 4 + 1), 0.0f),
      peak_power_(std::size_t(p.frame_size / 4 + 1), 0.0f),
      log_magnitude_(std::size_t(p.frame_size / 2 + 2), 0.0f),
      semitone_(128, 0.0f),
      decay_(std::exp(-1.0 / (double(p.tuning_time_s) * p.frame_rate))) {
  const int lowest = std::min(p.min_midi, p.bass_min_midi) - 1;
  const int highest = std::max(p.max_midi, p.bass_max_midi) + 1;
  auto midi_hz = [](double m) { return 440.0 * std::exp2((m - 69.0) / 12.0); };
  first_bin_ = std::max(1, int(std::floor(midi_hz(lowest - 0.5) / bin_hz_)));
  last_bin_ = std::min(p.frame_size / 2, int(std::ceil(midi_hz(highest + 0.5) / bin_hz_)));
}

void Chroma::reset() {
  tuning_re_ = tuning_im_ = 0;
  tuning_fixed_ = false;
  result_ = {};
  semitones_out_.fill(0.0f);
}

void Chroma::set_tuning_cents(float cents) {
  tuning_fixed_ = true;
  result_.tuning_cents = std::clamp(cents, -50.0f, 50.0f);
}

// Spectral peaks between first_bin_ and last_bin_: parabolic interpolation on log magnitude gives each
// peak's frequency and height (exact for a Gaussian-shaped main lobe, close for Hann).
void Chroma::find_peaks(std::span<const float> m) {
  peak_count_ = 0;
  // The loudest bin, eight lanes at a time (one running maximum waits on every comparison; the maximum
  // is exact in any order).
  float lane[8] = {};
  int bin = first_bin_;
  for (; bin + 8 <= last_bin_ + 1; bin += 8) {
    for (int l = 0; l < 8; ++l) lane[l] = std::max(lane[l], m[std::size_t(bin + l)]);
  }
  float top = 0;
  for (; bin <= last_bin_; ++bin) top = std::max(top, m[std::size_t(bin)]);
  for (float v : lane) top = std::max(top, v);
  if (top <= 0) return;
  // The log of every bin a peak can touch, in one pass (it vectorises; one bin at a time it did not).
  const int first = std::max(2, first_bin_) - 1;
  float* __restrict log_m = log_magnitude_.data();
  for (int k = first; k <= last_bin_; ++k) log_m[k] = fast_ln(m[std::size_t(k)]);
  for (int k = first + 1; k < last_bin_; ++k) {
    const float a = m[std::size_t(k - 1)], b = m[std::size_t(k)], c = m[std::size_t(k + 1)];
    // 60 dB below the loudest peak is the Hann window's far sidelobes, not notes.
    if (!(b > a && b >= c && b > 1e-3f * top)) continue;
    const double la = log_m[k - 1], lb = log_m[k], lc = log_m[k + 1];
    const double denom = la - 2.0 * lb + lc;
    const double offset = denom < 0 ? std::clamp(0.5 * (la - lc) / denom, -0.5, 0.5) : 0.0;
    const double height = std::exp(lb - 0.25 * (la - lc) * offset);
    peak_pitch_[std::size_t(peak_count_)] = 69.0f + 12.0f * fast_log2(float((k + offset) * bin_hz_ / 440.0));
    peak_power_[std::size_t(peak_count_)] = float(height * height);
    ++peak_count_;
  }
}

// The band's power (it only decides silence): four partial sums, so the additions overlap.
double Chroma::band_power(std::span<const float> m) const {
  double part[4] = {};
  int k = first_bin_;
  for (; k + 4 <= last_bin_ + 1; k += 4) {
    for (int l = 0; l < 4; ++l) part[l] += double(m[std::size_t(k + l)]) * m[std::size_t(k + l)];
  }
  double total = (part[0] + part[1]) + (part[2] + part[3]);
  for (; k <= last_bin_; ++k) total += double(m[std::size_t(k)]) * m[std::size_t(k)];
  return total;
}

// A full-scale sine has power 1 in this scaling; the band's total power says whether anything plays.
bool Chroma::silent(double band_power) const { return band_power <= 0 || 10.0 * std::log10(band_power) < params_.silence_dbfs; }

// A frame whose band holds only the FFT's rounding noise of what lies outside it (DC, a tone over the top
// of the band: its band power 120 dB or more under the whole frame's) or nothing at all has its peaks at
// random pitches: they add nothing to the estimate (which still decays), so DC or silence from a fresh start
// leaves it at 0, where they turned it anywhere in -50..50 cents. Any sound in the band counts, however
// quiet (as when the chord classifier was trained).
void Chroma::update_tuning(std::span<const float> m, double band_power) {
  // Only a quiet band can lie 120 dB under its frame: the analysers clamp samples to 60 dB over full scale,
  // so a frame's power stays within about 1e6 (a full-scale sine's is 1). The whole frame is summed only then.
  bool rounding_noise = false;
  if (band_power < 1e-5) {
    double whole = 0;
    for (float v : m) whole += double(v) * v;
    rounding_noise = !(band_power > 1e-12 * whole);
  }
  double re = 0, im = 0;
  for (int i = 0; i < peak_count_ && !rounding_noise; ++i) {
    const double pitch = peak_pitch_[std::size_t(i)];
    if (pitch < 40.0 || pitch > 107.0) continue;  // 80 Hz..4 kHz: resolved and mostly harmonic
    const double deviation = pitch - std::round(pitch);
    const double weight = std::sqrt(double(peak_power_[std::size_t(i)]));
    re += weight * std::cos(2.0 * M_PI * deviation);
    im += weight * std::sin(2.0 * M_PI * deviation);
  }
  tuning_re_ = decay_ * tuning_re_ + re;
  tuning_im_ = decay_ * tuning_im_ + im;
  if (!tuning_fixed_ && (tuning_re_ != 0 || tuning_im_ != 0))
    result_.tuning_cents = float(100.0 * std::atan2(tuning_im_, tuning_re_) / (2.0 * M_PI));
}

void Chroma::observe_tuning(std::span<const float> m) {
  find_peaks(m);
  update_tuning(m, band_power(m));
}

// Harmonic pitch class profile style (Gomez 2006): each peak adds its power to the nearest semitone
// with a cos^2 weight that falls to zero half a semitone away, so a main lobe's skirt (several bins
// wide in the bass) does not leak into the neighbouring pitch classes.
const ChromaFrame& Chroma::process(std::span<const float> m) {
  find_peaks(m);
  const double power = band_power(m);
  if (!tuning_fixed_) update_tuning(m, power);
  result_.chroma.fill(0.0f);
  result_.bass.fill(0.0f);
  semitones_out_.fill(0.0f);
  if (silent(power)) return result_;
  std::fill(semitone_.begin(), semitone_.end(), 0.0f);
  const float shift = result_.tuning_cents / 100.0f;
  for (int i = 0; i < peak_count_; ++i) {
    const float q = peak_pitch_[std::size_t(i)] - shift;
    const int note = int(std::lround(q));
    if (note < 0 || note > 127) continue;
    const float w = std::cos(float(M_PI) * (q - float(note)));  // 1 on the semitone, 0 half a semitone off
    semitone_[std::size_t(note)] += w * w * peak_power_[std::size_t(i)];
  }
  auto fold = [&](int lo, int hi, std::array<float, 12>& out) {
    for (int note = lo; note <= hi; ++note) out[std::size_t(note % 12)] += semitone_[std::size_t(note)];
    float top = 0;
    for (float& v : out) top = std::max(top, v = std::sqrt(v));
    if (top > 0) for (float& v : out) v /= top;
  };
  fold(params_.min_midi, params_.max_midi, result_.chroma);
  fold(params_.bass_min_midi, params_.bass_max_midi, result_.bass);
  float top = 0;
  for (int i = 0; i < kSemitoneBins; ++i) {
    top = std::max(top, semitones_out_[std::size_t(i)] = std::sqrt(semitone_[std::size_t(kSemitoneLowMidi + i)]));
  }
  if (top > 0) for (float& v : semitones_out_) v /= top;
  return result_;
}

}  // namespace etude::dsp
