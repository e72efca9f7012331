import * as os from 'node:os';
import type { WorkspaceScope } from './arm/ids';
import { notFound } from './http/apiError';
import type { TrackingLog } from './mlflow/trackingLog';
import type { SasSigner } from './storage/sas';
import type { WorkspaceData, WorkspaceStore } from './store/workspaceStore';
import type { WorkspaceApiOptions } from './types';

/** What every resource module shares: options, state, clock and signer. */
export interface ApiContext {
  readonly options: WorkspaceApiOptions;
  readonly store: WorkspaceStore;
  readonly sas: SasSigner;
  /** What runs log through the MLflow API (metrics, params, tags). */
  readonly tracking: TrackingLog;
  readonly pageSize: number;
  /** Name recorded in systemData.createdBy / lastModifiedBy. */
  readonly user: string;
  now(): Date;
}

export const defaultWorkspaceName = 'local';

export function localUserName(): string {
  try {
    return os.userInfo().username || 'local-user';
  } catch {
    return 'local-user';
  }
}

export function checkSubscription(api: ApiContext, subscriptionId: string): void {
  if (subscriptionId.toLowerCase() !== api.options.subscriptionId.toLowerCase()) {
    throw notFound(`The subscription '${subscriptionId}' could not be found.`, 'SubscriptionNotFound');
  }
}

export function checkResourceGroup(api: ApiContext, subscriptionId: string, resourceGroup: string): void {
  checkSubscription(api, subscriptionId);
  if (resourceGroup.toLowerCase() !== api.options.resourceGroup.toLowerCase()) {
    throw notFound(`Resource group '${resourceGroup}' could not be found.`, 'ResourceGroupNotFound');
  }
}

/** The workspace named by `{subscriptionId}/{resourceGroup}/{workspace}` path parameters; 404 otherwise. */
export function workspaceFromParams(api: ApiContext, params: Readonly<Record<string, string>>): WorkspaceData {
  checkResourceGroup(api, params['subscriptionId']!, params['resourceGroup']!);
  const data = api.store.get(params['workspace']!);
  if (!data) {
    throw notFound(`The workspace '${params['workspace']}' was not found in resource group '${api.options.resourceGroup}'.`);
  }
  return data;
}

export function scopeOf(api: ApiContext, data: WorkspaceData): WorkspaceScope {
  return { subscriptionId: api.options.subscriptionId, resourceGroup: api.options.resourceGroup, workspace: data.record.name };
}

export const wsPattern =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/{workspace}';
