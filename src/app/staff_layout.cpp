#include "app/staff_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

namespace etude::app {

namespace {
constexpr float kClefWidth = 34.0f;
constexpr float kAccidentalWidth = 10.35f;  // 1.15 staff spaces at the screen's 9 px
constexpr float kTimeWidth = 26.0f;
constexpr float kBarPadding = 14.0f;

// Horizontal room a value takes: longer values get more, but less than in proportion.
float weight(int value) { return 1.0f + 0.55f * std::log2(float(value)); }
}  // namespace

Clef clef_for_range(int low, int high) { return low + high < 120 ? Clef::Bass : Clef::Treble; }

int staff_position(const music::SpelledPitch& p, Clef clef) {
  return p.staff_step() - (clef == Clef::Treble ? 4 * 7 + 2 : 2 * 7 + 4);
}

StaffLayout layout_staff(const music::Melody& melody, float width, int bars_per_system) {
  const music::MelodySpec& spec = melody.spec;
  StaffLayout out;
  out.width = width;
  out.clef = clef_for_range(spec.low, spec.high);
  out.fifths = music::key_fifths(spec.key, spec.mode);
  // Signature positions on the treble staff; the bass staff puts them two positions lower.
  static constexpr int kSharps[7] = {8, 5, 9, 6, 3, 7, 4};  // F5 C5 G5 D5 A4 E5 B4
  static constexpr int kFlats[7] = {4, 7, 3, 6, 2, 5, 1};   // B4 E5 A4 D5 G4 C5 F4
  for (int i = 0; i < std::abs(out.fifths); ++i) {
    out.key_positions.push_back((out.fifths > 0 ? kSharps : kFlats)[i] - (out.clef == Clef::Bass ? 2 : 0));
  }

  const int bar_steps = music::steps_per_bar(spec.meter);
  bars_per_system = std::max(1, bars_per_system);
  const int n_systems = (spec.bars + bars_per_system - 1) / bars_per_system;
  const float key_width = kAccidentalWidth * float(std::abs(out.fifths)) + (out.fifths ? 8.0f : 0.0f);
  // Bars are equally wide on every system, so the second line lines up under the first.
  const float first_start = kClefWidth + key_width + kTimeWidth;
  const float bar_width = (width - first_start) / float(bars_per_system);
  for (int s = 0; s < n_systems; ++s) {
    StaffSystem sys;
    sys.time_signature = s == 0;
    sys.music_start = kClefWidth + key_width + (s == 0 ? kTimeWidth : 0.0f);
    const int bars_here = std::min(bars_per_system, spec.bars - s * bars_per_system);
    for (int b = 1; b <= bars_here; ++b) sys.bar_lines.push_back(sys.music_start + bar_width * float(b));
    sys.final_bar = s == n_systems - 1;
    out.systems.push_back(sys);
  }

  // Pieces of every event, bar by bar, with their weights for spacing.
  struct Piece {
    int event, start, value;
    bool first, tie;
  };
  std::vector<std::vector<Piece>> bars(std::size_t(spec.bars));
  for (int i = 0; i < int(melody.events.size()); ++i) {
    const music::MelodyEvent& e = melody.events[std::size_t(i)];
    const std::vector<int> values = music::written_values(e.start, e.steps, spec.meter);
    int pos = e.start;
    for (std::size_t k = 0; k < values.size(); ++k) {
      const int bar = std::min(pos / bar_steps, spec.bars - 1);
      bars[std::size_t(bar)].push_back({i, pos, values[k], k == 0, !e.is_rest() && k + 1 < values.size()});
      pos += values[k];
    }
  }
  for (int bar = 0; bar < spec.bars; ++bar) {
    const StaffSystem& sys = out.systems[std::size_t(bar / bars_per_system)];
    const int in_system = bar % bars_per_system;
    const float left = sys.music_start + bar_width * float(in_system) + kBarPadding;
    const float room = bar_width - 2 * kBarPadding;
    // Accidentals hold to the end of the bar for their staff position (and octave).
    std::map<int, int> alter_in_bar;
    const std::size_t first_symbol = out.symbols.size();
    for (const Piece& p : bars[std::size_t(bar)]) {
      const music::MelodyEvent& e = melody.events[std::size_t(p.event)];
      StaffSymbol s;
      s.system = bar / bars_per_system;
      s.event = p.event;
      s.first_piece = p.first;
      s.rest = e.is_rest();
      s.start = p.start;
      s.value = p.value;
      s.tie_to_next = p.tie;
      if (!s.rest) {
        const music::SpelledPitch sp = music::spell(e.midi, spec.key, spec.mode);
        s.position = staff_position(sp, out.clef);
        s.stem_up = s.position < 4;
        if (s.position <= -2) s.ledger_below = (-s.position) / 2;
        if (s.position >= 10) s.ledger_above = (s.position - 8) / 2;
        // Only where a note begins: a piece tied on (also over a bar line) is never re-marked.
        const auto it = alter_in_bar.find(sp.staff_step());
        const int current = it != alter_in_bar.end() ? it->second : music::key_signature_alter(sp.letter, out.fifths);
        if (p.first && sp.alter != current) {
          s.accidental = sp.alter == 0 ? 3 : sp.alter;
          alter_in_bar[sp.staff_step()] = sp.alter;
        }
      }
      out.symbols.push_back(s);
    }
    // Spacing: by value, plus room in front of a note that carries an accidental.
    const auto room_for = [](const StaffSymbol& s) { return weight(s.value) + (s.accidental ? 0.8f : 0.0f); };
    float total = 0;
    for (std::size_t k = first_symbol; k < out.symbols.size(); ++k) total += room_for(out.symbols[k]);
    float used = 0;
    for (std::size_t k = first_symbol; k < out.symbols.size(); ++k) {
      StaffSymbol& s = out.symbols[k];
      const float extra = s.accidental ? 0.8f : 0.0f;
      s.x = left + room * (used + extra + 0.5f * weight(s.value)) / std::max(total, 1.0f) * 0.96f + room * 0.02f;
      used += room_for(s);
    }
  }
  return out;
}

std::vector<int> beam_groups(const StaffLayout& layout, music::Meter meter) {
  const int beat = music::steps_per_beat(meter);
  std::vector<int> group(layout.symbols.size(), -1);
  int next_id = 0;
  std::size_t k = 0;
  while (k < layout.symbols.size()) {
    // The run of beamable notes (no rests) starting at k inside k's beat.
    const StaffSymbol& first = layout.symbols[k];
    std::size_t end = k;
    while (end < layout.symbols.size()) {
      const StaffSymbol& s = layout.symbols[end];
      if (s.rest || s.value > 3 || s.system != first.system || s.start / beat != first.start / beat) break;
      ++end;
    }
    if (end - k >= 2) {
      for (std::size_t j = k; j < end; ++j) group[j] = next_id;
      ++next_id;
    }
    k = std::max(end, k + 1);
  }
  return group;
}

}  // namespace etude::app
