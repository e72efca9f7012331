import * as vscode from 'vscode';
import type { ActiveWorkspace } from '../../connection/connection';
import { isEventOf, type RunEvent, type WorkspaceEvent } from '../../core/events/workspaceEvent';
import { runStatusText } from '../../core/runStatusText';
import type { Log } from '../../ui/log';
import type { AzureMlViews } from '../commandContext';
import { announceRunEnd } from '../runs/announceRunEnd';
import type { RunWatchers } from '../runs/runWatchers';

/** Statuses that end a run; Completed comes with its own RunCompleted event, which announces it. */
const endedWithoutRunCompleted = ['Failed', 'Canceled', 'NotResponding'];

/** Whether the event says the run ended (RunCompleted, or RunStatusChanged to an end other than Completed). */
export function runEndOf(event: RunEvent): string | undefined {
  if (event.type === 'RunCompleted') return 'Completed';
  return event.runStatus && endedWithoutRunCompleted.includes(event.runStatus) ? event.runStatus : undefined;
}

/**
 * What the extension does with one event of the active workspace: a run that ends and that the
 * user follows (in this window or another) is announced once; a run followed here stops waiting
 * for its next poll; the Experiments view refreshes on run events, the Models view on
 * registrations. Another workspace's event (its subscription delivers to the same queue) is
 * logged and left alone: its runs' own polls end them, in the window that shows it.
 */
export class WorkspaceEventHandler implements vscode.Disposable {
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly watchers: RunWatchers,
    private readonly views: AzureMlViews,
    private readonly activeWorkspace: () => ActiveWorkspace | undefined,
    private readonly log: Log,
  ) {}

  async handle(event: WorkspaceEvent): Promise<void> {
    const workspace = this.activeWorkspace();
    if (!workspace) return;
    if (!isEventOf(event, workspace)) {
      this.log.info(vscode.l10n.t('Ignored a {0} event of another workspace ({1}): this window shows workspace {2}.', event.type, event.workspaceId ?? '', workspace.workspaceName));
      return;
    }
    if (event.kind === 'model') {
      this.views.models.refresh();
      return;
    }
    if (event.kind !== 'run') return;
    this.refreshExperimentsSoon();
    const ended = runEndOf(event);
    if (!ended) return;
    // Followed here: the watch asks now, ends, and announces with its summary.
    if (this.watchers.runEnded(event.runId, workspace)) return;
    // Followed in another window (the list is shared): announced here, once.
    if (await this.watchers.claimAnnouncement(event.runId, workspace)) {
      const text = vscode.l10n.t('Run {0}: {1}.', event.runId, runStatusText(ended));
      announceRunEnd(text, ended === 'Failed', event.runId);
    }
  }

  /** Many runs change at once in a busy workspace: one refresh for a burst of events. */
  private refreshExperimentsSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.views.experiments.refresh();
    }, 300);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
  }
}
