// One AudioContext for the whole app, so the microphone analyser and the metronome count the same
// audio frames (rhythm practice compares their times). Created on first use, at the device's rate
// or at ?samplerate= for tests; the worklet modules and dsp.wasm are loaded into it once.
// Resolves to {ctx, wasmBytes, monitor}: monitor is a bus carrying everything Etude plays.

let engine = null;

export function audioEngine({ sampleRate = 0, dspUrl = 'dsp.wasm' } = {}) {
  if (!engine) {
    const ctx = new AudioContext(sampleRate ? { latencyHint: 'interactive', sampleRate } : { latencyHint: 'interactive' });
    const base = new URL('./worklet/', import.meta.url);
    // Everything Etude plays also goes to this bus: the simulated room of the ?loopback= test mode
    // (audio.js) listens to it instead of a microphone.
    const monitor = ctx.createGain();
    const ready = Promise.all([
      fetch(dspUrl).then((r) => {
        if (!r.ok) throw new Error(`could not load the audio engine (${r.status} ${dspUrl})`);
        return r.arrayBuffer();
      }),
      ctx.audioWorklet.addModule(new URL('etude-processor.js', base)),
      ctx.audioWorklet.addModule(new URL('metronome-processor.js', base)),
    ]).then(([wasmBytes]) => ({ ctx, wasmBytes, monitor }));
    engine = { ctx, ready };
    // A failed load must not stick: the next call tries again with a fresh context.
    ready.catch(() => { if (engine && engine.ctx === ctx) engine = null; ctx.close().catch(() => {}); });
  }
  return engine.ready;
}
