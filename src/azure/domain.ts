/**
 * What the extension knows about Azure ML resources: plain data, independent of the SDK's
 * generated models and of api-versions. The mappers in mappers.ts build these.
 */

/** One page of a list call. Pass `continuationToken` back to get the next page. */
export interface Page<T> {
  items: T[];
  continuationToken?: string;
  /** When the list is filtered here, not by the service: how many of the service's items were read for this page. */
  examined?: number;
}

export type Tags = Record<string, string>;

export type ListViewType = 'ActiveOnly' | 'ArchivedOnly' | 'All';

/** Which workspace a client works on. */
export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
}

// ---- Subscriptions, resource groups, workspaces -------------------------------------------

export interface Tenant {
  tenantId: string;
  displayName?: string;
  defaultDomain?: string;
}

export interface Subscription {
  id: string;
  subscriptionId: string;
  displayName: string;
  tenantId?: string;
  state?: string;
}

export interface ResourceGroup {
  id: string;
  name: string;
  location?: string;
  provisioningState?: string;
  tags: Tags;
}

export interface Workspace extends WorkspaceRef {
  id: string;
  name: string;
  /** friendlyName when set, else the name. */
  displayName: string;
  description?: string;
  location?: string;
  /** The workspace's GUID (`properties.workspaceId`). */
  workspaceId?: string;
  discoveryUrl?: string;
  mlFlowTrackingUri?: string;
  /** ARM id of the workspace storage account; `storageAccountName` is its last segment. */
  storageAccountId?: string;
  storageAccountName?: string;
  keyVaultId?: string;
  applicationInsightsId?: string;
  containerRegistryId?: string;
  provisioningState?: string;
  publicNetworkAccess?: string;
  tenantId?: string;
  tags: Tags;
  createdAt?: Date;
  /** Link into Azure ML studio; undefined for clouds without a studio (the local workspace). */
  studioUrl?: string;
}

/** The workspace's data-plane endpoints from its `discoveryUrl`; `api` is the run-history base. */
export interface ServiceEndpoints {
  api: string;
  [service: string]: string;
}

// ---- Datastores -----------------------------------------------------------------------------

export type DatastoreType = 'AzureBlob' | 'AzureFile' | 'AzureDataLakeGen1' | 'AzureDataLakeGen2' | 'OneLake';
export type DatastoreCredentialsType = 'AccountKey' | 'Sas' | 'ServicePrincipal' | 'Certificate' | 'None';

export interface Datastore {
  id: string;
  name: string;
  /** One of DatastoreType; other strings pass through from newer services. */
  datastoreType: string;
  accountName?: string;
  /** AzureBlob. */
  containerName?: string;
  /** AzureFile. */
  fileShareName?: string;
  /** AzureDataLakeGen2. */
  filesystem?: string;
  /** AzureDataLakeGen1. */
  storeName?: string;
  /** Storage endpoint suffix, e.g. `core.windows.net`. */
  endpoint?: string;
  protocol?: string;
  isDefault: boolean;
  /** One of DatastoreCredentialsType. Secret values are never part of a Datastore. */
  credentialsType: string;
  /** Non-secret service principal settings, for ServicePrincipal credentials. */
  servicePrincipal?: { tenantId?: string; clientId?: string; authorityUrl?: string; resourceUrl?: string };
  serviceDataAccessAuthIdentity?: string;
  description?: string;
  tags: Tags;
  properties: Tags;
  createdAt?: Date;
  lastModifiedAt?: Date;
}

export type DatastoreSecrets = (
  | { secretsType: 'AccountKey'; key: string }
  | { secretsType: 'Sas'; sasToken: string }
  | { secretsType: 'ServicePrincipal'; clientSecret: string }
  | { secretsType: 'Certificate'; certificate: string }
) & {
  /** When the secret stops working (listSecrets asks for expirable secrets); never kept past it. */
  expiresAt?: Date;
};

