// The metronome, on the main thread's side: starts the 'etude-metronome' AudioWorkletNode in the
// shared AudioContext and relays its beats. Timing lives in the audio thread (sample-accurate,
// unaffected by a busy page); this file only sends settings and shows beats.
//
// new Metronome({onBeat(beat), onState(state, message)}); start(settings) / update(settings) / stop().
// settings = {bpm, beatsPerBar, accents (bit mask), countInBars}. beat = {frame, bar, beat, accent}.

import { audioEngine } from './audio-engine.js';
import { FloatRing } from './worklet/float-ring.js';

const START_DELAY_S = 0.1;  // first click a little after start, so it is never cut short
const BEAT_LOG = 256;

export class Metronome {
  constructor({ onBeat, onState, sampleRate = 0 }) {
    this.onBeat = onBeat;
    this.onState = onState;
    this.requestedRate = sampleRate;
    this.node = null;
    this.ctx = null;
    this.running = false;
    this.beats = [];  // the most recent beats, for rhythm practice and tests
  }

  async start(settings) {
    try {
      const { ctx, wasmBytes, monitor } = await audioEngine({ sampleRate: this.requestedRate });
      this.ctx = ctx;
      if (!this.node) {
        this.node = new AudioWorkletNode(ctx, 'etude-metronome', {
          numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1],
          processorOptions: { wasmBytes, useRings: FloatRing.usable() },
        });
        this.node.port.onmessage = (e) => this.#message(e.data);
        this.node.connect(ctx.destination);
        this.node.connect(monitor);
      }
      await ctx.resume();
      this.beats = [];
      this.node.port.postMessage({ type: 'start', settings, delayFrames: Math.round(START_DELAY_S * ctx.sampleRate) });
      this.running = true;
      this.onState('running', '');
    } catch (err) {
      this.running = false;
      this.onState('failed', `The metronome could not start: ${err.message}`);
    }
  }

  update(settings) {
    if (this.node) this.node.port.postMessage({ type: 'update', settings });
  }

  stop() {
    if (this.node) this.node.port.postMessage({ type: 'stop' });
    this.running = false;
    this.onState('off', '');
  }

  #message(m) {
    if (m.type === 'error') {
      this.running = false;
      this.onState('failed', `The metronome stopped: ${m.message}`);
      return;
    }
    if (m.type === 'ready' && m.beats) this.#pump(this.node, new FloatRing(m.beats), m.sampleRate);
    if (m.type === 'beats') this.#show(m.beats, m.sampleRate);
  }

  // Beats from shared memory, for as long as this node lives.
  #pump(node, ring, sampleRate) {
    return ring.follow(() => this.node === node, () => {
      const beats = [];
      ring.drain((r, n) => {
        for (let i = 0; i < n * ring.recordFloats; i += ring.recordFloats) beats.push({ frame: r[i], bar: r[i + 1], beat: r[i + 2], accent: r[i + 3] === 1 });
      });
      this.#show(beats, sampleRate);
    });
  }

  #show(beats, sampleRate) {
    if (!this.running) return;
    // A beat is rendered ahead of when it is heard: show it when it sounds.
    const ahead = (this.ctx.baseLatency || 0) + (this.ctx.outputLatency || 0);
    for (const beat of beats) {
      this.beats.push(beat);
      const inMs = Math.max(0, ((beat.frame / sampleRate) - this.ctx.currentTime + ahead) * 1000);
      setTimeout(() => { if (this.running) this.onBeat(beat); }, inMs);
    }
    if (this.beats.length > BEAT_LOG) this.beats.splice(0, this.beats.length - BEAT_LOG);
  }
}
