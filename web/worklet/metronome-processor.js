// AudioWorkletProcessor 'etude-metronome': the metronome's clock and clicks run here, in the audio
// thread, from the same standalone dsp.wasm as the analyser (src/worklet/metronome_abi.cpp), so
// every beat lands on an exact sample even when the page's main thread is busy.
//
// processorOptions: { wasmBytes, useRings }. With useRings (a cross-origin isolated page) beats go
// into shared memory (float-ring.js) and process() allocates nothing. Messages in: {type:'start', settings, delayFrames} |
// {type:'update', settings} | {type:'stop'}; settings = {bpm, beatsPerBar, accents, countInBars}.
// Messages out: {type:'ready', beats: FloatRing memory of [frame, bar, beat, accent] records | null,
// sampleRate} | {type:'beats', beats:[{frame, bar, beat, accent}], sampleRate} (no rings) | {type:'error', message}.

import { instantiateDsp } from './dsp-instance.js';
import { FloatRing } from './float-ring.js';

const MAX_BLOCK = 1024;

class EtudeMetronome extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.ok = false;
    try {
      const ex = instantiateDsp(options.processorOptions.wasmBytes, 'metronome');
      this.ex = ex;
      this.m = ex.etude_metronome_create(sampleRate, MAX_BLOCK);
      if (!this.m) throw new Error('the metronome could not start at this sample rate');
      this.outIndex = ex.etude_metronome_output(this.m) >> 2;
      this.beatsIndex = ex.etude_metronome_beats(this.m) >> 3;
      this.beatDoubles = ex.etude_metronome_beat_doubles();
      // Views made once: wasm memory never grows (dsp.wasm is built without growth).
      this.samples = new Float32Array(ex.memory.buffer);
      this.quantum = new Float32Array(ex.memory.buffer, this.outIndex * 4, 128);  // the usual block
      this.words = new Uint16Array(ex.memory.buffer);
      const ring = options.processorOptions.useRings && typeof SharedArrayBuffer === 'function'
        ? FloatRing.allocate(this.beatDoubles, 64, true) : null;
      this.ring = ring ? new FloatRing(ring) : null;
      this.ok = true;
      this.port.postMessage({ type: 'ready', beats: ring, sampleRate });
    } catch (err) {
      this.port.postMessage({ type: 'error', message: String(err && err.message || err) });
    }
    this.port.onmessage = (e) => this.#command(e.data);
  }

  #command(msg) {
    if (!this.ok) return;
    const s = msg.settings;
    let rc = 0;
    if (msg.type === 'start') {
      rc = this.ex.etude_metronome_start(this.m, s.bpm, s.beatsPerBar, s.accents, s.countInBars,
        currentFrame + (msg.delayFrames || 0));
    } else if (msg.type === 'update') {
      rc = this.ex.etude_metronome_update(this.m, s.bpm, s.beatsPerBar, s.accents, s.countInBars);
    } else if (msg.type === 'stop') {
      this.ex.etude_metronome_stop(this.m);
    }
    if (rc !== 0) this.port.postMessage({ type: 'error', message: 'the metronome rejected its settings' });
  }

  process(inputs, outputs) {
    if (!this.ok) return false;
    const out = outputs[0] && outputs[0][0];
    if (!out) return true;
    const n = Math.min(out.length, MAX_BLOCK);
    const count = this.ex.etude_metronome_render(this.m, currentFrame, n);
    if (n === 128) {
      out.set(this.quantum);  // a builtin copy: no float passes through JS
    } else {
      const samples = this.samples, at = this.outIndex;
      for (let i = 0; i < n; i++) out[i] = samples[at + i];
    }
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    if (count > 0 && this.ring) {
      this.ring.push(this.words, this.beatsIndex * 8, count);
      this.ring.wake();
    } else if (count > 0) {
      const r = new Float64Array(this.ex.memory.buffer, this.beatsIndex * 8, count * this.beatDoubles);
      const beats = [];
      for (let k = 0; k < count; k++) {
        const i = k * this.beatDoubles;
        beats.push({ frame: r[i], bar: r[i + 1], beat: r[i + 2], accent: r[i + 3] === 1 });
      }
      this.port.postMessage({ type: 'beats', beats, sampleRate });
    }
    return true;
  }
}

registerProcessor('etude-metronome', EtudeMetronome);
