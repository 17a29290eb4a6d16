// Etude ML worker: runs the on-device ONNX models with onnxruntime-web (wasm backend) off the main
// thread. Module worker: new Worker(new URL('./ml-worker.js', import.meta.url), {type: 'module'}).
//
// Files it reads, all from our own origin, relative to this file:
//   ../vendor/ort/ort.wasm.min.mjs, ort-wasm-simd-threaded.{mjs,wasm}   (npm onnxruntime-web, pinned)
//   ../models/<model>.onnx, <model>.labels.json, <model>.golden.json
//
// Messages in  → out (every request carries an id that the reply echoes):
//   {id, type:'load', model}            → {id, type:'loaded', model, inputNames, outputNames, ms, fetchMs, createMs}
//   {id, type:'run', model, chroma}     → {id, type:'result', model, scores, probabilities, labels, batch, ms}
//        chroma: Float32Array of N*12 pitch-class values (C..B); scores/probabilities: Float32Array N*24
//   {id, type:'infer', model, inputs}   → {id, type:'inferred', model, outputs, ms}   (any model)
//        inputs/outputs: {name: {data: Float32Array, dims: [..]}}
//   {id, type:'selftest', model}        → {id, type:'selftest', model, ok, maxAbsError, tolerance, cases, ms}
//        cases: [{name, ok, maxAbsError, top, expectedTop}] for every golden case. A golden file with an
//        `inputs` list of input names (models/melody, models/chords) is checked generically: each case
//        holds those inputs and expected[checked_output].
//   any failure                         → {id, type:'error', message}
import * as ort from '../vendor/ort/ort.wasm.min.mjs';

ort.env.wasm.wasmPaths = new URL('../vendor/ort/', import.meta.url).href;
// One thread: the models are tiny (a call takes milliseconds), so extra threads cost more in start-up
// and synchronisation than they save, on a cross-origin isolated page too.
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const MODELS_URL = new URL('../models/', import.meta.url);

// What the app does when a model is unavailable, for the messages the student sees.
const MODEL_INFO = {
  chord_templates: {
    what: 'The chord model',
    fallback: 'Chords will use the built-in template matcher.',
    inputSize: 12,
  },
  chord_classifier: {
    what: 'The trained chord classifier',
    fallback: 'Chords will use the template matcher instead.',
    inputSize: 16 * 68,  // 16 frames x 68 frame fields (semitone_28..95), frame-major (models/chord_classifier.card.md)
  },
  melody_gan: {
    what: 'The melody generator',
    fallback: 'Exercises will use the rule-based generator.',
  },
};

// A nested array's shape and its values, flattened.
function shapeOf(value) {
  const dims = [];
  for (let v = value; Array.isArray(v); v = v[0]) dims.push(v.length);
  return dims;
}

async function infer(entry, model, inputs) {
  const feeds = {};
  for (const [name, { data, dims }] of Object.entries(inputs || {})) {
    if (!entry.inputNames.includes(name)) {
      throw new UserError(`${info(model).what} has no input "${name}" (it has ${entry.inputNames.join(', ')}).`);
    }
    const count = dims.reduce((a, b) => a * b, 1);
    if (!(data instanceof Float32Array) || data.length !== count) {
      throw new UserError(`${info(model).what}: input "${name}" needs ${count} float32 values for shape [${dims}].`);
    }
    feeds[name] = new ort.Tensor('float32', data, dims);
  }
  const out = await entry.session.run(feeds);
  const outputs = {};
  for (const [name, t] of Object.entries(out)) outputs[name] = { data: new Float32Array(t.data), dims: [...t.dims] };
  return outputs;
}

