// Preloaded (`node --require`) into the CLI by tests that check it prints no runtime warning.
// Node 20 (the VS Code extension host's) and early Node 22 warn (MaxListenersExceededWarning)
// once an AbortSignal has more than ten abort listeners; Node 24 no longer counts them for
// AbortSignal. This gives every signal the older limit, so the test holds on any Node.
const { setMaxListeners } = require('node:events');

const NativeAbortController = globalThis.AbortController;
globalThis.AbortController = class AbortController extends NativeAbortController {
  constructor() {
    super();
    setMaxListeners(10, this.signal);
  }
};
