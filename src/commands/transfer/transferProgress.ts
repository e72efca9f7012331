import * as vscode from 'vscode';
import { throttleProgress } from '../../core/transfer/progressTracker';
import { progressMessage, summaryHeadline, summaryLines } from '../../core/transfer/summary';
import type { TransferOptions } from '../../core/transfer/transferRun';
import type { TransferProgress, TransferResult } from '../../core/transfer/types';
import type { CommandContext } from '../commandContext';
import { transferSession } from './transferSession';

/** More than VS Code's extension host waits between two progress reports it passes on. */
const extensionHostProgressGapMs = 150;

function percentDone(p: TransferProgress): number {
  if (p.bytesTotal) return Math.min(100, (p.bytesDone / p.bytesTotal) * 100);
  if (p.filesTotal) return Math.min(100, (p.filesDone / p.filesTotal) * 100);
  return 0;
}

/**
 * Runs a transfer under one cancellable progress notification (at most five updates a second):
 * files and bytes done, throughput and time left. Cancel (the notification's button, or
 * "Cancel Uploads and Downloads") aborts it; the result says what was done.
 */
export async function withTransferProgress(
  context: CommandContext,
  title: string,
  transfer: (options: TransferOptions) => Promise<TransferResult>,
): Promise<TransferResult> {
  const controller = new AbortController();
  return transferSession(context).track(controller, async () => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const cancel = token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      const throttled = throttleProgress((p) => {
        const percent = percentDone(p);
        progress.report({ message: progressMessage(p), increment: Math.max(0, percent - reported) });
        reported = Math.max(reported, percent);
      });
      try {
        return await transfer({ signal: controller.signal, onProgress: throttled.report });
      } finally {
        cancel.dispose();
        // The extension host passes progress on at most every 100 ms and drops what it still holds
        // back when the task ends: a final count sent sooner would leave the notification showing
        // an early one ("0 / 20 files") until it closes.
        await throttled.flushSpaced(extensionHostProgressGapMs);
      }
    },
  ));
}

/**
 * Writes the summary to the log and shows its headline: an error when the transfer was stopped,
 * a warning with "Retry Failed" when files failed (when `retryCommand` is given).
 */
export function reportTransfer(context: CommandContext, result: TransferResult, retryCommand?: string): void {
  const lines = summaryLines(result);
  if (result.fatal || result.failed.length > 0) context.log.warn(lines.join('\n'));
  else context.log.info(lines.join('\n'));
  const headline = summaryHeadline(result);
  const showLog = vscode.l10n.t('Show Log');
  if (result.fatal) {
    void vscode.window.showErrorMessage(headline, showLog).then((choice) => {
      if (choice === showLog) context.log.show();
    });
  } else if (result.failed.length > 0) {
    const retry = vscode.l10n.t('Retry Failed');
    const buttons = retryCommand ? [retry, showLog] : [showLog];
    void vscode.window.showWarningMessage(headline, ...buttons).then((choice) => {
      if (choice === showLog) context.log.show();
      else if (choice === retry && retryCommand) void vscode.commands.executeCommand(retryCommand);
    });
  } else {
    void vscode.window.showInformationMessage(headline);
  }
}
