// Bench only: the clock of timed-processor.js. A dedicated Worker that increments a shared counter as
// fast as it can until told to stop, then reports how many ticks it made in how many milliseconds of
// performance.now(), from which the benchmark takes ticks per microsecond.
// Message in: { clock: SharedArrayBuffer (Int32 [ticks, stop]) }; message out: { ticks, ms }.
onmessage = (e) => {
  const clock = new Int32Array(e.data.clock);
  let ticks = 0;
  const t0 = performance.now();
  for (;;) {
    for (let i = 0; i < 1024; i++) Atomics.store(clock, 0, ++ticks | 0);
    if (Atomics.load(clock, 1) !== 0) break;
  }
  postMessage({ ticks, ms: performance.now() - t0 });
};