// Golden check for models whose golden file lists its input names: every case's inputs in, the
// checked output compared element by element within the tolerance.
async function genericSelfTest(entry, model, golden, atol) {
  let maxAbsError = 0, ok = true;
  const cases = [];
  for (const c of golden.cases) {
    const inputs = {};
    for (const name of golden.inputs) {
      const value = typeof c[name] === 'string' ? JSON.parse(c[name]) : c[name];
      const dims = shapeOf(value);
      inputs[name] = { data: Float32Array.from(value.flat(Infinity)), dims: dims.length === 1 ? [1, dims[0]] : dims };
    }
    const outputs = await infer(entry, model, inputs);
    const got = outputs[golden.checked_output].data;
    const want = c.expected[golden.checked_output].flat(Infinity);
    let err = want.length === got.length ? 0 : Infinity;
    for (let i = 0; err !== Infinity && i < want.length; i++) {
      const d = Math.abs(got[i] - want[i]);
      if (!(d <= err)) err = Number.isNaN(d) ? Infinity : d;
    }
    const caseOk = err <= atol;
    ok = ok && caseOk;
    maxAbsError = Math.max(maxAbsError, err);
    cases.push({ name: c.name, ok: caseOk, maxAbsError: err, top: null, expectedTop: null });
  }
  return { ok, maxAbsError, tolerance: atol, cases };
}

function info(model) {
  return MODEL_INFO[model] || { what: `The model "${model}"`, fallback: 'Features that need it are turned off.' };
}

class UserError extends Error {}

const sessions = new Map(); // model -> Promise<{session, labels, inputNames, outputNames}>

function checkName(model) {
  if (typeof model !== 'string' || !/^[a-z0-9_]{1,64}$/.test(model)) {
    throw new UserError(`Unknown model name ${JSON.stringify(model)}: expected lower-case letters, digits and _.`);
  }
}

async function fetchLocal(model, file, kind) {
  const url = new URL(file, MODELS_URL);
  let res;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new UserError(`${info(model).what} could not be loaded (network error for models/${file}: ${e.message}). ` +
      info(model).fallback);
  }
  if (!res.ok) {
    throw new UserError(`${info(model).what} could not be loaded (${res.status} models/${file}). ` +
      info(model).fallback);
  }
  return kind === 'json' ? res.json() : new Uint8Array(await res.arrayBuffer());
}

async function openModel(model) {
  checkName(model);
  const t0 = performance.now();
  const [bytes, labels] = await Promise.all([
    fetchLocal(model, `${model}.onnx`, 'bytes'),
    fetchLocal(model, `${model}.labels.json`, 'json'),
  ]);
  const t1 = performance.now();
  let session;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new UserError(`${info(model).what} could not be started (${e.message || e}). ${info(model).fallback}`);
  }
  const t2 = performance.now();
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new UserError(`${info(model).what} has a damaged label file (models/${model}.labels.json). ${info(model).fallback}`);
  }
  return {
    session, labels,
    inputNames: session.inputNames.slice(), outputNames: session.outputNames.slice(),
    fetchMs: t1 - t0, createMs: t2 - t1,
  };
}

function getModel(model) {
  let p = sessions.get(model);
  if (!p) {
    p = openModel(model);
    sessions.set(model, p);
    p.catch(() => sessions.delete(model)); // a failed load may be retried later
  }
  return p;
}

async function runChroma(entry, model, chroma) {
  const width = (MODEL_INFO[model] || {}).inputSize || 12;
  if (!(chroma instanceof Float32Array)) {
    throw new UserError(`${info(model).what} needs a Float32Array of chroma values, got ${Object.prototype.toString.call(chroma)}.`);
  }
  if (chroma.length === 0 || chroma.length % width !== 0) {
    throw new UserError(`${info(model).what} needs ${width} values per frame; got ${chroma.length} values.`);
  }
  const batch = chroma.length / width;
  const input = new ort.Tensor('float32', chroma, [batch, width]);
  const out = await entry.session.run({ [entry.inputNames[0]]: input });
  const scores = out.scores, probabilities = out.probabilities;
  const n = entry.labels.length;
  if (!scores || !probabilities || scores.data.length !== batch * n || probabilities.data.length !== batch * n) {
    throw new UserError(`${info(model).what} gave outputs of an unexpected shape (labels: ${n}).`);
  }
  // copies with their own ArrayBuffer, so they can be transferred even if ort hands out views
  return { batch, scores: new Float32Array(scores.data), probabilities: new Float32Array(probabilities.data) };
}

