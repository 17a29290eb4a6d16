// AudioWorkletProcessor 'etude-analyzer': runs the standalone DSP wasm (src/dsp + src/worklet) on
// every 128-frame quantum and posts FeatureFrames to the main thread. Audio never leaves this thread.
//
// processorOptions: { wasmBytes: ArrayBuffer (dsp.wasm), hop: samples between frames }.
// Messages out: {type:'ready', latencySamples, frameFloats, startFrame} (on the first quantum)
//               | {type:'frames', frames: Float32Array, count}
//               | {type:'spectrum', column: Float32Array (note rows, then mel bands, dB), notesBins, melBins}
//               | {type:'error', message}.

import { instantiateDsp } from './dsp-instance.js';

const MAX_BLOCK = 1024;

class EtudeAnalyzer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.ok = false;
    try {
      const { wasmBytes, hop } = options.processorOptions;
      // Synchronous compile is allowed in the audio worklet scope and keeps start-up ordered.
      const ex = instantiateDsp(wasmBytes, 'audio analyser');
      this.ex = ex;
      this.dsp = ex.etude_dsp_create(sampleRate, hop, MAX_BLOCK);
      if (!this.dsp) {
        throw new Error(`the audio analyser rejected its settings: ${this.#cString(ex.etude_dsp_last_error())}`);
      }
      this.frameFloats = ex.etude_dsp_frame_floats();
      this.inputIndex = ex.etude_dsp_input(this.dsp) >> 2;
      this.framesIndex = ex.etude_dsp_frames(this.dsp) >> 2;
      this.heap = new Float32Array(ex.memory.buffer);
      this.spectrum = [0, 1].map((scale) => ({
        index: ex.etude_dsp_spectrum(this.dsp, scale) >> 2, bins: ex.etude_dsp_spectrum_bins(this.dsp, scale),
      }));
      this.ok = true;
      this.startFrame = -1;  // context frame of the first analysed sample (frame time 0)
    } catch (err) {
      this.port.postMessage({ type: 'error', message: String(err && err.message || err) });
    }
  }

  #cString(ptr) {
    const bytes = new Uint8Array(this.ex.memory.buffer, ptr);
    let end = 0;
    while (bytes[end] !== 0 && end < 1024) end++;
    return String.fromCharCode(...bytes.subarray(0, end));
  }

  process(inputs) {
    if (!this.ok) return false;
    const channel = inputs[0] && inputs[0][0];
    if (!channel && this.startFrame < 0) return true;  // nothing connected yet
    if (this.startFrame < 0) {
      this.startFrame = currentFrame;
      this.port.postMessage({
        type: 'ready', latencySamples: this.ex.etude_dsp_latency_samples(this.dsp), frameFloats: this.frameFloats,
        startFrame: currentFrame,
      });
    }
    // Once started, a quantum without input channels (a silent, inactive source) is analysed as
    // silence, so frame times keep counting with the context's frames.
    const n = channel ? Math.min(channel.length, MAX_BLOCK) : 128;
    if (channel) {
      this.heap.set(n === channel.length ? channel : channel.subarray(0, n), this.inputIndex);
    } else {
      this.heap.fill(0, this.inputIndex, this.inputIndex + n);
    }
    const count = this.ex.etude_dsp_process(this.dsp, n);
    if (count > 0) {
      const start = this.framesIndex;
      const frames = this.heap.slice(start, start + count * this.frameFloats);
      this.port.postMessage({ type: 'frames', frames, count }, [frames.buffer]);
    }
    if (this.ex.etude_dsp_spectrum_ready(this.dsp)) {
      const [notes, mel] = this.spectrum;
      const column = new Float32Array(notes.bins + mel.bins);
      column.set(this.heap.subarray(notes.index, notes.index + notes.bins), 0);
      column.set(this.heap.subarray(mel.index, mel.index + mel.bins), notes.bins);
      this.port.postMessage({ type: 'spectrum', column, notesBins: notes.bins, melBins: mel.bins }, [column.buffer]);
    }
    return true;
  }
}

registerProcessor('etude-analyzer', EtudeAnalyzer);
