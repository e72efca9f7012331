import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { Cloud } from './cloud';
import type { WorkspaceRef } from './domain';
import { machineLearningApiVersion } from './mlServiceClient';

/** What every per-family operations module works with. */
export interface WorkspaceContext {
  readonly cloud: Cloud;
  readonly client: AzureMachineLearningWorkspaces;
  readonly workspace: WorkspaceRef;
}

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}` */
export function workspaceResourceId(ref: WorkspaceRef): string {
  return `/subscriptions/${encodeURIComponent(ref.subscriptionId)}` +
    `/resourceGroups/${encodeURIComponent(ref.resourceGroup)}` +
    `/providers/Microsoft.MachineLearningServices/workspaces/${encodeURIComponent(ref.workspaceName)}`;
}

/**
 * An ARM URL under the workspace, with the Azure ML api-version. `subPath` starts with `/` and
 * has its segments encoded already; undefined query values are left out.
 */
export function workspaceArmUrl(
  context: Pick<WorkspaceContext, 'cloud' | 'workspace'>,
  subPath: string,
  query: Record<string, string | undefined> = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  params.set('api-version', machineLearningApiVersion);
  return `${context.cloud.resourceManagerEndpoint}${workspaceResourceId(context.workspace)}${subPath}?${params.toString()}`;
}
