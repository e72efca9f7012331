/** The webview's side of the channel to the extension host, and its saved state. */

interface VsCodeWebviewApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeWebviewApi<S>;

export interface HostChannel<S, W, H> {
  post(message: W): void;
  /** Messages from the host; only objects with a string `type` are passed on. */
  listen(onMessage: (message: H) => void): void;
  /** What setState kept while the panel was hidden (secrets are never put there). */
  readonly savedState: S | undefined;
  saveState(state: S): void;
}

/** Connects once; the VS Code API object stays inside this closure, out of global scope. */
export function connectToHost<S, W, H>(): HostChannel<S, W, H> {
  const api = acquireVsCodeApi<S>();
  return {
    post: (message) => api.postMessage(message),
    listen: (onMessage) => window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') onMessage(data as H);
    }),
    savedState: api.getState(),
    saveState: (state) => api.setState(state),
  };
}