async function selfTest(model) {
  const entry = await getModel(model);
  const golden = await fetchLocal(model, `${model}.golden.json`, 'json');
  const atol = golden.tolerance && golden.tolerance.atol;
  if (!(atol > 0) || !Array.isArray(golden.cases) || golden.cases.length === 0) {
    throw new UserError(`The golden file models/${model}.golden.json is damaged (no cases or no tolerance).`);
  }
  if (Array.isArray(golden.inputs)) return genericSelfTest(entry, model, golden, atol);
  let maxAbsError = 0, ok = true;
  const cases = [];
  for (const c of golden.cases) {
    const rows = c.chroma;
    const { scores, probabilities } = await runChroma(entry, model, Float32Array.from(rows.flat()));
    let err = 0, shapeOk = true;
    for (const [name, got] of [['scores', scores], ['probabilities', probabilities]]) {
      const want = c.expected[name].flat();
      if (want.length !== got.length) { shapeOk = false; err = Infinity; break; }
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(got[i] - want[i]);
        if (!(d <= err)) err = Number.isNaN(d) ? Infinity : d;
      }
    }
    // top label per row, compared where the golden file says it is unique
    const n = entry.labels.length, top = [];
    let topOk = true;
    for (let r = 0; shapeOk && r < rows.length; r++) {
      let best = 0;
      for (let k = 1; k < n; k++) if (scores[r * n + k] > scores[r * n + best]) best = k;
      top.push(entry.labels[best]);
      const want = c.expected_top && c.expected_top[r];
      if (want != null && want !== entry.labels[best]) topOk = false;
    }
    const caseOk = shapeOk && topOk && err <= atol;
    ok = ok && caseOk;
    maxAbsError = Math.max(maxAbsError, err);
    cases.push({ name: c.name, ok: caseOk, maxAbsError: err, top, expectedTop: c.expected_top || null });
  }
  return { ok, maxAbsError, tolerance: atol, cases };
}

async function handle(msg) {
  const { id, type, model } = msg;
  const t0 = performance.now();
  switch (type) {
    case 'load': {
      const e = await getModel(model);
      return { id, type: 'loaded', model, inputNames: e.inputNames, outputNames: e.outputNames,
        ms: performance.now() - t0, fetchMs: e.fetchMs, createMs: e.createMs };
    }
    case 'run': {
      checkName(model);
      const e = await getModel(model);
      const t1 = performance.now();
      const r = await runChroma(e, model, msg.chroma);
      return [{ id, type: 'result', model, batch: r.batch, scores: r.scores, probabilities: r.probabilities,
        labels: e.labels, ms: performance.now() - t1, totalMs: performance.now() - t0 },
        [r.scores.buffer, r.probabilities.buffer]];
    }
    case 'infer': {
      checkName(model);
      const e = await getModel(model);
      const t1 = performance.now();
      const outputs = await infer(e, model, msg.inputs);
      return [{ id, type: 'inferred', model, outputs, ms: performance.now() - t1 },
        Object.values(outputs).map((o) => o.data.buffer)];
    }
    case 'selftest': {
      checkName(model);
      const r = await selfTest(model);
      return { id, type: 'selftest', model, ...r, ms: performance.now() - t0 };
    }
    default:
      throw new UserError(`The ML worker does not know the request type ${JSON.stringify(type)}.`);
  }
}

self.onmessage = async (ev) => {
  const msg = ev.data || {};
  try {
    const reply = await handle(msg);
    if (Array.isArray(reply)) self.postMessage(reply[0], reply[1]);
    else self.postMessage(reply);
  } catch (e) {
    const message = e instanceof UserError ? e.message
      : `The ML worker failed on a "${msg.type}" request${msg.model ? ` for ${msg.model}` : ''}: ${e && e.message ? e.message : e}`;
    self.postMessage({ id: msg.id, type: 'error', message });
  }
};
