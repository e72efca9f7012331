import * as vscode from 'vscode';
import { maskSecrets } from '../azure/secrets';

/** The "Azure ML" output channel. Everything written here passes through maskSecrets. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  show(): void;
}

export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel(vscode.l10n.t('Azure ML'), { log: true });
  context.subscriptions.push(channel);
  const detail = (error: unknown): string => {
    if (error instanceof Error) return error.stack ?? error.message;
    return error === undefined ? '' : String(error);
  };
  return {
    info: (message) => channel.info(maskSecrets(message)),
    warn: (message) => channel.warn(maskSecrets(message)),
    error: (message, error) => channel.error(maskSecrets(error === undefined ? message : `${message}\n${detail(error)}`)),
    show: () => channel.show(true),
  };
}