export type DatastoreCredentialsInput =
  | { credentialsType: 'AccountKey'; key: string }
  | { credentialsType: 'Sas'; sasToken: string }
  | {
      credentialsType: 'ServicePrincipal'; tenantId: string; clientId: string; clientSecret: string;
      authorityUrl?: string; resourceUrl?: string;
    }
  | { credentialsType: 'None' };

interface DatastoreInputBase {
  name: string;
  accountName: string;
  /** Defaults to the cloud's storage endpoint suffix. */
  endpoint?: string;
  /** Defaults to `https`. */
  protocol?: string;
  credentials: DatastoreCredentialsInput;
  description?: string;
  tags?: Tags;
}

export type DatastoreInput =
  | (DatastoreInputBase & { datastoreType: 'AzureBlob'; containerName: string })
  | (DatastoreInputBase & { datastoreType: 'AzureFile'; fileShareName: string })
  | (DatastoreInputBase & { datastoreType: 'AzureDataLakeGen2'; filesystem: string });

// ---- Code assets ----------------------------------------------------------------------------

/** A container of versioned assets (code, data): what every version shares. */
export interface AssetContainer {
  id: string;
  name: string;
  description?: string;
  latestVersion?: string;
  /** Data assets: uri_file, uri_folder, mltable. */
  dataType?: string;
  isArchived?: boolean;
  tags: Tags;
  properties: Tags;
  createdAt?: Date;
}

export interface CodeVersion {
  id: string;
  name: string;
  version: string;
  codeUri?: string;
  isAnonymous: boolean;
  /** `properties.hash_sha256` / `hash_version`, set by snapshot uploads. */
  hashSha256?: string;
  hashVersion?: string;
  description?: string;
  tags: Tags;
  properties: Tags;
  createdAt?: Date;
}

export interface CodeVersionInput {
  codeUri: string;
  isAnonymous?: boolean;
  hashSha256?: string;
  hashVersion?: string;
  description?: string;
  tags?: Tags;
}

/** Where to upload a snapshot: a blob container reachable with `sasUri`. */
export interface PendingUpload {
  pendingUploadId?: string;
  pendingUploadType?: string;
  /** Container (or folder) URL without credentials. */
  blobUri: string;
  /** The same URL with a SAS token: a secret. */
  sasUri: string;
  storageAccountArmId?: string;
}

// ---- Jobs -----------------------------------------------------------------------------------

export type JobStatus =
  | 'NotStarted' | 'Starting' | 'Provisioning' | 'Preparing' | 'Queued' | 'Running' | 'Finalizing'
  | 'CancelRequested' | 'Completed' | 'Failed' | 'Canceled' | 'NotResponding' | 'Paused' | 'Unknown';

export type JobInputType =
  | 'literal' | 'uri_file' | 'uri_folder' | 'mltable' | 'custom_model' | 'mlflow_model' | 'triton_model';
export type JobOutputType = Exclude<JobInputType, 'literal'>;

/** An input or output of a job as the service reports it. */
export interface JobIo {
  /** jobInputType / jobOutputType. */
  type: string;
  /** Literal inputs. */
  value?: string;
  uri?: string;
  mode?: string;
  description?: string;
}

export interface JobServiceEndpoint {
  jobServiceType?: string;
  endpoint?: string;
  status?: string;
  port?: number;
}

export interface Job {
  id: string;
  name: string;
  displayName?: string;
  experimentName: string;
  /** One of JobStatus; other strings pass through. */
  status: string;
  jobType: string;
  description?: string;
  command?: string;
  computeId?: string;
  environmentId?: string;
  codeId?: string;
  createdAt?: Date;
  createdBy?: string;
  /** Not in the ARM view: run history has them (see jobWithRunTimes in mappers.ts). */
  startTime?: Date;
  endTime?: Date;
  tags: Tags;
  properties: Tags;
  isArchived: boolean;
  services: Record<string, JobServiceEndpoint>;
  /** `services.Studio.endpoint`. */
  studioUrl?: string;
  inputs: Record<string, JobIo>;
  outputs: Record<string, JobIo>;
  environmentVariables: Record<string, string>;
  instanceCount?: number;
  timeout?: string;
}

