import type * as vscode from 'vscode';
import type { Log } from '../ui/log';
import type { ErrorContext } from '../ui/describeError';
import { vscodePrompts, type Prompts } from '../ui/prompts';
import { FormPanel, type FormDefinition } from './formPanel';

interface Message {
  type: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFormPanel = FormPanel<any, Message, Message>;

/** One open form per kind and workspace. */
function keyOf(viewType: string, scope: string): string {
  return `${viewType}\n${scope}`;
}

/**
 * The open registration forms, one per kind and workspace: opening a form that is already open
 * for that workspace shows it again with its draft; opening it for another workspace opens a
 * second panel (titled with its workspace), so a half-filled form is never thrown away.
 * Owns the panels (disposed with the extension).
 */
export class FormPanels implements vscode.Disposable {
  private readonly open = new Map<string, AnyFormPanel>();
  private last: AnyFormPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly errorContext: () => ErrorContext,
    /** How forms ask the user (a modal confirmation); the tests script the answers. */
    private readonly prompts: () => Prompts = () => vscodePrompts,
  ) {}

  /** The form opened or revealed last, while it is open (the integration tests drive it). */
  get lastPanel(): AnyFormPanel | undefined {
    return this.last && !this.last.isDisposed ? this.last : undefined;
  }

  /** The open form of this kind for the workspace `scope`. */
  get(viewType: string, scope: string): AnyFormPanel | undefined {
    return this.open.get(keyOf(viewType, scope));
  }

  /**
   * Shows the form. An open one of the same kind and workspace is revealed, and `update` may
   * change its draft (e.g. a run chosen from the tree); its webview then gets the new draft.
   */
  show<D, W extends Message, H extends Message>(
    definition: FormDefinition<D, W, H>,
    initialDraft: D,
    update?: (draft: D) => D,
  ): FormPanel<D, W, H> {
    const key = keyOf(definition.viewType, definition.scope);
    const existing = this.open.get(key) as FormPanel<D, W, H> | undefined;
    if (existing && !existing.isDisposed) {
      if (update) {
        existing.draft = update(existing.draft);
        void existing.receive({ type: 'ready' });
      }
      existing.reveal();
      this.last = existing;
      return existing;
    }
    const panel = new FormPanel(this.extensionUri, definition, update ? update(initialDraft) : initialDraft, this.log, this.errorContext, this.prompts);
    this.open.set(key, panel);
    panel.onDidDispose(() => {
      if (this.open.get(key) === panel) this.open.delete(key);
    });
    this.last = panel;
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
    this.open.clear();
  }
}
