import * as vscode from 'vscode';

/** The user dismissed a prompt: the command stops and shows nothing. */
export class UserCancelledError extends Error {
  constructor() {
    super('Canceled by the user.');
  }
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export interface PickOptions {
  title: string;
  placeHolder?: string;
}

/** Everything a command asks the user. Tests replace it with scripted answers. */
export interface Prompts {
  pick<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T>;
  pickMany<T>(items: PickItem<T>[] | Promise<PickItem<T>[]>, options: PickOptions): Promise<T[]>;
  input(options: vscode.InputBoxOptions & { title: string }): Promise<string>;
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
};
