// The melody player: plays a generated melody with a gentle synth voice (a soft, slightly warm
// tone with a quick attack and a smooth release) on the shared AudioContext. Every note is
// scheduled ahead on the audio clock, so it starts on its exact sample whatever the page is doing;
// timers only report which note is sounding (for the highlight on the staff) and when it ended.
//
// new MelodyPlayer({onNote(event), onEnd(), sampleRate}); play(notes, startFrame) / stop().
// startFrame: the AudioContext frame of the first step (practice plays along after the count-in);
// omitted or negative: right away.
// notes = [{start, length (seconds from the start), midi, event}]. `last` describes the latest run
// (for tests and the browser benchmark): {notes, startTime, endTime, sampleRate, firstFrame, state}.

import { audioEngine } from './audio-engine.js';

const LEAD_S = 0.12;     // the first note a little after play, so it is never cut short
const PEAK = 0.22, SUSTAIN = 0.12;
const ATTACK_S = 0.015, DECAY_S = 0.12, RELEASE_S = 0.04;

export class MelodyPlayer {
  constructor({ onNote, onEnd, sampleRate = 0 }) {
    this.onNote = onNote;
    this.onEnd = onEnd;
    this.requestedRate = sampleRate;
    this.run = 0;
    this.voices = [];
    this.timers = [];
    this.output = null;
    this.last = { state: 'idle' };
  }

  async play(notes, startFrame = -1) {
    this.stop({ quiet: true });
    const run = ++this.run;
    let engine;
    try {
      engine = await audioEngine({ sampleRate: this.requestedRate });
      await engine.ctx.resume();
    } catch (err) {
      console.warn(`Etude could not play the melody: ${err.message}`);
      this.last = { state: 'failed', message: err.message };
      this.onEnd();
      return;
    }
    if (run !== this.run) return;  // stopped or replaced while the engine was starting
    const { ctx, monitor } = engine;
    this.output = ctx.createGain();
    this.output.connect(ctx.destination);
    this.output.connect(monitor);
    // A sine with a little of the 2nd and 3rd harmonics: soft but clearly pitched.
    const wave = ctx.createPeriodicWave(new Float32Array([0, 1, 0.16, 0.05]), new Float32Array(4));
    const t0 = startFrame >= 0 ? Math.max(startFrame / ctx.sampleRate, ctx.currentTime + 0.02) : ctx.currentTime + LEAD_S;
    const ahead = (ctx.baseLatency || 0) + (ctx.outputLatency || 0);
    let end = t0;
    for (const n of notes) {
      const start = t0 + n.start, stop = start + n.length;
      const osc = ctx.createOscillator();
      osc.setPeriodicWave(wave);
      osc.frequency.value = 440 * 2 ** ((n.midi - 69) / 12);
      const gain = ctx.createGain();
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(PEAK, start + ATTACK_S);
      gain.gain.setTargetAtTime(SUSTAIN, start + ATTACK_S, DECAY_S / 3);
      // Release just before the next note, so repeated notes are heard as two.
      const release = Math.max(start + ATTACK_S, stop - RELEASE_S);
      gain.gain.setTargetAtTime(0, release, RELEASE_S / 4);
      osc.connect(gain).connect(this.output);
      osc.start(start);
      osc.stop(stop + 0.05);
      this.voices.push(osc);
      this.#when(ctx, start + ahead, () => this.onNote(n.event));
      end = Math.max(end, stop);
    }
    this.last = {
      state: 'playing', notes: notes.length, startTime: t0, endTime: end, sampleRate: ctx.sampleRate,
      firstFrame: Math.round(t0 * ctx.sampleRate),
    };
    this.#when(ctx, end + ahead, () => {
      this.last.state = 'ended';
      this.last.endedAt = ctx.currentTime;
      this.#release();
      this.onEnd();
    });
  }

  stop({ quiet = false } = {}) {
    ++this.run;
    const wasPlaying = this.voices.length > 0;
    this.#release();
    if (wasPlaying && this.last.state === 'playing') this.last.state = 'stopped';
    if (wasPlaying && !quiet) this.onEnd();
  }

  // Calls fn once the audio clock has reached `time` (timers and the audio clock drift apart, so a
  // timer that fires early waits again for the rest).
  #when(ctx, time, fn) {
    const check = () => {
      const left = time - ctx.currentTime;
      if (left <= 0.001) fn();
      else this.timers.push(setTimeout(check, left * 1000 + 2));
    };
    this.timers.push(setTimeout(check, Math.max(0, (time - ctx.currentTime) * 1000)));
  }

  #release() {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.output) {
      // A short fade instead of a click.
      const ctx = this.output.context, out = this.output;
      out.gain.setTargetAtTime(0, ctx.currentTime, 0.01);
      const voices = this.voices;
      setTimeout(() => { for (const v of voices) { try { v.stop(); } catch { /* already stopped */ } } out.disconnect(); }, 80);
    }
    this.voices = [];
    this.output = null;
  }
}
