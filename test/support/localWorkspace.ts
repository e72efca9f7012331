import { mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchLocalService, type LaunchedLocalService } from '../../src/local/launcher';
import { ensureBuilt, repoRoot } from './repo';

export interface StartedLocalWorkspace extends LaunchedLocalService {
  dataDir: string;
  /** Stops the service and deletes its data folder. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  seed?: 'demo';
  pageSize?: number;
  /** Let the demo's Queued and Running runs progress; off by default, so tests see the seeded states. */
  demoProgress?: boolean;
  /** Reuse a data folder (restart tests); a fresh temp folder otherwise. */
  dataDir?: string;
  /** False: its storage refuses account keys and SAS tokens (`--no-shared-key`). */
  sharedKeyAccess?: boolean;
  /** Publish the workspace's events to this Azurite queue (`--events-queue`). */
  eventsQueue?: string;
}

/** Runs the bundled local workspace service (`node dist/local.js`) as a user would. */
export async function startLocalWorkspace(options: StartOptions = {}): Promise<StartedLocalWorkspace> {
  ensureBuilt();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'azml-local-'));
  let service: LaunchedLocalService;
  try {
    service = await launchLocalService({
      serviceScript: path.join(repoRoot, 'dist', 'local.js'),
      dataDir,
      ...(options.seed ? { seed: options.seed } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      ...(options.demoProgress ? {} : { freezeDemo: true }),
      ...(options.sharedKeyAccess === false ? { sharedKeyAccess: false } : {}),
      ...(options.eventsQueue ? { eventsQueue: options.eventsQueue } : {}),
    });
  } catch (error) {
    if (!options.dataDir) await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...service,
    dataDir,
    dispose: async () => {
      await service.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Another workspace in the local service, through its REST API (the extension has no "create" yet). */
export async function createWorkspace(local: StartedLocalWorkspace, name: string, description?: string): Promise<void> {
  const { armEndpoint, subscriptionId, resourceGroup, token } = local.connection;
  const url = `${armEndpoint}/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`
    + `/providers/Microsoft.MachineLearningServices/workspaces/${name}?api-version=2024-10-01`;
  const response = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ location: 'local', properties: { friendlyName: name, ...(description ? { description } : {}) } }),
  });
  if (!response.ok) throw new Error(`create workspace ${name}: ${response.status} ${await response.text()}`);
}
