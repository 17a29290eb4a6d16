#pragma once
// Where each symbol of a melody goes on a staff: clef, key signature, time signature, bar lines,
// and every note or rest as written values (ties over bar lines and beats), with the accidentals a
// reader needs (once per bar and staff position, naturals where the key signature is cancelled),
// ledger lines, stems and dots. Pure arithmetic, so it is unit-tested; the Generate screen draws
// it with ImDrawList.
//
// Vertical positions are staff positions: 0 = bottom line, 8 = top line, odd = spaces, negative
// below the staff (ledger lines at -2, -4, ...), above 8 ledger lines at 10, 12, ...

#include <vector>

#include "music/melody.h"

namespace etude::app {

enum class Clef { Treble, Bass };

struct StaffSymbol {
  float x = 0;           // centre of the note head or rest, in layout units from the system's left
  int system = 0;        // which line of music
  int event = 0;         // index into Melody::events
  bool first_piece = true;  // the piece where the event starts (later pieces are tied on)
  bool rest = false;
  int start = 0;         // 16th step where this piece begins
  int value = 4;         // written value in 16ths (1, 2, 3, 4, 6, 8, 12, 16)
  int position = 4;      // staff position of the note head (rests: 4, the middle line)
  int accidental = 0;    // what to print before the head: 0 none, else -2 ♭♭, -1 ♭, 1 ♯, 2 ♯♯, 3 ♮
  bool tie_to_next = false;
  bool stem_up = true;
  int ledger_below = 0;  // ledger lines under the staff (at -2, -4, ...)
  int ledger_above = 0;  // ... and over it (at 10, 12, ...)
  bool dotted() const { return value == 3 || value == 6 || value == 12; }
  bool filled() const { return value < 8; }
  int flags() const { return value == 1 ? 2 : (value == 2 || value == 3) ? 1 : 0; }
};

struct StaffSystem {
  float music_start = 0;           // x where the first bar begins (after clef, key and time)
  bool time_signature = false;     // shown on the first system only
  std::vector<float> bar_lines;    // x of each bar line (the last one is the end of the system)
  bool final_bar = false;          // ends with the final double bar
};

struct StaffLayout {
  Clef clef = Clef::Treble;
  int fifths = 0;                        // key signature
  std::vector<int> key_positions;        // staff positions of the signature's sharps or flats, in order
  std::vector<StaffSystem> systems;
  std::vector<StaffSymbol> symbols;      // in time order
  float width = 0;
};

// Treble unless the range's middle lies below middle C.
Clef clef_for_range(int low, int high);
// Staff position of a spelled pitch under a clef (treble: E4 = 0; bass: G2 = 0).
int staff_position(const music::SpelledPitch& p, Clef clef);

// Eighths and shorter notes in one beat (a quarter, or a dotted quarter in 6/8) share a beam:
// beam_groups()[k] is the group of symbols[k], or -1 for a symbol with its own flag or none.
std::vector<int> beam_groups(const StaffLayout& layout, music::Meter meter);

// Lays the melody out across `width` units; bars_per_system bars on each line of music.
StaffLayout layout_staff(const music::Melody& melody, float width, int bars_per_system);

}  // namespace etude::app
