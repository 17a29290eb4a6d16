// AudioWorkletProcessor 'etude-metronome': the metronome's clock and clicks run here, in the audio
// thread, from the same standalone dsp.wasm as the analyser (src/worklet/metronome_abi.cpp), so
// every beat lands on an exact sample even when the page's main thread is busy.
//
// processorOptions: { wasmBytes }. Messages in: {type:'start', settings, delayFrames} |
// {type:'update', settings} | {type:'stop'}; settings = {bpm, beatsPerBar, accents, countInBars}.
// Messages out: {type:'beats', beats:[{frame, bar, beat, accent}], sampleRate} | {type:'error', message}.

import { instantiateDsp } from './dsp-instance.js';

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
      this.ok = true;
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
    const memory = this.ex.memory.buffer;
    out.set(new Float32Array(memory, this.outIndex * 4, n));
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    if (count > 0) {
      const r = new Float64Array(memory, this.beatsIndex * 8, count * this.beatDoubles);
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
