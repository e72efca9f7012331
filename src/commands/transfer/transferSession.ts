import * as vscode from 'vscode';
import type { ExistingFilePolicy } from '../../core/transfer/types';
import type { CommandContext } from '../commandContext';
import type { DatastoreTarget } from './datastoreTargets';

/** An upload to run again for its failed files only. */
export interface RetryableUpload {
  target: DatastoreTarget;
  localRoot: string;
  /** Absolute paths of the files (or folders) that failed. */
  entries: string[];
  targetPath: string;
  policy: ExistingFilePolicy;
}

/** Transfers under way (for "Cancel Uploads and Downloads") and the last upload with failures (for "Retry"). */
class TransferSession {
  readonly running = new Set<AbortController>();
  lastFailed: RetryableUpload | undefined;

  async track<T>(controller: AbortController, work: () => Promise<T>): Promise<T> {
    this.running.add(controller);
    await this.updateContextKeys();
    try {
      return await work();
    } finally {
      this.running.delete(controller);
      await this.updateContextKeys();
    }
  }

  async setLastFailed(upload: RetryableUpload | undefined): Promise<void> {
    this.lastFailed = upload;
    await this.updateContextKeys();
  }

  private async updateContextKeys(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'azureml.transferRunning', this.running.size > 0);
    await vscode.commands.executeCommand('setContext', 'azureml.hasFailedUploads', this.lastFailed !== undefined);
  }
}

const sessions = new WeakMap<CommandContext, TransferSession>();

/** The transfer state of one extension instance (one per command context). */
export function transferSession(context: CommandContext): TransferSession {
  let session = sessions.get(context);
  if (!session) {
    session = new TransferSession();
    sessions.set(context, session);
  }
  return session;
}