export type JobInputSpec =
  | { type: 'literal'; value: string; description?: string }
  | { type: Exclude<JobInputType, 'literal'>; uri: string; mode?: string; description?: string };

export interface JobOutputSpec {
  type: JobOutputType;
  uri?: string;
  mode?: string;
  description?: string;
}

export interface CommandJobInput {
  /** The job id; must match `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`. */
  name: string;
  command: string;
  environmentId: string;
  displayName?: string;
  /** Defaults to `Default` on the service. */
  experimentName?: string;
  description?: string;
  tags?: Tags;
  properties?: Tags;
  computeId?: string;
  codeId?: string;
  inputs?: Record<string, JobInputSpec>;
  outputs?: Record<string, JobOutputSpec>;
  environmentVariables?: Record<string, string>;
  instanceCount?: number;
  /** ISO 8601 duration, e.g. `PT1H`. */
  timeout?: string;
}

export interface JobListOptions {
  experimentName?: string;
  listViewType?: ListViewType;
  jobType?: string;
  tag?: string;
  continuationToken?: string;
}

/** `completed`: the service canceled at once (200); otherwise it accepted the request (202). */
export interface JobCancelResult {
  completed: boolean;
}

// ---- Run history ----------------------------------------------------------------------------

export interface RunWarning {
  source?: string;
  message: string;
}

export interface RunError {
  code?: string;
  message: string;
}

export interface RunDetails {
  runId: string;
  runUuid?: string;
  status: string;
  target?: string;
  startTime?: Date;
  endTime?: Date;
  /** Log name (e.g. `user_logs/std_log.txt`) to a readable URL. The URLs carry SAS tokens: secrets. */
  logFiles: Record<string, string>;
  warnings: RunWarning[];
  error?: RunError;
  properties: Tags;
  tags: Tags;
}

export interface Experiment {
  experimentId: string;
  name: string;
  description?: string;
  createdAt?: Date;
  archivedAt?: Date;
  tags: Tags;
  artifactLocation?: string;
}

// ---- Models ---------------------------------------------------------------------------------

export interface ModelContainer {
  id: string;
  name: string;
  description?: string;
  tags: Tags;
  properties: Tags;
  latestVersion?: string;
  nextVersion?: string;
  isArchived: boolean;
  createdAt?: Date;
  lastModifiedAt?: Date;
}

/** A component (a reusable pipeline step) with its versions: the same container shape as a model's. */
export type ComponentContainer = ModelContainer;

export interface ModelVersion {
  id: string;
  /** The model (container) name. */
  name: string;
  version: string;
  modelType?: string;
  modelUri?: string;
  jobName?: string;
  description?: string;
  tags: Tags;
  properties: Tags;
  flavors: string[];
  isAnonymous: boolean;
  isArchived: boolean;
  createdAt?: Date;
  createdBy?: string;
}

export interface ModelContainerInput {
  description?: string;
  tags?: Tags;
}

export interface ModelVersionInput {
  modelUri: string;
  /** `custom_model` (default), `mlflow_model` or `triton_model`. */
  modelType?: string;
  jobName?: string;
  description?: string;
  tags?: Tags;
  properties?: Tags;
  /** Hidden from the service's default (active only) lists, kept. */
  isArchived?: boolean;
}

// ---- Computes -------------------------------------------------------------------------------

export interface Compute {
  id: string;
  name: string;
  /** AmlCompute, ComputeInstance, Kubernetes, AKS, ... */
  computeType: string;
  location?: string;
  provisioningState?: string;
  /** ComputeInstance state, else AmlCompute allocation state, else the provisioning state. */
  state?: string;
  description?: string;
  vmSize?: string;
  vmPriority?: string;
  minNodeCount?: number;
  maxNodeCount?: number;
  currentNodeCount?: number;
  targetNodeCount?: number;
  isAttached: boolean;
  resourceId?: string;
  createdAt?: Date;
  modifiedAt?: Date;
  /** ComputeInstance applications (Jupyter, VS Code, ...). */
  applications: Array<{ displayName?: string; endpointUri?: string }>;
}
