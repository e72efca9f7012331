/** The webview's side of the channel to the extension host, and its saved state. */

interface VsCodeWebviewApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeWebviewApi<S>;

export interface HostChannel<S, W> {
  post(message: W): void;
  /** What setState kept while the panel was hidden (secrets are never put there). */
  readonly savedState: S | undefined;
  saveState(state: S): void;
}

/** Connects once; the VS Code API object stays inside this closure, out of global scope. */
export function connectToHost<S, W, H>(onMessage: (message: H) => void): HostChannel<S, W> {
  const api = acquireVsCodeApi<S>();
  window.addEventListener('message', (event: MessageEvent<H>) => {
    const data: unknown = event.data;
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') onMessage(data as H);
  });
  return {
    post: (message) => api.postMessage(message),
    savedState: api.getState(),
    saveState: (state) => api.setState(state),
  };
}
