// Main-thread client for the ML worker (web/ml/ml-worker.js). No globals; the app owns the instance.
//
//   import { MlClient } from './ml/ml-client.js';
//   const ml = new MlClient(new URL('./ml/ml-worker.js', import.meta.url));
//   await ml.load('chord_templates');                    // {model, inputNames, outputNames, ms, ...}
//   const r = await ml.run('chord_templates', chroma);   // chroma: Float32Array(N*12) → {scores, probabilities, labels, ms}
//   const t = await ml.selfTest('chord_templates');      // {ok, maxAbsError, cases, ms}
//   const o = await ml.infer('melody_gan', {noise: {data, dims: [1, 32]}, condition: {data, dims: [1, 28]}});
//   ml.terminate();
//
// The worker is created on first use. Every promise rejects with an Error whose message can be shown to
// the student as is: an error reply from the worker, the worker itself failing (its script or
// onnxruntime could not load), or no answer within the timeout. After the worker fails, the next call
// starts a fresh one.

export class MlClient {
  /**
   * @param {string|URL} workerUrl  URL of ml-worker.js
   * @param {{timeoutMs?: number}} [options]  per-request timeout, default 30 s
   */
  constructor(workerUrl, options = {}) {
    this._url = workerUrl;
    this._timeoutMs = options.timeoutMs ?? 30000;
    this._worker = null;
    this._nextId = 1;
    this._pending = new Map(); // id -> {resolve, reject, timer}
  }

  load(model) { return this._request({ type: 'load', model }); }

  /** @param {Float32Array} chroma N*12 values; transferred to the worker only if `transfer` is true. */
  run(model, chroma, { transfer = false } = {}) {
    if (!(chroma instanceof Float32Array)) {
      return Promise.reject(new Error('MlClient.run needs a Float32Array of chroma values.'));
    }
    return this._request({ type: 'run', model, chroma }, transfer ? [chroma.buffer] : []);
  }

  selfTest(model) { return this._request({ type: 'selftest', model }); }

  /** Any model: inputs {name: {data: Float32Array, dims}} → outputs of the same form. */
  infer(model, inputs) { return this._request({ type: 'infer', model, inputs }); }

  terminate() {
    if (this._worker) {
      this._worker.terminate();
      this._worker = null;
    }
    this._failAll(new Error('The ML worker was stopped.'));
  }

  _ensureWorker() {
    if (this._worker) return this._worker;
    const w = new Worker(this._url, { type: 'module' });
    w.onmessage = (ev) => this._onMessage(ev.data);
    w.onerror = (ev) => {
      if (ev && typeof ev.preventDefault === 'function') ev.preventDefault();
      const detail = ev && ev.message ? `: ${ev.message}` : ' (its script or onnxruntime-web could not be loaded)';
      this._crashed(new Error(`The ML worker stopped working${detail}. Model features are unavailable; reload the page to try again.`));
    };
    w.onmessageerror = () => {
      this._crashed(new Error('The ML worker sent a message that could not be read.'));
    };
    this._worker = w;
    return w;
  }

  _crashed(err) {
    if (this._worker) {
      this._worker.terminate();
      this._worker = null;
    }
    this._failAll(err);
  }

  _failAll(err) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }

  _request(msg, transfer = []) {
    let worker;
    try {
      worker = this._ensureWorker();
    } catch (e) {
      return Promise.reject(new Error(`The ML worker could not be started: ${e.message}`));
    }
    const id = this._nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this._pending.delete(id)) {
          reject(new Error(`The ML worker did not answer a "${msg.type}" request for ${msg.model} within ${Math.round(this._timeoutMs / 1000)} s.`));
        }
      }, this._timeoutMs);
      this._pending.set(id, { resolve, reject, timer });
      try {
        worker.postMessage({ ...msg, id }, transfer);
      } catch (e) {
        this._pending.delete(id);
        clearTimeout(timer);
        reject(new Error(`Could not send a "${msg.type}" request to the ML worker: ${e.message}`));
      }
    });
  }

  _onMessage(data) {
    const p = data && this._pending.get(data.id);
    if (!p) return; // a reply after its timeout: dropped
    this._pending.delete(data.id);
    clearTimeout(p.timer);
    if (data.type === 'error') p.reject(new Error(data.message || 'The ML worker reported an unknown error.'));
    else p.resolve(data);
  }
}
