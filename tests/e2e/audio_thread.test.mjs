// The audio thread never allocates: the real AudioWorklet processors (the analyser,
// web/worklet/etude-processor.js, and the metronome, web/worklet/metronome-processor.js, running the
// built dsp.wasm) are driven in V8 for 20,000 quanta after warm-up while the JS heap's young
// generation is watched (tests/e2e/lib/worklet-harness.mjs). With shared memory (how the app
// runs on a cross-origin isolated page, checked in the browser by app.test.mjs) it must allocate
// nothing; the message fallback is measured too, to show the instrument does see allocation.
// The wasm side (the analyser itself) is checked with an instrumented allocator in
// tests/unit/worklet/test_no_allocation.cpp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ROOT, SITE } from './lib/site.mjs';

// --no-concurrent-recompilation: V8 optimises hot code on the main thread, so the warm-up ends in
// optimised code however loaded the machine is. With the optimiser on a background thread, a busy machine
// left the processor (or the harness's generator) in the unoptimised tiers, which box every float they
// touch: 2.5 MB in one CI run, 1 MB in one of five runs beside six busy processes; `--concurrent-recompilation-delay=3000` reproduces
// it every time (43 MB), and this flag removes it.
function measure(processor, mode) {
  const out = execFileSync(process.execPath, [
    '--expose-gc', '--no-concurrent-recompilation', '--min-semi-space-size=64', '--max-semi-space-size=64',
    `${ROOT}tests/e2e/lib/worklet-harness.mjs`, `${SITE}/dsp.wasm`, processor, mode,
  ], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

test('the analyser allocates nothing on the JS heap when frames go through shared memory', (t) => {
  if (!existsSync(`${SITE}/dsp.wasm`)) t.skip('build/web/site is not built');
  const r = measure('analyser', 'rings');
  t.diagnostic(JSON.stringify(r));
  assert.equal(r.transport, 'shared-memory');
  assert.equal(r.frames, r.quanta / 2, 'every frame reached the consumer (hop 256 = two quanta)');
  assert.equal(r.gcs, 0, 'no scavenge (young-generation collection) while measuring');
  // The smallest JS object is 16 bytes: one allocation even every 16th quantum would exceed this.
  assert.ok(r.newSpaceBytes < r.quanta, `the audio thread allocated ${r.newSpaceBytes} bytes in ${r.quanta} quanta`);
});

test('the metronome allocates nothing on the JS heap while it clicks at 240 BPM', (t) => {
  if (!existsSync(`${SITE}/dsp.wasm`)) t.skip('build/web/site is not built');
  const r = measure('metronome', 'rings');
  t.diagnostic(JSON.stringify(r));
  assert.equal(r.transport, 'shared-memory');
  // 20,000 quanta of 128 frames at 48 kHz is 53.3 s: 213 beats at 240 BPM.
  assert.ok(Math.abs(r.frames - 213) <= 1, `${r.frames} beats delivered`);
  assert.equal(r.gcs, 0, 'no scavenge (young-generation collection) while measuring');
  assert.ok(r.newSpaceBytes < r.quanta, `the audio thread allocated ${r.newSpaceBytes} bytes in ${r.quanta} quanta`);
});

test('the instrument sees allocation: the message fallbacks allocate', (t) => {
  if (!existsSync(`${SITE}/dsp.wasm`)) t.skip('build/web/site is not built');
  const analyser = measure('analyser', 'messages');
  t.diagnostic(JSON.stringify(analyser));
  assert.equal(analyser.transport, 'messages');
  assert.ok(analyser.newSpaceBytes > analyser.quanta * 16, `only ${analyser.newSpaceBytes} bytes seen for ${analyser.quanta} quanta`);
  // The metronome posts only once per beat: 213 messages.
  const metronome = measure('metronome', 'messages');
  t.diagnostic(JSON.stringify(metronome));
  assert.ok(metronome.newSpaceBytes > metronome.frames * 64, `only ${metronome.newSpaceBytes} bytes seen for ${metronome.frames} beats`);
});
