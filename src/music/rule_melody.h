#pragma once
// The rule-based melody writer: the fallback when the generator model cannot load, and the
// baseline the model is compared with. Seeded and deterministic (the same on every platform).
//
// Rhythm: each beat (or pair of beats) takes a pattern whose density suits the difficulty; rests
// appear from difficulty 2, sixteenths from 4, syncopation at 5. Pitch: a walk on the scale inside
// the range whose largest leap grows with difficulty (a third at 1, an octave at 5), stepping back
// after a leap, ending on the tonic (or the nearest stable note in range) on a long note, with the
// leading tone raised in minor.

#include <cstdint>

#include "music/melody.h"

namespace etude::music {

// spec must be valid (MelodySpec::validate() == nullptr).
Melody rule_melody(const MelodySpec& spec, std::uint64_t seed);

}  // namespace etude::music
