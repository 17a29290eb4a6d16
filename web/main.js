// Page start-up, after boot.js has checked the browser: wires the audio input and the ML worker to
// the app (etude.js, compiled from src/), and exposes window.etude for the app's EM_JS calls.
//
// window.etude: { audio, metronome, melodyPlayer, ml, settings, exportSettings(), checkChordModel(), classifyChord(),
// classifyChordWindow(), generateMelody(), stats(), fatal(what) } — the app calls these through its EM_JS bridges; stats() is read by the end-to-end
// tests and the browser benchmarks.

import { AudioInput, MicState } from './audio.js';
import { MelodyPlayer } from './melody-player.js';
import { Metronome } from './metronome.js';
import { MlClient } from './ml/ml-client.js';
import { Settings } from './settings.js';

const params = new URLSearchParams(location.search);
const canvas = document.getElementById('canvas');
const loading = document.getElementById('loading');
const micButton = document.getElementById('a11y-mic');
const mlStatus = document.getElementById('ml-status');
const startedAt = performance.now();
let audioFrames = 0;
let runtimeReady = false;

// A block of wasm memory that grows as needed; copy(values) puts a Float32Array in it and returns
// its address. One per kind of data the page hands to the app, allocated once and reused.
function heapBuffer() {
  let ptr = 0, floats = 0;
  return (values) => {
    if (floats < values.length) {
      if (ptr) Module._free(ptr);
      ptr = Module._malloc(values.length * 4);
      floats = values.length;
    }
    Module.HEAPF32.set(values, ptr >> 2);
    return ptr;
  };
}
const frameBuffer = heapBuffer();
const spectrumBuffer = heapBuffer();
const probabilityBuffer = heapBuffer();
const melodyBuffer = heapBuffer();

function fail(title, text) {
  window.etudeShowMessage(title, [text]);
}

function withCString(text, fn) {
  const size = Module.lengthBytesUTF8(text) + 1;
  const ptr = Module._malloc(size);
  try {
    Module.stringToUTF8(text, ptr, size);
    fn(ptr);
  } finally {
    Module._free(ptr);
  }
}

const audio = new AudioInput({
  sampleRate: Number(params.get('samplerate')) || 0,  // for tests; normally the device's own rate
  loopbackMs: Number(params.get('loopback')) || 0,    // test mode: a simulated room, no microphone
  onFrames(frames, count) {
    audioFrames += count;
    Module._etude_on_audio_frames(frameBuffer(frames), count);
  },
  onSpectrum(column, notesBins, melBins, linearBins) {
    Module._etude_on_spectrum(spectrumBuffer(column), notesBins, melBins, linearBins);
  },
  onState(state, detail) {
    Module._etude_on_mic_state(MicState[state], detail.sampleRate || 0, detail.latencySamples || 0,
      detail.startFrame || 0);
    micButton.textContent = state === 'running' || state === 'starting' ? 'Stop microphone' : 'Start microphone';
    if (detail.message) console.info(`Etude microphone: ${state} (${detail.message})`);
  },
});

const metronome = new Metronome({
  sampleRate: Number(params.get('samplerate')) || 0,
  onBeat: (b) => Module._etude_on_metronome_beat(b.frame, b.bar, b.beat, b.accent ? 1 : 0),
  onState: (state, message) => {
    withCString(message, (ptr) => Module._etude_on_metronome_state(state === 'running' ? 1 : 0, ptr));
  },
});

const melodyPlayer = new MelodyPlayer({
  sampleRate: Number(params.get('samplerate')) || 0,
  onNote: (event) => Module._etude_on_melody_playback(event),
  onEnd: () => Module._etude_on_melody_playback(-1),
});

const ml = new MlClient(new URL('./ml/ml-worker.js', import.meta.url));

// Settings on this device (IndexedDB), all read before the app starts so the app can read them at once.
const settings = new Settings({
  onProblem(text) {
    document.getElementById('storage-status').textContent = text;
    // Before the app runs, it reads settings.problem itself when it starts (src/platform/web/main.cpp).
    if (runtimeReady) withCString(text, (ptr) => Module._etude_on_storage_problem(ptr));
  },
});

// The chord model's state, for the app (the Chords screen) and the screen-reader mirror.
function setModelState(code, name, text) {
  mlStatus.dataset.state = name;
  mlStatus.textContent = text;
  withCString(text, (ptr) => Module._etude_on_model_state(code, ptr));
}

async function checkChordModel() {
  setModelState(1, 'loading', 'Loading the chord model…');
  const t0 = performance.now();
  try {
    const r = await ml.selfTest('chord_templates');
    const ms = Math.round(performance.now() - t0);
    if (r.ok) {
      setModelState(2, 'ready', `Chord template scorer (24 major and minor triads), loaded in ${ms} ms. ` +
        `Self-test passed on ${r.cases.length} known answers (largest error ${r.maxAbsError.toExponential(1)}).`);
    } else {
      setModelState(3, 'failed', `The chord model loaded but failed its self-test (largest error ` +
        `${r.maxAbsError.toExponential(1)}), so it is switched off. Everything else still works.`);
    }
  } catch (err) {
    setModelState(3, 'failed', `${err.message} Everything else still works.`);
  }
}

// Live chords: score one chroma vector and hand the top three guesses to the app.
async function classifyChord(chroma) {
  let text = '';
  try {
    const r = await ml.run('chord_templates', chroma);
    const order = [...r.probabilities.keys()].sort((a, b) => r.probabilities[b] - r.probabilities[a]).slice(0, 3);
    text = order.map((i) => `${r.labels[i]} ${r.probabilities[i].toFixed(4)}`).join('\n');
  } catch (err) {
    setModelState(3, 'failed', `${err.message} Everything else still works.`);
  }
  withCString(text, (ptr) => Module._etude_on_chord_result(ptr));
}

