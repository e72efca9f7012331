/** What both forms do with the host messages they share (CommonHostMessage). */
import type { CommonHostMessage, StatusKind } from '../forms/protocol';
import type { ErrorDisplay, FormShell } from './formShell';

export interface CommonMessageTarget<F extends string> {
  form: { errors: ErrorDisplay<F>; shell: FormShell; refresh(showAll?: boolean): void } | undefined;
  /** The host finished a request: the form may send another. */
  onIdle(): void;
  /** A check's result, kept to show again when the panel is. */
  onStatus(status: { kind: StatusKind; message: string }): void;
}

/** Handles a shared message; returns false for a message this form must handle itself. */
export function handleCommonMessage<F extends string>(message: { type: string }, target: CommonMessageTarget<F>): boolean {
  const common = message as CommonHostMessage<F>;
  const { form } = target;
  switch (common.type) {
    case 'fieldErrors':
      form?.errors.setHostErrors(common.errors);
      form?.refresh(true);
      return true;
    case 'busy':
      form?.shell.setBusy(common.message);
      return true;
    case 'idle':
      target.onIdle();
      form?.shell.setBusy(undefined);
      return true;
    case 'status':
      form?.shell.showStatus(common.kind, common.message);
      target.onStatus({ kind: common.kind, message: common.message });
      return true;
    case 'saved':
      form?.shell.setBusy(undefined);
      form?.shell.showStatus('success', common.message);
      return true;
    default:
      return false;
  }
}
