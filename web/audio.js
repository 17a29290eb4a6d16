// Microphone → AudioWorklet → feature frames, on the main thread's side.

import { audioEngine } from './audio-engine.js';
import { FloatRing } from './worklet/float-ring.js';
//
// Implements:  getUserMedia with echo cancellation, noise suppression and auto gain OFF (they distort
//              pitch and loudness); the AudioWorkletNode that runs our standalone DSP wasm in the
//              shared AudioContext (audio-engine.js); clear states for every way it can fail.
// Does not:    keep or send audio anywhere: samples stay in the audio thread, only features come out.
// The caller must: pass onFrames(Float32Array, count) and onState(state, detail) callbacks.
//
// Frames come over shared memory (worklet/float-ring.js) when the page is cross-origin isolated, so
// the audio thread allocates nothing; otherwise as messages. `transport` says which is in use.

export const MicState = Object.freeze({
  off: 0, starting: 1, running: 2, denied: 3, 'no-device': 4, unsupported: 5, failed: 6,
});

// Frames every half of a 10.7 ms, 32-sample-aligned hop: 256 samples at 48 kHz, 240 at 44.1 kHz.
// The tuner then shows a new note within 50 ms (tests/unit/app/test_tuner_latency.cpp), and the chord
// classifier was trained on every second frame at this very hop. The rule is defined once in
// src/ml/chord_input.h (live_hop); tests/unit/ml/test_chord_input.cpp checks this copy.
// The analyser costs ~40 us per 128-sample quantum at this hop.
const TRAINING_HOP_SECONDS = 0.0107;
const liveHop = (sampleRate) => Math.max(64, Math.round(sampleRate * TRAINING_HOP_SECONDS / 32) * 32) / 2;

export class AudioInput {
  // loopbackMs > 0 (the ?loopback= test mode): instead of a microphone, listen to what Etude itself
  // plays, delayed by that many milliseconds: a simulated room with a known round trip.
  constructor({ onFrames, onSpectrum, onState, sampleRate = 0, loopbackMs = 0 }) {
    this.onSpectrum = onSpectrum;
    this.loopbackMs = loopbackMs;
    this.onFrames = onFrames;
    this.onState = onState;
    this.requestedRate = sampleRate;
    this.session = null;  // {stream, ctx, source, node, mute}
    this.starting = null;
    this.transport = 'none';  // 'shared-memory' or 'messages' while running
    this.pitchRange = [0, 0];  // Hz; [0, 0] is the analyser's default (50..2000 Hz)
    this.framesDropped = () => 0;  // frames the audio thread could not hand over (a full ring)
  }

  // The pitch search range of the student's instrument; a running analyser restarts with it.
  setPitchRange(minHz, maxHz) {
    if (minHz === this.pitchRange[0] && maxHz === this.pitchRange[1]) return;
    this.pitchRange = [minHz, maxHz];
    if (this.session) {
      this.#teardown();
      this.start();
    }
  }

