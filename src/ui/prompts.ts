import * as vscode from 'vscode';

/** The user dismissed a prompt: the command stops and shows nothing. */
export class UserCancelledError extends Error {
  constructor() {
    super(vscode.l10n.t('Canceled by the user.'));
  }
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export interface PickOptions {
  title: string;
  placeHolder?: string;
}

export interface ConfirmOptions {
  message: string;
  detail: string;
  /** The button that goes ahead, e.g. "Unregister". */
  confirm: string;
}

export interface OpenDialogOptions {
  title: string;
  /** The dialog's button, e.g. "Download Here". */
  openLabel: string;
  defaultPath?: string;
}

/** Everything a command asks the user. Tests replace it with scripted answers. */
export interface Prompts {
  pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T>;
  pickMany<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T[]>;
  input(options: vscode.InputBoxOptions & { title: string }): Promise<string>;
  /** A modal question; throws UserCancelledError unless the user confirms. Scripted prompts may leave it out. */
  confirm?(options: ConfirmOptions): Promise<void>;
  /** A local folder (absolute path). Scripted prompts may leave it out. */
  pickFolder?(options: OpenDialogOptions): Promise<string>;
  /** One or more local files (absolute paths). Scripted prompts may leave it out. */
  pickFiles?(options: OpenDialogOptions): Promise<string[]>;
  /** Opens a web page in the user's browser. Scripted prompts may leave it out (or record it). */
  openExternal?(url: string): Promise<void>;
  /** Where to save a file (absolute path). Scripted prompts may leave it out. */
  pickSaveFile?(options: SaveDialogOptions): Promise<string>;
  /**
   * A notification offering a choice (not modal): the action chosen, or undefined when it is
   * closed. Scripted prompts may leave it out.
   */
  offer?(message: string, actions: string[]): Promise<string | undefined>;
}

export interface SaveDialogOptions {
  title: string;
  defaultPath: string;
  /** e.g. `{ CSV: ['csv'] }`. */
  filters: Record<string, string[]>;
}

export const vscodePrompts: Prompts = {
  async pick(items, options) {
    const picked = await vscode.window.showQuickPick(items, { ...options, ignoreFocusOut: true, matchOnDescription: true });
    if (!picked) throw new UserCancelledError();
    return picked.value;
  },
  async pickMany(items, options) {
    const picked = await vscode.window.showQuickPick(items, { ...options, canPickMany: true, ignoreFocusOut: true });
    if (!picked) throw new UserCancelledError();
    return picked.map((p) => p.value);
  },
  async input(options) {
    const value = await vscode.window.showInputBox({ ...options, ignoreFocusOut: true });
    if (value === undefined) throw new UserCancelledError();
    return value;
  },
  async confirm(options) {
    const answer = await vscode.window.showWarningMessage(options.message, { modal: true, detail: options.detail }, options.confirm);
    if (answer !== options.confirm) throw new UserCancelledError();
  },
  async pickFolder(options) {
    const [folder] = await openDialog(options, { canSelectFolders: true, canSelectFiles: false, canSelectMany: false });
    return folder!;
  },
  pickFiles: (options) => openDialog(options, { canSelectFolders: false, canSelectFiles: true, canSelectMany: true }),
  async openExternal(url) {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  },
  async pickSaveFile(options) {
    const picked = await vscode.window.showSaveDialog({ title: options.title, defaultUri: vscode.Uri.file(options.defaultPath), filters: options.filters });
    if (!picked) throw new UserCancelledError();
    return picked.fsPath;
  },
  async offer(message, actions) {
    return vscode.window.showInformationMessage(message, ...actions);
  },
};

async function openDialog(options: OpenDialogOptions, kind: Pick<vscode.OpenDialogOptions, 'canSelectFiles' | 'canSelectFolders' | 'canSelectMany'>): Promise<string[]> {
  const picked = await vscode.window.showOpenDialog({
    ...kind,
    title: options.title,
    openLabel: options.openLabel,
    ...(options.defaultPath ? { defaultUri: vscode.Uri.file(options.defaultPath) } : {}),
  });
  if (!picked || picked.length === 0) throw new UserCancelledError();
  return picked.map((uri) => uri.fsPath);
}
