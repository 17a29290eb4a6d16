#pragma once
// One analysis frame, the unit that flows from the DSP (worklet or CLI) to the app and to training.
// The layout is the contract: kFeatureFrameFloats consecutive 32-bit floats in the field order below.
// JS reads the count from etude_dsp_frame_floats() and the field names from web/worklet/feature-frame.js;
// Python reads `etude analyze features` output with the same names. Add fields only at the end.
//
// Every field describes the moment time_s (the centre of the pitch window). The live analyzer emits a
// frame once its pitch is decided with look-ahead, so frames arrive latency_samples() after time_s.

#include <array>
#include <cstddef>

namespace etude::dsp {

inline constexpr int kChromaBins = 12;
inline constexpr int kFrameMfccs = 13;
// The semitone spectrum behind the chroma (log-frequency, CQT-class): MIDI kSemitoneLowMidi (E1, 41 Hz) ..
// kSemitoneLowMidi + kSemitoneBins - 1 (B6, 1976 Hz). The trained chord classifier reads it.
inline constexpr int kSemitoneLowMidi = 28;
inline constexpr int kSemitoneBins = 68;

struct FeatureFrame {
  float time_s = 0;      // centre of the analysis window, seconds since the stream started
  float f0_hz = 0;       // fundamental frequency (pYIN, fixed-lag Viterbi); 0 when unvoiced. It describes the
                         // newest part of the window, LiveAnalyzerParams::pitch_lead_s() (about 8 ms) after time_s
  float confidence = 0;  // 0..1, pYIN voicing probability (total probability of the YIN candidates)
  float rms = 0;         // linear RMS of the newest hop
  float rms_dbfs = 0;    // 20 log10(rms), floored at kSilenceDbfs
  // --- appended by the feature-extraction engine (issue 4) ---
  float onset_strength = 0;     // SuperFlux spectral flux of this frame (log-magnitude, summed over bands)
  float onset = 0;              // 1 when an onset was picked at this frame (SuperFlux, or live a note the pitch track
                                // starts: LiveOnsetCues), else 0
  float momentary_lufs = 0;     // BS.1770 loudness over the last 400 ms, floored at kSilenceLufs
  float short_term_lufs = 0;    // BS.1770 loudness over the last 3 s
  float centroid_hz = 0;        // spectral centroid
  float spread_hz = 0;          // spectral spread (standard deviation around the centroid)
  float flatness = 0;           // spectral flatness, 0 tonal .. 1 white noise
  float rolloff_hz = 0;         // frequency below which 85% of the power lies
  float zcr = 0;                // zero crossings per sample over the newest hop
  float tuning_cents = 0;       // running tuning estimate used by the chroma, re A4 = 440 Hz
  float chroma[kChromaBins] = {};       // pitch classes C..B, max-normalised (0 when silent)
  float bass_chroma[kChromaBins] = {};  // the same for the bass register
  float mfcc[kFrameMfccs] = {};         // MFCC 0..12 (40 HTK-mel bands, log10 power, orthonormal DCT-II)
  // --- appended for the chord classifier (issue 6) ---
  float semitones[kSemitoneBins] = {};  // semitone_28..semitone_95: the spectrum the chroma folds (dsp::Chroma::semitones())
};

inline constexpr std::size_t kFeatureFrameFloats = sizeof(FeatureFrame) / sizeof(float);
inline constexpr float kSilenceDbfs = -120.0f;

static_assert(sizeof(FeatureFrame) == kFeatureFrameFloats * sizeof(float), "FeatureFrame must be plain floats");
static_assert(kFeatureFrameFloats == 120, "update kFeatureFrameFieldNames and web/worklet/feature-frame.js when fields change");

// One name per float, in layout order (arrays expand to name_0..name_N-1): CSV headers, JS and Python use these.
inline constexpr std::array<const char*, kFeatureFrameFloats> kFeatureFrameFieldNames = {
    "time_s", "f0_hz", "confidence", "rms", "rms_dbfs", "onset_strength", "onset", "momentary_lufs",
    "short_term_lufs", "centroid_hz", "spread_hz", "flatness", "rolloff_hz", "zcr", "tuning_cents",
    "chroma_0", "chroma_1", "chroma_2", "chroma_3", "chroma_4", "chroma_5", "chroma_6", "chroma_7",
    "chroma_8", "chroma_9", "chroma_10", "chroma_11", "bass_chroma_0", "bass_chroma_1", "bass_chroma_2",
    "bass_chroma_3", "bass_chroma_4", "bass_chroma_5", "bass_chroma_6", "bass_chroma_7", "bass_chroma_8",
    "bass_chroma_9", "bass_chroma_10", "bass_chroma_11", "mfcc_0", "mfcc_1", "mfcc_2", "mfcc_3", "mfcc_4",
    "mfcc_5", "mfcc_6", "mfcc_7", "mfcc_8", "mfcc_9", "mfcc_10", "mfcc_11", "mfcc_12",
    "semitone_28", "semitone_29", "semitone_30", "semitone_31", "semitone_32", "semitone_33", "semitone_34",
    "semitone_35", "semitone_36", "semitone_37", "semitone_38", "semitone_39", "semitone_40", "semitone_41",
    "semitone_42", "semitone_43", "semitone_44", "semitone_45", "semitone_46", "semitone_47", "semitone_48",
    "semitone_49", "semitone_50", "semitone_51", "semitone_52", "semitone_53", "semitone_54", "semitone_55",
    "semitone_56", "semitone_57", "semitone_58", "semitone_59", "semitone_60", "semitone_61", "semitone_62",
    "semitone_63", "semitone_64", "semitone_65", "semitone_66", "semitone_67", "semitone_68", "semitone_69",
    "semitone_70", "semitone_71", "semitone_72", "semitone_73", "semitone_74", "semitone_75", "semitone_76",
    "semitone_77", "semitone_78", "semitone_79", "semitone_80", "semitone_81", "semitone_82", "semitone_83",
    "semitone_84", "semitone_85", "semitone_86", "semitone_87", "semitone_88", "semitone_89", "semitone_90",
    "semitone_91", "semitone_92", "semitone_93", "semitone_94", "semitone_95",
};

}  // namespace etude::dsp
