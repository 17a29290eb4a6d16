#pragma once
// Everything around the melody generator (models/melody_gan.onnx) that is C++: its condition
// vector, its noise, and turning its output into a melody. Mirrors models/melody/common.py
// (cond_vector, decode) and the shipped decoding (argmax per step, models/melody_gan.card.md);
// tests/unit/ml/test_melody_codec.cpp checks it against the Python reference on the real model.
//
// Model interface: noise float32 [N,32] (standard normal), condition float32 [N,28];
// probabilities float32 [N,64,39]: per 16th step, token 0 rest, 1 hold, 2+k a note of MIDI 48+k.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "music/melody.h"

namespace etude::ml {

inline constexpr int kNoiseDim = 32;
inline constexpr int kConditionDim = 28;
inline constexpr int kModelSteps = 64;
inline constexpr int kVocab = 39;
inline constexpr int kRestToken = 0, kHoldToken = 1;
inline constexpr int kPitchLo = 48;  // MIDI of token 2

// common.cond_vector: key one-hot [12] | mode [2] | difficulty [5] | meter [4] | bars (2,3,4) [3] |
// (low-66)/18 | (high-66)/18.
std::array<float, kConditionDim> condition_vector(const music::MelodySpec& spec);

// `out.size()` standard-normal values from a seed (the same numbers natively and in wasm).
void fill_noise(std::uint64_t seed, std::span<float> out);

// Most probable token of each of the first `steps` steps of one sample's probabilities [64*39]
// (numpy argmax: the first of equal maxima).
std::vector<int> argmax_tokens(std::span<const float> probabilities, int steps);

// common.decode: a note token starts a note, rest starts a rest (or extends a running rest), hold
// extends the running event, hold at step 0 counts as rest. Confidences are left at 1.
std::vector<music::MelodyEvent> decode_tokens(std::span<const int> tokens);

// One sample's probabilities [64*39] -> the melody: argmax tokens over spec.steps(), decoded; each
// event's confidence is the probability of the token that began it.
music::Melody melody_from_probabilities(std::span<const float> probabilities, const music::MelodySpec& spec,
                                        std::uint64_t seed);

// The generator repeats itself for some noises (models/melody_gan.card.md: ~34 distinct melodies per
// 100 noises) and now and then leaves the key, so the app asks for a batch and takes, among the usable
// samples (at least 3 notes) that differ from every melody in `recent`, the one with the largest
// share of notes in the key (the first of equals); if every usable sample was seen before, the first
// usable one. -1 when none is usable.
int pick_fresh(std::span<const music::Melody> candidates, std::span<const music::Melody> recent);

}  // namespace etude::ml
