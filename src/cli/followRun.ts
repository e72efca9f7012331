import { once } from 'node:events';
import type { WorkspaceClient } from '../azure/workspaceClient';
import { RunLogTailer, type RunLogListener, type RunSummary } from '../core/runLogTailer';
import { clockPrefix, runSummaryLines } from '../core/runSummaryText';

/** How much text one write to stdout carries at most. */
const writeBatchChars = 64 * 1024;

/**
 * Writes `lines` to `out` as they come, in batches of about `writeBatchChars`, and waits while
 * the stream is full (a slow pipe), so a huge log never piles up in memory on its way out.
 */
export async function writeLines(out: NodeJS.WritableStream, lines: readonly string[]): Promise<void> {
  let batch: string[] = [];
  let chars = 0;
  const send = async (): Promise<void> => {
    const text = `${batch.join('\n')}\n`;
    batch = [];
    chars = 0;
    if (!out.write(text)) await drained(out);
  };
  for (const line of lines) {
    batch.push(line);
    chars += line.length + 1;
    if (chars >= writeBatchChars) await send();
  }
  if (batch.length > 0) await send();
}

/** Resolves when `out` can take more, or has closed or failed (nothing more will be taken then). */
async function drained(out: NodeJS.WritableStream): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race(['drain', 'close', 'error'].map((event) => once(out, event, { signal: done.signal }).catch(() => undefined)));
  } finally {
    done.abort();
  }
}

/** Log lines to stdout as they come; status changes and the end summary to stderr. */
function printingListener(showStatus: boolean): RunLogListener {
  return {
    onStatus: ({ status }) => {
      if (showStatus) process.stderr.write(`${clockPrefix()} Status: ${status}\n`);
    },
    onLines: (lines) => writeLines(process.stdout, lines),
    onWarning: (message) => process.stderr.write(`${clockPrefix()} Warning: ${message}\n`),
  };
}

/**
 * Prints a run's log: once (as it is now), or following it until the run ends. Ctrl-C stops
 * following (the run goes on). Answers the exit code: with `follow`, 0 only if it completed.
 */
export async function printRunLog(client: WorkspaceClient, jobName: string, follow: boolean): Promise<number> {
  const tailer = new RunLogTailer({ runId: jobName, source: client.runHistory, storageIdentity: client.storageIdentity, listener: printingListener(follow) });
  if (!follow) {
    await tailer.readOnce();
    return 0;
  }
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  let summary: RunSummary;
  try {
    summary = await tailer.follow(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write(`Stopped following; the run goes on. Follow it again with: azml logs ${jobName} --follow\n`);
      return 130;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', stop);
  }
  const job = await client.jobs.get(jobName).catch(() => undefined);
  process.stderr.write(`${runSummaryLines(summary, job?.studioUrl).join('\n')}\n`);
  return summary.status === 'Completed' ? 0 : 1;
}
