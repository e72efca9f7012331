import * as l10n from '@vscode/l10n';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from './cloud';
import { CodeOperations } from './codes';
import { ComponentOperations } from './components';
import { ComputeOperations } from './computes';
import { DataAssetOperations } from './dataAssets';
import { DatastoreOperations } from './datastores';
import { EnvironmentOperations } from './environments';
import type { ServiceEndpoints, Workspace, WorkspaceRef } from './domain';
import { AzureMlError } from './errors';
import { JobOperations } from './jobs';
import { deleteAndWait, type LongRunningOptions } from './longRunningDelete';
import { mapWorkspace } from './mappers';
import { MlflowTracking } from './mlflowTracking';
import { createMachineLearningClient } from './mlServiceClient';
import { ModelOperations } from './models';
import { RunHistoryOperations } from './runHistory';
import type { StorageIdentity } from './identityFallback';
import { callService } from './serviceCall';
import { discoverServiceEndpoints } from './serviceDiscovery';
import { workspaceArmUrl, workspaceResourceId, type WorkspaceContext } from './workspaceContext';

export interface WorkspaceClientOptions extends WorkspaceRef {
  cloud: Cloud;
  credential: TokenCredential;
  /** An Azure ML client for the same cloud, credential and subscription, to share. */
  client?: AzureMachineLearningWorkspaces;
}

/**
 * Everything the extension does in one workspace. All calls answer domain types and fail
 * with AzureMlError only.
 */
export class WorkspaceClient {
  readonly cloud: Cloud;
  /** Who is signed in: storage that refuses keys and SAS tokens is reached as this identity. */
  readonly storageIdentity: StorageIdentity;
  readonly workspace: WorkspaceRef;
  readonly datastores: DatastoreOperations;
  readonly codes: CodeOperations;
  readonly components: ComponentOperations;
  readonly jobs: JobOperations;
  readonly models: ModelOperations;
  readonly computes: ComputeOperations;
  readonly environments: EnvironmentOperations;
  readonly dataAssets: DataAssetOperations;
  readonly runHistory: RunHistoryOperations;
  /** Run metrics, params and tags: the workspace's MLflow tracking API. */
  readonly metrics: MlflowTracking;
  private readonly context: WorkspaceContext;
  private endpoints: Promise<ServiceEndpoints> | undefined;
  private trackingUri: Promise<string> | undefined;

  constructor(options: WorkspaceClientOptions) {
    this.cloud = options.cloud;
    this.storageIdentity = { cloud: options.cloud, credential: options.credential };
    this.workspace = {
      subscriptionId: options.subscriptionId,
      resourceGroup: options.resourceGroup,
      workspaceName: options.workspaceName,
    };
    const client = options.client ?? createMachineLearningClient(options.cloud, options.credential, options.subscriptionId);
    this.context = { cloud: options.cloud, client, workspace: this.workspace };
    const apiBaseUrl = async (): Promise<string> => (await this.getServiceEndpoints()).api;
    this.datastores = new DatastoreOperations(this.context, apiBaseUrl);
    this.codes = new CodeOperations(this.context);
    this.components = new ComponentOperations(this.context);
    this.jobs = new JobOperations(this.context, (name, armId) => this.runHistory.getRunAsJob(name, armId));
    this.models = new ModelOperations(this.context);
    this.computes = new ComputeOperations(this.context);
    this.environments = new EnvironmentOperations(this.context);
    this.dataAssets = new DataAssetOperations(this.context);
    this.runHistory = new RunHistoryOperations(this.context, apiBaseUrl);
    this.metrics = new MlflowTracking(this.context, () => this.getTrackingUri());
  }

  /** The workspace's ARM id. */
  get resourceId(): string {
    return workspaceResourceId(this.workspace);
  }

  /**
   * Deletes the workspace (ARM long-running: waits until it is gone). Its associated resources
   * (storage account, key vault, container registry) stay, as Azure leaves them.
   */
  deleteWorkspace(options: LongRunningOptions = {}): Promise<void> {
    return deleteAndWait(this.context.client, workspaceArmUrl(this.context, ''), l10n.t('workspace {0}', this.workspace.workspaceName), options);
  }

  getWorkspace(): Promise<Workspace> {
    const { resourceGroup, workspaceName } = this.workspace;
    return callService(async () => mapWorkspace(await this.context.client.workspaces.get(resourceGroup, workspaceName), this.cloud));
  }

  /** The workspace's data-plane endpoints, discovered once (again after a failure). */
  getServiceEndpoints(): Promise<ServiceEndpoints> {
    this.endpoints ??= this.discover();
    this.endpoints.catch(() => {
      this.endpoints = undefined;
    });
    return this.endpoints;
  }

  /** The workspace's `mlFlowTrackingUri`, read once (again after a failure); never built, as private-link workspaces differ. */
  getTrackingUri(): Promise<string> {
    this.trackingUri ??= this.getWorkspace().then((workspace) => {
      if (!workspace.mlFlowTrackingUri) {
        throw new AzureMlError(l10n.t('Workspace "{0}" has no MLflow tracking URI, so its run metrics cannot be read.', workspace.name), undefined, 'NoTrackingUri');
      }
      return workspace.mlFlowTrackingUri;
    });
    this.trackingUri.catch(() => {
      this.trackingUri = undefined;
    });
    return this.trackingUri;
  }

  private async discover(): Promise<ServiceEndpoints> {
    const workspace = await this.getWorkspace();
    if (!workspace.discoveryUrl) {
      throw new AzureMlError(l10n.t('Workspace "{0}" has no discovery URL.', workspace.name), undefined, 'NoDiscoveryUrl');
    }
    return discoverServiceEndpoints(this.context.client, workspace.discoveryUrl);
  }
}
