/**
 * What every registration form does around its fields: it holds the draft, keeps it in the
 * webview's state and tells the host about each change, mounts the form on `init`, answers the
 * host's common messages, and sends one request at a time (submit, or a form's own check).
 */
import * as l10n from '@vscode/l10n';
import type { CommonHostMessage, CommonWebviewMessage, StatusKind } from '../forms/protocol';
import { attentionSentence, type ErrorDisplay, type FormShell } from './formShell';
import { connectToHost, type HostChannel } from './host';

/** What a form's build step gives back to the controller. */
export interface FormView<F extends string> {
  shell: FormShell;
  errors: ErrorDisplay<F>;
  /** Shows what the draft needs now; `focusInvalid` after a failed submit. */
  refresh(focusInvalid?: boolean): void;
}

type ShownStatus = { kind: StatusKind; message: string };

/** What the webview keeps while its panel is hidden (never secrets). */
interface KeptState<D, F> {
  draft: D;
  edited: F[];
  /** The sentence under the form (a check's result), shown again when the panel is. */
  status?: ShownStatus;
}

export interface FormSpec<D, F extends string, O, V extends FormView<F>, H, W> {
  /** The draft until the host's arrives. */
  emptyDraft: D;
  /** A draft from what the host sent or the webview kept, defaults from `base`. */
  toDraft(raw: unknown, base: D): D;
  /** The draft as the webview may keep it: without secrets. */
  keepable(draft: D): D;
  build(form: FormController<D, F, W>, options: O): V;
  /** After `init` put the form on the page. */
  mounted?(view: V): void;
  /** Host messages other than `init` and the common ones. */
  onMessage?(message: H, view: V): void;
}

export class FormController<D, F extends string, W> {
  private view: FormView<F> | undefined;
  private waiting = false;
  private status: ShownStatus | undefined;

  constructor(
    private readonly host: HostChannel<KeptState<D, F>, W | CommonWebviewMessage<D>, unknown>,
    private readonly keepable: (draft: D) => D,
    public draft: D,
  ) {
    this.status = host.savedState?.status;
  }

  /** Puts a built form on the page, with what was kept: edited fields and the last status. */
  mount(root: HTMLElement, view: FormView<F>): void {
    this.view = view;
    view.errors.restoreEdited(this.host.savedState?.edited ?? []);
    root.replaceChildren(view.shell.root);
    root.setAttribute('aria-busy', 'false');
    view.refresh();
    if (this.status) view.shell.showStatus(this.status.kind, this.status.message);
  }

  /** Handles a message every form receives (CommonHostMessage); false for one the form must handle. */
  handleCommon(message: { type: string }): boolean {
    const common = message as CommonHostMessage<F>;
    const view = this.view;
    switch (common.type) {
      case 'fieldErrors':
        view?.errors.setHostErrors(common.errors);
        view?.refresh(true);
        return true;
      case 'busy':
        view?.shell.setBusy(common.message);
        return true;
      case 'idle':
        this.waiting = false;
        view?.shell.setBusy(undefined);
        return true;
      case 'status':
        view?.shell.showStatus(common.kind, common.message);
        this.status = { kind: common.kind, message: common.message };
        this.keep();
        return true;
      case 'saved':
        view?.shell.setBusy(undefined);
        view?.shell.showStatus('success', common.message);
        return true;
      default:
        return false;
    }
  }

  /** Changes the draft without a change of its own (a field that follows another). */
  update(values: Partial<D>): void {
    this.draft = { ...this.draft, ...values };
  }

  /**
   * The user (or a choice made for them) changed a field: errors and visibility follow, the last
   * status goes, and the draft is kept and sent to the host. `edited` marks the field as the
   * user's, so its errors show from now on.
   */
  change<K extends keyof D>(field: K, value: D[K], edited = true): void {
    this.draft = { ...this.draft, [field]: value };
    if (edited) this.view?.errors.edited(field as unknown as F);
    this.view?.shell.showStatus(undefined);
    this.status = undefined;
    this.view?.refresh();
    this.keep();
    this.host.post({ type: 'draftChanged', draft: this.draft });
  }

  /** Submits unless the rules find a field that needs attention (then says which, and focuses it). */
  submit(ruleErrors: () => Partial<Record<F, string>>, busyMessage = l10n.t('Registering…')): void {
    const view = this.view;
    if (this.waiting || !view) return;
    view.errors.revealAll();
    const blocking = view.errors.blocking(ruleErrors());
    view.refresh(true);
    if (blocking.length > 0) {
      view.shell.showStatus('error', attentionSentence(l10n.t('Not registered.'), blocking));
      return;
    }
    this.request(busyMessage, { type: 'submit', draft: this.draft });
  }

  /** Sends a request the host answers with `idle`; one at a time. */
  request(busyMessage: string, message: W | CommonWebviewMessage<D>): void {
    if (this.waiting || !this.view) return;
    this.waiting = true;
    this.view.shell.showStatus(undefined);
    this.view.shell.setBusy(busyMessage);
    this.host.post(message);
  }

  post(message: W | CommonWebviewMessage<D>): void {
    this.host.post(message);
  }

  private keep(): void {
    this.host.saveState({ draft: this.keepable(this.draft), edited: this.view?.errors.editedFields ?? [], ...(this.status ? { status: this.status } : {}) });
  }
}

/** Starts a form in its webview: connects to the host, mounts the form on `init`, and says `ready`. */
export function startForm<D, F extends string, O, V extends FormView<F>, H extends { type: string }, W>(
  spec: FormSpec<D, F, O, V, H | { type: 'init'; draft: D; options: O }, W>,
): void {
  const root = document.getElementById('form-root')!;
  const host = connectToHost<KeptState<D, F>, W | CommonWebviewMessage<D>, H | { type: 'init'; draft: D; options: O }>();
  // The host's draft in `init` wins over the kept one, which is the fallback.
  const kept = host.savedState?.draft;
  const form = new FormController<D, F, W>(host, spec.keepable, kept ? spec.toDraft(kept, spec.emptyDraft) : spec.emptyDraft);
  let view: V | undefined;
  host.listen((message) => {
    if (form.handleCommon(message)) return;
    if (message.type === 'init') {
      const init = message as { type: 'init'; draft: D; options: O };
      form.update(spec.toDraft(init.draft, form.draft));
      view = spec.build(form, init.options);
      form.mount(root, view);
      spec.mounted?.(view);
    } else if (view) {
      spec.onMessage?.(message, view);
    }
  });
  host.post({ type: 'ready' });
}
