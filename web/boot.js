// Feature check before anything heavy loads. Written in plain ES5 so that an old browser can still
// run it and say what it needs instead of showing a blank page.
(function () {
  'use strict';

  function showMessage(title, paragraphs, list) {
    var html = '<main class="message" id="unsupported"><h1>' + title + '</h1>';
    for (var i = 0; i < paragraphs.length; i++) {
      html += '<p>' + paragraphs[i] + '</p>';
      // The list (what is missing) follows the first paragraph, which introduces it.
      if (i === 0 && list && list.length) {
        html += '<ul>';
        for (var j = 0; j < list.length; j++) html += '<li>' + list[j] + '</li>';
        html += '</ul>';
      }
    }
    document.body.className = 'fallback';
    document.body.innerHTML = html + '</main>';
  }
  window.etudeShowMessage = showMessage;

  if (!window.isSecureContext) {
    showMessage('Open Etude from its secure link',
      ['Browsers only let a page use the microphone and the features Etude needs when it comes from an ' +
       'https:// address (or from this computer, http://localhost). Ask your teacher for the https:// link.']);
    return;
  }

  var missing = [];
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') missing.push('WebAssembly');
  // The audio analyser uses 128-bit SIMD: a module whose one function splats and counts bits in a v128.
  else if (!WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
    10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]))) missing.push('WebAssembly SIMD');
  var gl = null;
  try { gl = document.createElement('canvas').getContext('webgl2'); } catch (e) { gl = null; }
  if (!gl) missing.push('WebGL 2 graphics');
  else if (gl.getExtension('WEBGL_lose_context')) gl.getExtension('WEBGL_lose_context').loseContext();
  if (typeof window.AudioWorkletNode !== 'function') missing.push('AudioWorklet (Web Audio)');
  if (typeof window.Worker !== 'function') missing.push('Web Workers');

  if (missing.length) {
    showMessage('Etude needs a newer browser',
      ['This browser is missing what Etude needs to listen and draw:',
       'Please open this link in an up-to-date Chrome or Edge (version 91 or newer), Firefox (89 or newer) ' +
       'or Safari (16.4 or newer). On a school Chromebook, make sure ChromeOS is up to date; if graphics ' +
       'are turned off by your school, ask your teacher.'],
      missing);
    return;
  }

  var main = document.createElement('script');
  main.type = 'module';
  main.src = 'main.js';
  document.head.appendChild(main);
})();