// Live chords with the trained classifier: a batch of windows (the first is the live one, the rest
// its occluded copies) goes to the worker; the probabilities and labels go back to the app.
let classifierLabels = null;  // {ptr}: the labels as one C string, made once
const chordWindowRequests = { calls: 0, rows: 0, explained: 0 };  // what the app asked of the worker (stats())
async function classifyChordWindow(batch, rows) {
  chordWindowRequests.calls += 1;
  chordWindowRequests.rows += rows;
  if (rows > 1) chordWindowRequests.explained += 1;
  try {
    const r = await ml.run('chord_classifier', batch);
    if (!classifierLabels) {
      const text = r.labels.join('\n');
      const size = Module.lengthBytesUTF8(text) + 1;
      classifierLabels = { ptr: Module._malloc(size) };
      Module.stringToUTF8(text, classifierLabels.ptr, size);
    }
    Module._etude_on_chord_probabilities(probabilityBuffer(r.probabilities), rows, r.labels.length, classifierLabels.ptr);
  } catch (err) {
    withCString(err.message, (ptr) => Module._etude_on_chord_classifier_failed(ptr));
  }
}

// "Save a copy" of the data on this device: a JSON file the student can keep or show a teacher.
function exportSettings() {
  const text = JSON.stringify({ app: 'Etude', kind: 'settings on this device', saved: new Date().toISOString(),
    settings: settings.all() }, null, 2);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'etude-data.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The melody generator: rows of noise and conditions in, its probabilities (rows x 64 x 39) back to
// the app, which decodes them (src/ml/melody_codec.cpp). A failure goes back as a sentence.
async function generateMelody(noise, conditions, rows) {
  try {
    const r = await ml.infer('melody_gan', {
      noise: { data: noise, dims: [rows, noise.length / rows] },
      condition: { data: conditions, dims: [rows, conditions.length / rows] },
    });
    const p = r.outputs.probabilities;
    if (!p) throw new Error('The melody generator gave no probabilities. Exercises will use the rule-based generator.');
    Module._etude_on_melody_probabilities(melodyBuffer(p.data), rows, p.data.length);
  } catch (err) {
    withCString(err.message, (ptr) => Module._etude_on_melody_failed(ptr));
  }
}

window.etude = {
  audio,
  metronome,
  melodyPlayer,
  ml,
  settings,
  exportSettings,
  checkChordModel,
  classifyChord,
  classifyChordWindow,
  generateMelody,
  stats: () => ({
    framesDrawn: runtimeReady ? Module._etude_frames_drawn() : 0,
    firstFrameMs: runtimeReady ? Module._etude_first_frame_ms() : -1,  // performance.now() of the first frame
    drawMsTotal: runtimeReady ? Module._etude_draw_ms_total() : 0,     // time spent drawing frames
    scriptStartMs: startedAt,
    audioFrames,
    audioTransport: audio.transport,  // 'shared-memory' (the audio thread allocates nothing) or 'messages'
    audioFramesDropped: audio.framesDropped(),
    chordWindowRequests: { ...chordWindowRequests },  // trained-classifier calls, rows in them, calls with the explanation
  }),
  fatal(what) {
    if (what === 'webgl2') fail('Etude could not start its graphics', 'WebGL 2 is turned off or not working in this browser. Try another browser, or ask your teacher whether graphics acceleration is blocked.');
  },
};

for (const b of document.querySelectorAll('#a11y-screens button')) {
  b.addEventListener('click', () => { if (runtimeReady) Module._etude_show_screen(Number(b.dataset.screen)); });
}

document.getElementById('a11y-mic-check').addEventListener('click', () => { if (runtimeReady) Module._etude_start_mic_check(); });
document.getElementById('a11y-calibrate').addEventListener('click', () => { if (runtimeReady) Module._etude_start_calibration(0); });
document.getElementById('a11y-export').addEventListener('click', exportSettings);
document.getElementById('a11y-delete').addEventListener('click', () => { if (runtimeReady) Module._etude_forget_settings(); });
const conditionsForm = document.getElementById('a11y-melody-conditions');
conditionsForm.addEventListener('change', () => {
  const v = (name) => Number(conditionsForm.elements[name].value);
  if (runtimeReady) Module._etude_set_melody_conditions(v('key'), v('mode'), v('difficulty'), v('meter'), v('bars'));
});
document.getElementById('a11y-generate').addEventListener('click', () => { if (runtimeReady) Module._etude_generate_melody(); });
document.getElementById('a11y-practise').addEventListener('click', () => {
  if (runtimeReady) Module._etude_practise_melody(document.getElementById('a11y-guide').checked ? 1 : 0);
});
document.getElementById('a11y-play-melody').addEventListener('click', () => { if (runtimeReady) Module._etude_toggle_melody_playback(); });
document.getElementById('a11y-metronome').addEventListener('click', () => { if (runtimeReady) Module._etude_toggle_metronome(); });

micButton.addEventListener('click', () => {
  if (audio.session || audio.starting) audio.stop(); else audio.start();
});

window.Module = {
  canvas,
  print: (text) => console.log(text),
  printErr: (text) => console.warn(text),
  onRuntimeInitialized() {
    runtimeReady = true;
    loading.hidden = true;
  },
  onAbort(what) {
    fail('Etude stopped unexpectedly', `Reload the page to start again. (${what})`);
  },
};

// Offline after the first visit (web/sw.js). A failure here costs only the offline copy.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').catch((err) => console.info(`Etude works online only here: ${err.message}`));
}

await settings.open();
const app = document.createElement('script');
app.src = 'etude.js';
app.onerror = () => fail('Etude could not load', 'Part of the app did not download. Check the connection and reload the page.');
document.body.appendChild(app);
