// Test signals as WAV files for Chromium's fake microphone (--use-file-for-fake-audio-capture).
import { writeFileSync } from 'node:fs';

/** 16-bit PCM mono WAV from Float32 samples in -1..1. */
export function encodeWav(samples, sampleRate) {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    data.writeInt16LE(Math.round(s * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);  // PCM
  header.writeUInt16LE(1, 22);  // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export function sine({ hz, sampleRate, seconds, amplitude = 0.5 }) {
  const n = Math.round(sampleRate * seconds);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return x;
}

export function writeSineWav(path, options) {
  writeFileSync(path, encodeWav(sine(options), options.sampleRate));
  return path;
}

/** A deterministic pseudo-random source (tests must not depend on Math.random). */
export function rng(seed = 1) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

/**
 * A harmonic tone: `harmonics[k]` is the amplitude of harmonic k+1; optional vibrato (rate in Hz,
 * depth in cents, phase-continuous) and additive noise (amplitude). Normalised to `peak`.
 */
export function harmonicTone({ hz, sampleRate, seconds, harmonics = [1], vibratoHz = 0, vibratoCents = 0,
  noise = 0, peak = 0.5, seed = 1 }) {
  const n = Math.round(sampleRate * seconds);
  const x = new Float32Array(n);
  const random = rng(seed);
  let phase = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const f = hz * 2 ** ((vibratoCents * Math.sin(2 * Math.PI * vibratoHz * t)) / 1200);
    phase += (2 * Math.PI * f) / sampleRate;
    let v = 0;
    for (let k = 0; k < harmonics.length; k++) {
      if ((k + 1) * f < sampleRate / 2) v += harmonics[k] * Math.sin((k + 1) * phase);
    }
    v += noise * (random() * 2 - 1);
    x[i] = v;
    max = Math.max(max, Math.abs(v));
  }
  for (let i = 0; i < n; i++) x[i] *= peak / max;
  return x;
}

/** A sung vowel "ah": harmonics shaped by two formants (~700 and ~1200 Hz), gentle vibrato. */
export function sungNote({ hz, sampleRate, seconds, vibratoCents = 15 }) {
  const formant = (f, centre, width) => Math.exp(-(((f - centre) / width) ** 2));
  const harmonics = Array.from({ length: 30 }, (_, k) => {
    const f = (k + 1) * hz;
    return (1 / (k + 1)) * (0.3 + formant(f, 700, 250) + 0.7 * formant(f, 1200, 300));
  });
  return harmonicTone({ hz, sampleRate, seconds, harmonics, vibratoHz: 5.5, vibratoCents, noise: 0.01, seed: 3 });
}

/** A bowed string: sawtooth-like 1/k harmonics with bow noise, no vibrato. */
export function bowedNote({ hz, sampleRate, seconds }) {
  const harmonics = Array.from({ length: 40 }, (_, k) => 1 / (k + 1));
  return harmonicTone({ hz, sampleRate, seconds, harmonics, noise: 0.03, seed: 5 });
}

export function writeWav(path, samples, sampleRate) {
  writeFileSync(path, encodeWav(samples, sampleRate));
  return path;
}

/**
 * A legato phrase: one phase-continuous harmonic tone that changes note without any new attack (the level
 * stays put; each change glides for `glideS`), as a slurred violin or a singer moves between notes.
 * notes = [{hz, seconds}]; the phrase fades in and out over `fadeS`. Normalised to `peak`.
 */
export function legatoPhrase({ notes, sampleRate, harmonics = [1], glideS = 0.015, vibratoHz = 0, vibratoCents = 0,
  noise = 0, fadeS = 0.02, peak = 0.5, seed = 1 }) {
  const starts = [];
  let total = 0;
  for (const note of notes) { starts.push(total); total += note.seconds; }
  const n = Math.round(sampleRate * total);
  const x = new Float32Array(n);
  const random = rng(seed);
  let phase = 0, max = 0, k = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    while (k + 1 < notes.length && t >= starts[k + 1]) k++;
    // Glide from the previous note over the first glideS of this one (geometric, as a finger slides).
    const into = t - starts[k];
    const from = k > 0 && into < glideS ? notes[k - 1].hz : notes[k].hz;
    const hz = from * (notes[k].hz / from) ** Math.min(1, into / glideS);
    const f = hz * 2 ** ((vibratoCents * Math.sin(2 * Math.PI * vibratoHz * t)) / 1200);
    phase += (2 * Math.PI * f) / sampleRate;
    let v = 0;
    for (let h = 0; h < harmonics.length; h++) {
      if ((h + 1) * f < sampleRate / 2) v += harmonics[h] * Math.sin((h + 1) * phase);
    }
    v = v * Math.min(1, t / fadeS, (total - t) / fadeS) + noise * (random() * 2 - 1);
    x[i] = v;
    max = Math.max(max, Math.abs(v));
  }
  for (let i = 0; i < n; i++) x[i] *= peak / max;
  return x;
}
