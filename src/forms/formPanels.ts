import type * as vscode from 'vscode';
import type { Log } from '../ui/log';
import type { ErrorContext } from '../ui/describeError';
import { FormPanel, type FormDefinition } from './formPanel';

interface Message {
  type: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFormPanel = FormPanel<any, Message, Message>;

/**
 * The open registration forms, one per kind: opening a form that is already open shows it
 * again with its draft. Owns the panels (disposed with the extension).
 */
export class FormPanels implements vscode.Disposable {
  private readonly open = new Map<string, AnyFormPanel>();
  private last: AnyFormPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly errorContext: () => ErrorContext,
  ) {}

  /** The form opened or revealed last, while it is open (the integration tests drive it). */
  get lastPanel(): AnyFormPanel | undefined {
    return this.last && !this.last.isDisposed ? this.last : undefined;
  }

  get(viewType: string): AnyFormPanel | undefined {
    return this.open.get(viewType);
  }

  /**
   * Shows the form. An open one of the same kind is revealed, and `update` may change its draft
   * (e.g. a run chosen from the tree); its webview then gets the new draft.
   */
  show<D, W extends Message, H extends Message>(
    definition: FormDefinition<D, W, H>,
    initialDraft: D,
    update?: (draft: D) => D,
  ): FormPanel<D, W, H> {
    let existing = this.open.get(definition.viewType) as FormPanel<D, W, H> | undefined;
    if (existing && existing.definition.scope !== definition.scope) {
      existing.dispose();
      existing = undefined;
    }
    if (existing && !existing.isDisposed) {
      if (update) {
        existing.draft = update(existing.draft);
        void existing.receive({ type: 'ready' });
      }
      existing.reveal();
      this.last = existing;
      return existing;
    }
    const panel = new FormPanel(this.extensionUri, definition, update ? update(initialDraft) : initialDraft, this.log, this.errorContext);
    this.open.set(definition.viewType, panel);
    panel.onDidDispose(() => {
      if (this.open.get(definition.viewType) === panel) this.open.delete(definition.viewType);
    });
    this.last = panel;
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
    this.open.clear();
  }
}
