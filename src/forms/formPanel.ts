import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { describeError, type ErrorContext } from '../ui/describeError';
import { UserCancelledError, vscodePrompts, type ConfirmOptions, type Prompts } from '../ui/prompts';
import type { Log } from '../ui/log';
import { webviewHtml } from '../ui/webviewHtml';

interface Message {
  type: string;
}

/** What differs between the registration forms. */
export interface FormDefinition<D, W extends Message, H extends Message> {
  /** The webview panel's view type, e.g. `azureml.registerDatastore`. */
  readonly viewType: string;
  /** What the form does, e.g. "Register Datastore" (log lines). */
  readonly title: string;
  /** The panel's title: what the form does, and for which workspace (forms of two workspaces can be open). */
  readonly panelTitle: string;
  /** The form's bundle in `media/webview/`. */
  readonly script: string;
  /** What the form works on (the workspace): a form with another scope opens its own panel. */
  readonly scope: string;
  /** An untrusted message from the webview, checked and with its draft rebuilt; undefined when malformed. */
  parse(raw: unknown, current: D): W | undefined;
  withoutSecrets(draft: D): D;
  /**
   * The `init` message for a (re)loaded webview. `draft` answers the draft as it is when called:
   * call it after the options are loaded, so what the user typed meanwhile is not lost.
   */
  initMessage(draft: () => D): Promise<H>;
  /** Every message except `ready`, `draftChanged` and `cancel`. */
  handle(message: W, panel: FormPanel<D, W, H>): Promise<void>;
}

/**
 * A "no" to a question: the prompts' UserCancelledError. A scripted prompt bundled apart from
 * the extension (the integration tests) throws its own copy of the class, known by its name.
 */
function isCancel(error: unknown): boolean {
  return error instanceof UserCancelledError || (error instanceof Error && error.constructor.name === UserCancelledError.name);
}

/** Messages that start work the user waits for; one at a time. */
const exclusiveMessages = new Set(['submit', 'checkConnection']);

/**
 * One registration form in a webview panel. The host keeps the draft while the panel is hidden
 * (the webview is then destroyed) and replays it when the webview says `ready` again, secrets
 * included only until the first submit. Every message from the webview is checked before use.
 */
export class FormPanel<D, W extends Message, H extends Message> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private currentDraft: D;
  private secretsReplayable = true;
  private working: Promise<void> | undefined;
  private disposed = false;
  private readonly posted = new vscode.EventEmitter<H>();
  private readonly closed = new vscode.EventEmitter<void>();
  /** Each message as it is posted to the webview; nothing keeps it afterwards. */
  readonly onDidPost = this.posted.event;
  readonly onDidDispose = this.closed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    readonly definition: FormDefinition<D, W, H>,
    initialDraft: D,
    private readonly log: Log,
    /** What error messages are written for (the connection, and how it signs in). */
    private readonly errorContext: () => ErrorContext,
    /** How the form asks the user (tests script the answers). */
    private readonly prompts: () => Prompts = () => vscodePrompts,
  ) {
    this.currentDraft = initialDraft;
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(definition.viewType, definition.panelTitle, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    this.panel.iconPath = vscode.Uri.joinPath(media, 'azureml.svg');
    const webview = this.panel.webview;
    const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(media, ...segments)).toString();
    webview.html = webviewHtml({
      title: definition.panelTitle,
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: asset('webview', definition.script),
      styleUris: [asset('codicons', 'codicon.css'), asset('forms.css')],
      messages: vscode.l10n.bundle,
      language: vscode.env.language,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      this.panel.onDidDispose(() => this.dispose()),
      this.posted,
      this.closed,
    );
  }

  get draft(): D {
    return this.currentDraft;
  }

  set draft(draft: D) {
    this.currentDraft = this.secretsReplayable ? draft : this.definition.withoutSecrets(draft);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * After a submit, secrets are never sent back to the webview: the kept draft loses them, and
   * later drafts from the webview are kept without them.
   */
  forgetSecrets(): void {
    this.secretsReplayable = false;
    this.currentDraft = this.definition.withoutSecrets(this.currentDraft);
  }

  /** A modal question: true when the user confirms, false when they do not. */
  async confirm(options: ConfirmOptions): Promise<boolean> {
    try {
      await (this.prompts().confirm ?? vscodePrompts.confirm!)(options);
      return true;
    } catch (error) {
      if (isCancel(error)) return false;
      throw error;
    }
  }

  post(message: H): void {
    if (this.disposed) return;
    this.posted.fire(message);
    void this.panel.webview.postMessage(message);
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Handles one message from the webview (the tests call this to drive the form). */
  async receive(raw: unknown): Promise<void> {
    if (this.disposed) return;
    const message = this.definition.parse(raw, this.currentDraft);
    if (!message) {
      this.log.warn(vscode.l10n.t('{0}: ignored a malformed message from the webview.', this.definition.title));
      return;
    }
    switch (message.type) {
      case 'ready':
        // The draft is read when the options are in: text typed while they load is kept.
        return this.run(async () => this.post(await this.definition.initMessage(
          () => (this.secretsReplayable ? this.currentDraft : this.definition.withoutSecrets(this.currentDraft)))));
      case 'draftChanged':
        this.draft = (message as unknown as { draft: D }).draft;
        return;
      case 'cancel':
        this.dispose();
        return;
      default:
        if (exclusiveMessages.has(message.type)) {
          if (this.working) return;
          // Whatever happened, the webview stops waiting (a failed validation posts no other end).
          this.working = this.run(() => this.definition.handle(message, this)).finally(() => {
            this.working = undefined;
            this.post({ type: 'idle' } as H);
          });
          return this.working;
        }
        return this.run(() => this.definition.handle(message, this));
    }
  }

  /** Runs a handler; a failure becomes one sentence under the form, its details go to the log. */
  private async run(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isCancel(error)) {
        this.post({ type: 'idle' } as H);
        return;
      }
      this.log.error(vscode.l10n.t('{0} failed', this.definition.title), error);
      this.post({ type: 'idle' } as H);
      this.post({ type: 'status', kind: 'error', message: describeError(error, this.errorContext()).message } as unknown as H);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.closed.fire();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
