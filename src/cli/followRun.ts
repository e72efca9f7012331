import type { WorkspaceClient } from '../azure/workspaceClient';
import { RunLogTailer, type RunLogListener, type RunSummary } from '../core/runLogTailer';
import { clockPrefix, runSummaryLines } from '../core/runSummaryText';

/** Log lines to stdout as they come; status changes and the end summary to stderr. */
function printingListener(showStatus: boolean): RunLogListener {
  return {
    onStatus: ({ status }) => {
      if (showStatus) process.stderr.write(`${clockPrefix()} Status: ${status}\n`);
    },
    onLines: (lines) => {
      process.stdout.write(`${lines.join('\n')}\n`);
    },
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
