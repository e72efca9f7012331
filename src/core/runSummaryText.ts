import * as l10n from '@vscode/l10n';
import { formatDuration } from './format';
import { runStatusText } from './runStatusText';
import type { RunSummary } from './runLogTailer';

/** The end-of-run report, as lines of plain text (the run log and `azml --follow` print it). */
export function runSummaryLines(summary: RunSummary, studioUrl?: string): string[] {
  const duration = summary.startTime ? formatDuration(summary.startTime, summary.endTime ?? new Date()) : undefined;
  const lines = [duration
    ? l10n.t('Run {0}: {1} after {2}.', summary.runId, runStatusText(summary.status), duration)
    : l10n.t('Run {0}: {1}.', summary.runId, runStatusText(summary.status))];
  if (summary.error) {
    lines.push(summary.error.code
      ? l10n.t('Error ({0}): {1}', summary.error.code, summary.error.message)
      : l10n.t('Error: {0}', summary.error.message));
  }
  if (summary.status === 'Failed' && summary.failingLines.length > 0) {
    lines.push(l10n.t('Last lines of the log:'));
    lines.push(...summary.failingLines.map((line) => `  | ${line}`));
  }
  if (studioUrl) lines.push(l10n.t('Azure ML studio: {0}', studioUrl));
  return lines;
}

/** `[12:03:04] ` in local time, for status lines. */
export function clockPrefix(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `[${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}]`;
}