  // Hands frames and spectrum columns from the rings to the callbacks whenever the worklet wakes them.
  #pump(session, info) {
    const frames = new FloatRing(info.rings.frames);
    const spectrum = new FloatRing(info.rings.spectrum);
    this.framesDropped = () => frames.dropped();
    const rf = spectrum.recordFloats;
    return frames.follow(() => this.session === session, () => {
      spectrum.drain((view, n) => {
        for (let i = 0; i < n; i++) {
          this.onSpectrum?.(view.subarray(i * rf, (i + 1) * rf), info.notesBins, info.melBins, info.linearBins);
        }
      });
      frames.drain((view, n) => this.onFrames(view, n));
    });
  }

  async start() {
    if (this.session || this.starting) return this.starting;
    this.starting = this.#start().finally(() => { this.starting = null; });
    return this.starting;
  }

  async #start() {
    this.onState('starting', {});
    if (this.loopbackMs > 0) return this.#connect(null);
    const md = navigator.mediaDevices;
    if (!md || typeof md.getUserMedia !== 'function') {
      this.onState('unsupported', { message: 'navigator.mediaDevices.getUserMedia is not available' });
      return;
    }
    let stream;
    try {
      stream = await md.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
        video: false,
      });
    } catch (err) {
      const name = err && err.name;
      const state = (name === 'NotAllowedError' || name === 'SecurityError') ? 'denied'
        : (name === 'NotFoundError' || name === 'OverconstrainedError') ? 'no-device' : 'failed';
      this.onState(state, { message: `${name}: ${err && err.message}` });
      return;
    }
    return this.#connect(stream);
  }

  async #connect(stream) {
    let source = null;
    try {
      const { ctx, wasmBytes: bytes, monitor } = await audioEngine({ sampleRate: this.requestedRate });
      const hop = liveHop(ctx.sampleRate);
      const node = new AudioWorkletNode(ctx, 'etude-analyzer', {
        numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
        channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'speakers',
        processorOptions: {
          wasmBytes: bytes, hop, useRings: FloatRing.usable(), minHz: this.pitchRange[0], maxHz: this.pitchRange[1],
        },
      });
      const ready = new Promise((resolve, reject) => {
        node.port.onmessage = (e) => {
          const m = e.data;
          if (m.type === 'frames') this.onFrames(m.frames, m.count);
          else if (m.type === 'spectrum') this.onSpectrum?.(m.column, m.notesBins, m.melBins, m.linearBins);
          else if (m.type === 'ready') resolve(m);
          else if (m.type === 'error') reject(new Error(m.message));
        };
        node.onprocessorerror = () => reject(new Error('the audio processor stopped with an error'));
      });
      // The node must be pulled by the destination to run; a zero gain keeps the speakers silent.
      const mute = ctx.createGain();
      mute.gain.value = 0;
      if (stream) {
        source = ctx.createMediaStreamSource(stream);
      } else {
        await ctx.audioWorklet.addModule(new URL('./worklet/room-processor.js', import.meta.url));
        source = new AudioWorkletNode(ctx, 'etude-room', {
          numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
          processorOptions: { delayFrames: (this.loopbackMs / 1000) * ctx.sampleRate },
        });
        monitor.connect(source);
      }
      source.connect(node).connect(mute).connect(ctx.destination);
      await ctx.resume();
      const info = await ready;
      // The analyser's frame times count from its first quantum; this maps them to context frames.
      this.session = { stream, ctx, source, node, mute, monitor, startFrame: info.startFrame, rings: info.rings };
      this.transport = info.rings ? 'shared-memory' : 'messages';
      for (const track of stream ? stream.getAudioTracks() : []) {
        track.onended = () => { this.#teardown(); this.onState('failed', { message: 'the microphone was disconnected' }); };
      }
      this.onState('running', {
        sampleRate: ctx.sampleRate, latencySamples: info.latencySamples, hop, startFrame: info.startFrame,
      });
      if (info.rings) {
        this.#pump(this.session, info).catch((err) => {
          this.#teardown();
          this.onState('failed', { message: `the app stopped reading the microphone: ${err && err.message || err}` });
        });
      }
    } catch (err) {
      for (const t of stream ? stream.getTracks() : []) t.stop();
      if (source) source.disconnect();
      this.onState('failed', { message: String(err && err.message || err) });
    }
  }

  stop() {
    if (!this.session) return;
    this.#teardown();
    this.onState('off', {});
  }

  #teardown() {
    const s = this.session;
    this.session = null;
    if (!s) return;
    this.transport = 'none';
    if (s.rings) new FloatRing(s.rings.frames).wake();  // lets the pump see that it is over
    for (const t of s.stream ? s.stream.getTracks() : []) { t.onended = null; t.stop(); }
    s.node.port.onmessage = null;
    if (!s.stream) s.monitor.disconnect(s.source);
    s.source.disconnect();
    s.node.disconnect();
    s.mute.disconnect();
  }
}
