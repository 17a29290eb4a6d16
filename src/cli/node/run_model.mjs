// Runs one ONNX model on a batch of float32 rows with onnxruntime-web under Node: the same engine and
// wasm backend the browser's ML worker (web/ml/ml-worker.js) uses, so the CLI's chord answers are the
// browser's. The `etude` CLI starts this script (src/cli/model_runner.cpp); it is not a user command.
//
//   node run_model.mjs MODEL.onnx INPUT.f32 ROWS COLS OUTPUT.f32 [ORT_DIST_DIR]
//
// INPUT.f32: ROWS x COLS little-endian float32, fed to the model's first input as [ROWS, COLS].
// OUTPUT.f32: the "probabilities" output (ROWS x LABELS float32). stdout: the labels, one per line,
// from MODEL.labels.json next to the model. Single thread, local files only (wasm read from
// ORT_DIST_DIR, default: onnxruntime-web's dist/ found through Node's module resolution).
// Any failure: one line on stderr, exit 1.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main() {
  const [modelPath, inputPath, rowsText, colsText, outputPath, distArg] = process.argv.slice(2);
  if (!outputPath) fail('usage: node run_model.mjs MODEL.onnx INPUT.f32 ROWS COLS OUTPUT.f32 [ORT_DIST_DIR]');
  const rows = Number(rowsText), cols = Number(colsText);
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) fail('ROWS and COLS must be positive integers');

  // The browser build (ort.wasm.min.mjs), not the package's Node export: the engine the browser runs.
  // Found in the nearest node_modules/onnxruntime-web/dist above this script unless given.
  let dist = distArg;
  for (let dir = dirname(fileURLToPath(import.meta.url)); !dist; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'onnxruntime-web', 'dist');
    if (existsSync(join(candidate, 'ort.wasm.min.mjs'))) dist = candidate;
    else if (dirname(dir) === dir) fail('onnxruntime-web is not installed (npm ci), or set ETUDE_ORT_DIST to its dist/ folder');
  }
  dist = resolve(dist);
  const ort = await import(pathToFileURL(join(dist, 'ort.wasm.min.mjs')).href).catch((e) =>
    fail(`cannot load onnxruntime-web from ${dist}: ${e.message}`));
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = pathToFileURL(dist + '/').href;
  ort.env.logLevel = 'error';

  const bytes = readFileSync(inputPath);
  if (bytes.length !== rows * cols * 4) fail(`${inputPath}: ${bytes.length} bytes, expected ${rows * cols * 4}`);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, rows * cols);
  const labels = JSON.parse(readFileSync(modelPath.replace(/\.onnx$/, '.labels.json'), 'utf8'));

  const session = await ort.InferenceSession.create(readFileSync(modelPath), { executionProviders: ['wasm'] });
  // In batches, so that an hour of audio (~85k windows) stays within the wasm heap.
  const BATCH = 4096;
  const result = new Float32Array(rows * labels.length);
  for (let first = 0; first < rows; first += BATCH) {
    const n = Math.min(BATCH, rows - first);
    const input = new ort.Tensor('float32', data.subarray(first * cols, (first + n) * cols), [n, cols]);
    const { probabilities } = await session.run({ [session.inputNames[0]]: input });
    if (!probabilities) fail(`${modelPath} has no "probabilities" output`);
    if (probabilities.dims[1] !== labels.length) fail(`${modelPath}: ${probabilities.dims[1]} outputs but ${labels.length} labels`);
    result.set(probabilities.data, first * labels.length);
  }
  writeFileSync(outputPath, Buffer.from(result.buffer, result.byteOffset, result.byteLength));
  process.stdout.write(labels.join('\n') + '\n');
  await session.release();
}

main().catch((e) => fail(`onnxruntime-web: ${e.message || e}`));
