import type { Cloud } from '../../../src/azure/cloud';
import { createFixedTokenCredential } from '../../../src/azure/credentials';
import { customCloud } from '../../../src/azure/customCloud';
import { WorkspaceClient } from '../../../src/azure/workspaceClient';
import type { ReplayServer } from '../../support/replayServer';

/** The workspace every azure-ai-ml recording names. */
export const recordedWorkspace = {
  subscriptionId: '00000000-0000-0000-0000-000000000',
  resourceGroup: '00000',
  workspaceName: '00000',
};

/**
 * The custom cloud a user would configure for a private Azure ML endpoint, pointed at the replay
 * server: ARM and blob storage on loopback, the recorded storage suffix kept.
 */
export function replayCloud(replay: ReplayServer): Cloud {
  return customCloud({
    name: 'Replay',
    resourceManagerEndpoint: replay.url,
    storageEndpointSuffix: 'core.windows.net',
    blobEndpoint: replay.url,
  });
}

export function replayWorkspaceClient(replay: ReplayServer, workspace = recordedWorkspace): WorkspaceClient {
  return new WorkspaceClient({ cloud: replayCloud(replay), credential: createFixedTokenCredential('replay-token'), ...workspace });
}
