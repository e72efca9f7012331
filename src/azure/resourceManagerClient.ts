import * as l10n from '@vscode/l10n';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from './cloud';
import type { Page, ResourceGroup, Subscription, Tenant, Workspace, WorkspaceRef } from './domain';
import { AzureMlError } from './errors';
import { mapResourceGroup, mapSubscription, mapTenant, mapWorkspace } from './mappers';
import { createMachineLearningClient } from './mlServiceClient';
import { pageOf, readSdkPage } from './paging';
import { callService, sendJson, type AbortSignalLike } from './serviceCall';
import { WorkspaceClient } from './workspaceClient';

export const subscriptionsApiVersion = '2022-12-01';
export const tenantsApiVersion = '2022-12-01';
export const resourceGroupsApiVersion = '2021-04-01';

export interface WorkspaceListOptions {
  subscriptionId: string;
  /** Only this resource group's workspaces; all of the subscription's otherwise. */
  resourceGroup?: string;
  continuationToken?: string;
  /** Cancels the call. */
  abortSignal?: AbortSignalLike;
}

export interface ListOptions {
  continuationToken?: string;
  /** Cancels the call. */
  abortSignal?: AbortSignalLike;
}

/**
 * Finding workspaces: subscriptions and resource groups (raw Microsoft.Resources calls) and
 * workspaces (@azure/arm-machinelearning), all through Azure ML client pipelines.
 */
export class ResourceManagerClient {
  private readonly clients = new Map<string, AzureMachineLearningWorkspaces>();

  constructor(readonly cloud: Cloud, private readonly credential: TokenCredential) {}

  /** The Azure ML client of one subscription (shared by the workspace clients made here). */
  private clientFor(subscriptionId: string): AzureMachineLearningWorkspaces {
    let client = this.clients.get(subscriptionId);
    if (!client) {
      client = createMachineLearningClient(this.cloud, this.credential, subscriptionId);
      this.clients.set(subscriptionId, client);
    }
    return client;
  }

  /** A nextLink is only followed when it points at this cloud's Resource Manager. */
  private armUrl(pathAndQuery: string, continuationToken: string | undefined): string {
    if (continuationToken === undefined) return `${this.cloud.resourceManagerEndpoint}${pathAndQuery}`;
    if (!continuationToken.startsWith(`${this.cloud.resourceManagerEndpoint}/`)) {
      throw new AzureMlError(l10n.t('The continuation token does not point at this cloud\'s Resource Manager.'), undefined, 'InvalidContinuationToken');
    }
    return continuationToken;
  }

  private async listRaw<T>(
    url: string,
    map: (raw: unknown) => T,
    abortSignal: AbortSignalLike | undefined,
  ): Promise<Page<T>> {
    // Tenant-level calls: the subscription id of the client they ride on is not used.
    const { body } = await sendJson<{ value?: unknown[]; nextLink?: string | null }>(
      this.clientFor(''), { method: 'GET', url, ...(abortSignal ? { abortSignal } : {}) });
    return pageOf((body?.value ?? []).map(map), body?.nextLink);
  }

  /** Tenants the credential's account belongs to. */
  listTenants(options: ListOptions = {}): Promise<Page<Tenant>> {
    return callService(() => this.listRaw(
      this.armUrl(`/tenants?api-version=${tenantsApiVersion}`, options.continuationToken), mapTenant, options.abortSignal));
  }

  listSubscriptions(options: ListOptions = {}): Promise<Page<Subscription>> {
    return callService(() => this.listRaw(
      this.armUrl(`/subscriptions?api-version=${subscriptionsApiVersion}`, options.continuationToken), mapSubscription, options.abortSignal));
  }

  listResourceGroups(subscriptionId: string, options: ListOptions = {}): Promise<Page<ResourceGroup>> {
    return callService(() => this.listRaw(
      this.armUrl(`/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups?api-version=${resourceGroupsApiVersion}`,
        options.continuationToken),
      mapResourceGroup, options.abortSignal));
  }

  listWorkspaces(options: WorkspaceListOptions): Promise<Page<Workspace>> {
    const workspaces = this.clientFor(options.subscriptionId).workspaces;
    const sdkOptions = options.abortSignal ? { abortSignal: options.abortSignal } : {};
    const list = options.resourceGroup
      ? workspaces.listByResourceGroup(options.resourceGroup, sdkOptions)
      : workspaces.listBySubscription(sdkOptions);
    return readSdkPage(list, options.continuationToken, (w) => mapWorkspace(w, this.cloud));
  }

  getWorkspace(ref: WorkspaceRef): Promise<Workspace> {
    return this.workspaceClient(ref).getWorkspace();
  }

  workspaceClient(ref: WorkspaceRef): WorkspaceClient {
    return new WorkspaceClient({
      ...ref, cloud: this.cloud, credential: this.credential, client: this.clientFor(ref.subscriptionId),
    });
  }
}
