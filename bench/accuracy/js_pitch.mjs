// Pitch tracks from the npm peers, pitchy (McLeod pitch method) and pitchfinder (YIN), on a 16-bit PCM
// or 32-bit float mono WAV: 2048-sample frames every 512 samples, like the other trackers.
// Usage: node bench/accuracy/js_pitch.mjs FILE.wav  -> JSON {times, pitchy, pitchfinder_yin}
import { readFileSync } from 'node:fs';
import { PitchDetector } from 'pitchy';
import Pitchfinder from 'pitchfinder';

function readWav(path) {
  const b = readFileSync(path);
  let offset = 12, rate = 0, format = 0, bits = 0, channels = 1, data = null;
  while (offset + 8 <= b.length) {
    const id = b.toString('ascii', offset, offset + 4), size = b.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      format = b.readUInt16LE(offset + 8); channels = b.readUInt16LE(offset + 10);
      rate = b.readUInt32LE(offset + 12); bits = b.readUInt16LE(offset + 22);
    } else if (id === 'data') {
      data = b.subarray(offset + 8, offset + 8 + size);
    }
    offset += 8 + size + (size & 1);
  }
  const n = data.length / (bits / 8) / channels;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * (bits / 8);
      s += format === 3 ? data.readFloatLE(at) : data.readInt16LE(at) / 32768;
    }
    x[i] = s / channels;
  }
  return { rate, x };
}

const { rate, x } = readWav(process.argv[2]);
const frame = 2048, hop = 512;
const detector = PitchDetector.forFloat32Array(frame);
detector.minVolumeDecibels = -60;
const yin = Pitchfinder.YIN({ sampleRate: rate });
const out = { times: [], pitchy: [], pitchfinder_yin: [] };
for (let start = 0; start + frame <= x.length; start += hop) {
  const window = x.subarray(start, start + frame);
  out.times.push((start + frame / 2) / rate);
  const [hz, clarity] = detector.findPitch(window, rate);
  // Below the clarity threshold the frame is unvoiced; its pitch is kept as a guess, negated (mir_eval's convention).
  out.pitchy.push(hz >= 50 && hz <= 2000 ? (clarity >= 0.9 ? hz : -hz) : 0);
  const y = yin(window);
  out.pitchfinder_yin.push(y && y >= 50 && y <= 2000 ? y : 0);
}
process.stdout.write(JSON.stringify(out));
