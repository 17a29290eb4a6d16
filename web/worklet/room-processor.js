// AudioWorkletProcessor 'etude-room': the simulated room of the ?loopback= test mode. It delays what
// Etude plays by an exact number of frames (processorOptions.delayFrames), like a loudspeaker heard
// by a microphone. (A DelayNode was not exact here: Chrome pauses an idle delay line.)

class EtudeRoom extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const delay = Math.max(1, Math.round(options.processorOptions.delayFrames));
    this.line = new Float32Array(delay + 1024);
    this.delay = delay;
    this.write = 0;
  }

  process(inputs, outputs) {
    const input = inputs[0] && inputs[0][0];
    const out = outputs[0][0];
    const size = this.line.length;
    for (let i = 0; i < out.length; i++) {
      this.line[this.write] = input ? input[i] : 0;
      out[i] = this.line[(this.write - this.delay + size) % size];
      this.write = (this.write + 1) % size;
    }
    return true;
  }
}

registerProcessor('etude-room', EtudeRoom);
