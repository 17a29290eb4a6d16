// Shared by the AudioWorklet processors: instantiate the standalone dsp.wasm synchronously.
// It is standalone: its only possible imports are WASI exits from libc's abort paths, which correct
// code never reaches; each becomes an error that stops the processor with a message.
export function instantiateDsp(wasmBytes, what) {
  const module = new WebAssembly.Module(wasmBytes);
  const imports = {};
  for (const { module: ns, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') throw new Error(`dsp.wasm needs an unexpected import ${ns}.${name}`);
    (imports[ns] ||= {})[name] = () => { throw new Error(`the ${what} stopped (${name})`); };
  }
  const ex = new WebAssembly.Instance(module, imports).exports;
  if (ex._initialize) ex._initialize();
  return ex;
}
