import type { RunDetails } from '../../azure/domain';
import type { WorkspaceClient } from '../../azure/workspaceClient';
import { runState, isActiveRunState } from './runStatus';

/** How many run-details requests one page of runs may have in flight. */
const concurrency = 4;

/**
 * Start/end times come from run history, one request per run. Finished runs never change, so
 * their details are kept; active runs are asked again on refresh.
 */
export class RunDetailsCache {
  private readonly details = new Map<string, RunDetails>();

  get(runId: string): RunDetails | undefined {
    return this.details.get(runId);
  }

  /** Fetches what is missing for these runs, a few at a time; `onUpdate` after each arrives. */
  async fill(client: WorkspaceClient, runIds: readonly string[], onUpdate: (runId: string) => void): Promise<void> {
    const queue = runIds.filter((id) => {
      const known = this.details.get(id);
      return !known || isActiveRunState(runState(known.status));
    });
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          this.details.set(id, await client.runHistory.getRunDetails(id));
          onUpdate(id);
        } catch {
          // Details are a nicety: the run still shows its status and age without them.
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
}
