// The sung-like test signal of the wasm speed benchmarks (bench/wasm_quantum_cost.mjs under Node,
// bench/browser/worklet_cost.mjs inside Chromium): eight notes a half second each, 5.5 Hz vibrato of
// ±0.3 semitone, six partials at 1/k, faint noise from a fixed seed. Self-contained (no imports, no
// closures): worklet_cost.mjs hands its source to the page.
export function sungLikeSignal(rate, n) {
  const x = new Float32Array(n);
  const notes = [220, 247, 262, 294, 330, 349, 392, 440];
  let phase = 0, seed = 1;
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const f = notes[Math.floor(t * 2) % 8] * Math.pow(2, 0.3 / 12 * Math.sin(2 * Math.PI * 5.5 * t));
    phase += 2 * Math.PI * f / rate;
    let v = 0;
    for (let k = 1; k <= 6; k++) v += Math.sin(k * phase) / k;
    seed = (seed * 1103515245 + 12345) % 2147483648;
    x[i] = 0.2 * v + 0.01 * (seed / 1073741824 - 1);
  }
  return x;
}
