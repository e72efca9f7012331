/**
 * Small pure functions from what the SDK or a raw response gives to our domain types, and
 * from our inputs to request bodies. Fields are read loosely: newer api-versions add
 * discriminator values and properties the SDK's 2022-10-01 models do not know.
 */
import * as l10n from '@vscode/l10n';
import type {
  CodeVersion as SdkCodeVersion,
  ComputeResource as SdkComputeResource,
  Datastore as SdkDatastore,
  DatastoreSecretsUnion,
  JobBase as SdkJobBase,
  ModelContainer as SdkModelContainer,
  ModelVersion as SdkModelVersion,
  SystemData,
  Workspace as SdkWorkspace,
} from '@azure/arm-machinelearning';
import type { Cloud } from './cloud';
import type {
  AssetContainer, CodeVersion, CodeVersionInput, CommandJobInput, ComponentContainer, Compute, Datastore, DatastoreInput, DatastoreSecrets,
  Experiment, Job, JobIo, JobServiceEndpoint, ModelContainer, ModelContainerInput, ModelVersion,
  ModelVersionInput, PendingUpload, ResourceGroup, RunDetails, Subscription, Tags, Tenant, Workspace,
} from './domain';
import { AzureMlError } from './errors';
import { maskSecrets } from './secrets';

// ---- helpers --------------------------------------------------------------------------------

type Loose = Record<string, unknown>;

function asObject(value: unknown): Loose | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
}

/**
 * The properties of a workspace resource (datastore, job, model): every one the service
 * answers is an object with a name (or id) and its properties. Anything else is not a
 * resource at all, and listing it as one would show a row of blanks.
 */
function resourceProperties(r: unknown, what: string): Loose {
  const resource = asObject(r);
  const properties = asObject(resource?.['properties']);
  if (!resource || !properties || (typeof resource['name'] !== 'string' && typeof resource['id'] !== 'string')) {
    throw new AzureMlError(l10n.t('The service\'s answer is not what was expected (a {0} without its name or properties): try again; if it keeps happening, a proxy or the network in between may be answering instead of Azure.', what), undefined, 'InvalidResponse');
  }
  return properties;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string map without null/non-string values (`tags`, `properties`). */
export function stringMap(value: unknown): Tags {
  const out: Tags = {};
  for (const [key, v] of Object.entries(asObject(value) ?? {})) {
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}

export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The last path segment of an ARM id (`.../storageAccounts/st1` → `st1`). */
export function lastSegment(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const parts = id.split('/').filter((p) => p !== '');
  return parts[parts.length - 1];
}

/** The value after `key` in an ARM id, compared case-insensitively (`resourceGroups` vs `resourcegroups`). */
export function armIdSegment(id: string | undefined, key: string): string | undefined {
  if (!id) return undefined;
  const parts = id.split('/');
  const index = parts.findIndex((p) => p.toLowerCase() === key.toLowerCase());
  return index >= 0 && index + 1 < parts.length ? decodeURIComponent(parts[index + 1]!) : undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

function systemTimes(systemData: SystemData | Loose | undefined): { createdAt?: Date; lastModifiedAt?: Date; createdBy?: string } {
  const s = systemData as Loose | undefined;
  return withoutUndefined({
    createdAt: toDate(s?.['createdAt']),
    lastModifiedAt: toDate(s?.['lastModifiedAt']),
    createdBy: str(s?.['createdBy']),
  });
}

// ---- subscriptions, resource groups, workspaces ---------------------------------------------

export function mapTenant(raw: unknown): Tenant {
  const r = asObject(raw) ?? {};
  return withoutUndefined({
    tenantId: str(r['tenantId']) ?? lastSegment(str(r['id'])) ?? '',
    displayName: str(r['displayName']),
    defaultDomain: str(r['defaultDomain']),
  });
}

export function mapSubscription(raw: unknown): Subscription {
  const r = asObject(raw) ?? {};
  const subscriptionId = str(r['subscriptionId']) ?? lastSegment(str(r['id'])) ?? '';
  return withoutUndefined({
    id: str(r['id']) ?? `/subscriptions/${subscriptionId}`,
    subscriptionId,
    displayName: str(r['displayName']) ?? subscriptionId,
    tenantId: str(r['tenantId']),
    state: str(r['state']),
  });
}

export function mapResourceGroup(raw: unknown): ResourceGroup {
  const r = asObject(raw) ?? {};
  return withoutUndefined({
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? lastSegment(str(r['id'])) ?? '',
    location: str(r['location']),
    provisioningState: str(asObject(r['properties'])?.['provisioningState']),
    tags: stringMap(r['tags']),
  });
}

/** Studio's workspace landing page: `<studio>/?wsid=<workspace ARM id>&tid=<tenant>`. */
function workspaceStudioUrl(cloud: Cloud, id: string, tenantId: string | undefined): string | undefined {
  if (!cloud.studioUrl || !id) return undefined;
  const query = new URLSearchParams({ wsid: id });
  if (tenantId) query.set('tid', tenantId);
  return `${cloud.studioUrl}/?${query.toString()}`;
}

export function mapWorkspace(w: SdkWorkspace, cloud: Cloud): Workspace {
  const id = w.id ?? '';
  const name = w.name ?? lastSegment(id) ?? '';
  const tenantId = w.tenantId ?? w.identity?.tenantId;
  return withoutUndefined({
    id,
    name,
    subscriptionId: armIdSegment(id, 'subscriptions') ?? '',
    resourceGroup: armIdSegment(id, 'resourceGroups') ?? '',
    workspaceName: name,
    displayName: w.friendlyName || name,
    description: w.description || undefined,
    location: w.location,
    workspaceId: w.workspaceId,
    discoveryUrl: w.discoveryUrl,
    mlFlowTrackingUri: w.mlFlowTrackingUri,
    storageAccountId: w.storageAccount,
    storageAccountName: lastSegment(w.storageAccount),
    keyVaultId: w.keyVault,
    applicationInsightsId: w.applicationInsights,
    containerRegistryId: w.containerRegistry ?? undefined,
    provisioningState: w.provisioningState,
    publicNetworkAccess: w.publicNetworkAccess,
    tenantId,
    tags: stringMap(w.tags),
    createdAt: toDate(w.systemData?.createdAt),
    studioUrl: workspaceStudioUrl(cloud, id, tenantId),
  });
}

// ---- datastores -----------------------------------------------------------------------------

export function mapDatastore(d: SdkDatastore): Datastore {
  const p = resourceProperties(d, 'datastore');
  const credentials = asObject(p['credentials']) ?? {};
  const credentialsType = str(credentials['credentialsType']) ?? 'None';
  const times = systemTimes(d.systemData);
  return withoutUndefined({
    id: d.id ?? '',
    name: d.name ?? lastSegment(d.id) ?? '',
    datastoreType: str(p['datastoreType']) ?? 'Unknown',
    accountName: str(p['accountName']),
    containerName: str(p['containerName']),
    fileShareName: str(p['fileShareName']),
    filesystem: str(p['filesystem']),
    storeName: str(p['storeName']),
    endpoint: str(p['endpoint']),
    protocol: str(p['protocol']),
    isDefault: p['isDefault'] === true,
    credentialsType,
    servicePrincipal: credentialsType === 'ServicePrincipal'
      ? withoutUndefined({
          tenantId: str(credentials['tenantId']),
          clientId: str(credentials['clientId']),
          authorityUrl: str(credentials['authorityUrl']),
          resourceUrl: str(credentials['resourceUrl']),
        })
      : undefined,
    serviceDataAccessAuthIdentity: str(p['serviceDataAccessAuthIdentity']),
    description: str(p['description']),
    tags: stringMap(p['tags']),
    properties: stringMap(p['properties']),
    createdAt: times.createdAt,
    lastModifiedAt: times.lastModifiedAt,
  });
}

export function mapDatastoreSecrets(s: DatastoreSecretsUnion, datastoreName: string): DatastoreSecrets {
  const r = s as unknown as Loose;
  switch (r['secretsType']) {
    case 'AccountKey': return { secretsType: 'AccountKey', key: str(r['key']) ?? '' };
    case 'Sas': return { secretsType: 'Sas', sasToken: str(r['sasToken']) ?? '' };
    case 'ServicePrincipal': return { secretsType: 'ServicePrincipal', clientSecret: str(r['clientSecret']) ?? '' };
    case 'Certificate': return { secretsType: 'Certificate', certificate: str(r['certificate']) ?? '' };
    default:
      throw new AzureMlError(l10n.t('The secrets of datastore "{0}" are not what was expected (secrets type "{1}"): try again; if it keeps happening, update the datastore\'s credentials.',
        datastoreName, String(r['secretsType'] ?? 'none')), undefined, 'UnsupportedSecretsType');
  }
}

function datastoreCredentialsBody(input: DatastoreInput): Loose {
  const c = input.credentials;
  switch (c.credentialsType) {
    case 'AccountKey':
      return { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: c.key } };
    case 'Sas':
      return { credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: c.sasToken } };
    case 'ServicePrincipal':
      return withoutUndefined({
        credentialsType: 'ServicePrincipal', tenantId: c.tenantId, clientId: c.clientId,
        authorityUrl: c.authorityUrl, resourceUrl: c.resourceUrl,
        secrets: { secretsType: 'ServicePrincipal', clientSecret: c.clientSecret },
      });
    case 'None':
      return { credentialsType: 'None' };
  }
}

/** The PUT body for a datastore; `endpoint` defaults to the cloud's storage suffix. */
export function toSdkDatastore(input: DatastoreInput, cloud: Cloud): SdkDatastore {
  const location =
    input.datastoreType === 'AzureBlob' ? { containerName: input.containerName }
      : input.datastoreType === 'AzureFile' ? { fileShareName: input.fileShareName }
        : { filesystem: input.filesystem };
  const properties = withoutUndefined({
    datastoreType: input.datastoreType,
    accountName: input.accountName,
    ...location,
    endpoint: input.endpoint ?? cloud.storageEndpointSuffix,
    protocol: input.protocol ?? 'https',
    credentials: datastoreCredentialsBody(input),
    description: input.description,
    tags: input.tags,
  });
  return { properties } as unknown as SdkDatastore;
}

// ---- code assets ----------------------------------------------------------------------------

export function mapAssetContainer(r: Loose | object): AssetContainer {
  const resource = r as Loose;
  const p = asObject(resource['properties']) ?? {};
  return withoutUndefined({
    id: str(resource['id']) ?? '',
    name: str(resource['name']) ?? '',
    description: str(p['description']),
    latestVersion: str(p['latestVersion']),
    dataType: str(p['dataType']),
    isArchived: typeof p['isArchived'] === 'boolean' ? p['isArchived'] : undefined,
    tags: stringMap(p['tags']),
    properties: stringMap(p['properties']),
    createdAt: systemTimes(asObject(resource['systemData'])).createdAt,
  });
}

export function mapCodeVersion(r: SdkCodeVersion | Loose, fallbackName: string): CodeVersion {
  const resource = r as Loose;
  const id = str(resource['id']) ?? '';
  const p = asObject(resource['properties']) ?? {};
  const properties = stringMap(p['properties']);
  return withoutUndefined({
    id,
    name: armIdSegment(id, 'codes') ?? fallbackName,
    version: str(resource['name']) ?? lastSegment(id) ?? '',
    codeUri: str(p['codeUri']),
    isAnonymous: p['isAnonymous'] === true,
    hashSha256: properties['hash_sha256'],
    hashVersion: properties['hash_version'],
    description: str(p['description']),
    tags: stringMap(p['tags']),
    properties,
    createdAt: systemTimes(asObject(resource['systemData'])).createdAt,
  });
}

export function toSdkCodeVersion(input: CodeVersionInput): SdkCodeVersion {
  const properties: Tags = {};
  if (input.hashSha256) properties['hash_sha256'] = input.hashSha256;
  if (input.hashVersion) properties['hash_version'] = input.hashVersion;
  return {
    properties: withoutUndefined({
      codeUri: input.codeUri,
      isAnonymous: input.isAnonymous ?? false,
      description: input.description,
      tags: input.tags,
      properties,
    }),
  };
}

export function mapPendingUpload(raw: unknown): PendingUpload {
  const r = asObject(raw) ?? {};
  const blob = asObject(r['blobReferenceForConsumption']) ?? {};
  const credential = asObject(blob['credential']) ?? {};
  const blobUri = str(blob['blobUri']);
  const sasUri = str(credential['sasUri']);
  if (!blobUri || !sasUri) {
    throw new AzureMlError(l10n.t('The pending upload answer has no blob URI or SAS URI.'), undefined, 'InvalidPendingUpload');
  }
  return withoutUndefined({
    pendingUploadId: str(r['pendingUploadId']),
    pendingUploadType: str(r['pendingUploadType']),
    blobUri,
    sasUri,
    storageAccountArmId: str(blob['storageAccountArmId']),
  });
}

// ---- jobs -----------------------------------------------------------------------------------

function mapJobIo(raw: unknown, typeKey: 'jobInputType' | 'jobOutputType'): JobIo | undefined {
  const r = asObject(raw);
  if (!r) return undefined;
  return withoutUndefined({
    type: str(r[typeKey]) ?? 'unknown',
    value: str(r['value']),
    uri: str(r['uri']),
    mode: str(r['mode']),
    description: str(r['description']),
  });
}

function mapJobIos(raw: unknown, typeKey: 'jobInputType' | 'jobOutputType'): Record<string, JobIo> {
  const out: Record<string, JobIo> = {};
  for (const [name, value] of Object.entries(asObject(raw) ?? {})) {
    const io = mapJobIo(value, typeKey);
    if (io) out[name] = io;
  }
  return out;
}

function mapJobServices(raw: unknown): Record<string, JobServiceEndpoint> {
  const out: Record<string, JobServiceEndpoint> = {};
  for (const [name, value] of Object.entries(asObject(raw) ?? {})) {
    const s = asObject(value);
    if (!s) continue;
    out[name] = withoutUndefined({
      jobServiceType: str(s['jobServiceType']),
      endpoint: str(s['endpoint']),
      status: str(s['status']),
      port: num(s['port']),
    });
  }
  return out;
}

/** The ARM resource envelope as it comes over the wire (or from the SDK). */
export interface ArmResource {
  id?: string;
  name?: string;
  properties?: unknown;
  systemData?: unknown;
}

export function mapJob(r: SdkJobBase | ArmResource): Job {
  const p = resourceProperties(r, 'job');
  const services = mapJobServices(p['services']);
  const properties = stringMap(p['properties']);
  const times = systemTimes(asObject(r.systemData));
  return withoutUndefined({
    id: r.id ?? '',
    name: r.name ?? lastSegment(r.id) ?? '',
    displayName: str(p['displayName']),
    experimentName: str(p['experimentName']) ?? 'Default',
    status: str(p['status']) ?? 'Unknown',
    jobType: str(p['jobType']) ?? 'Unknown',
    description: str(p['description']),
    command: str(p['command']),
    computeId: str(p['computeId']),
    environmentId: str(p['environmentId']),
    codeId: str(p['codeId']),
    createdAt: times.createdAt,
    createdBy: times.createdBy,
    tags: stringMap(p['tags']),
    properties,
    isArchived: p['isArchived'] === true,
    services,
    studioUrl: services['Studio']?.endpoint,
    inputs: mapJobIos(p['inputs'], 'jobInputType'),
    outputs: mapJobIos(p['outputs'], 'jobOutputType'),
    environmentVariables: stringMap(p['environmentVariables']),
    instanceCount: num(asObject(p['resources'])?.['instanceCount']),
    timeout: str(asObject(p['limits'])?.['timeout']),
  });
}

/**
 * The PUT body of a command job. Sent raw: the SDK's serializer drops `uri` and `mode` of
 * uri_file/uri_folder/model inputs and outputs (Azure/azure-sdk-for-js#29328).
 */
export function commandJobBody(input: CommandJobInput): { properties: Loose } {
  const inputs: Record<string, Loose> = {};
  for (const [name, spec] of Object.entries(input.inputs ?? {})) {
    inputs[name] = spec.type === 'literal'
      ? withoutUndefined({ jobInputType: 'literal', value: spec.value, description: spec.description })
      : withoutUndefined({ jobInputType: spec.type, uri: spec.uri, mode: spec.mode, description: spec.description });
  }
  const outputs: Record<string, Loose> = {};
  for (const [name, spec] of Object.entries(input.outputs ?? {})) {
    outputs[name] = withoutUndefined({ jobOutputType: spec.type, uri: spec.uri, mode: spec.mode, description: spec.description });
  }
  const properties = withoutUndefined({
    jobType: 'Command',
    command: input.command,
    environmentId: input.environmentId,
    displayName: input.displayName,
    experimentName: input.experimentName,
    description: input.description,
    tags: input.tags,
    properties: input.properties,
    computeId: input.computeId,
    codeId: input.codeId,
    inputs: input.inputs ? inputs : undefined,
    outputs: input.outputs ? outputs : undefined,
    environmentVariables: input.environmentVariables,
    resources: input.instanceCount !== undefined ? { instanceCount: input.instanceCount } : undefined,
    limits: input.timeout ? { jobLimitsType: 'Command', timeout: input.timeout } : undefined,
  });
  return { properties };
}

/** The job with the start/end times run history knows (the ARM view has none). */
export function jobWithRunTimes(job: Job, details: Pick<RunDetails, 'startTime' | 'endTime'>): Job {
  return withoutUndefined({ ...job, startTime: details.startTime ?? job.startTime, endTime: details.endTime ?? job.endTime });
}

// ---- run history ----------------------------------------------------------------------------

export function mapRunDetails(raw: unknown): RunDetails {
  const r = asObject(raw) ?? {};
  const errorEnvelope = asObject(r['error']);
  const error = asObject(errorEnvelope?.['error']) ?? errorEnvelope;
  const warnings = Array.isArray(r['warnings']) ? r['warnings'] : [];
  return withoutUndefined({
    runId: str(r['runId']) ?? '',
    runUuid: str(r['runUuid']),
    status: str(r['status']) ?? 'Unknown',
    target: str(r['target']),
    startTime: toDate(r['startTimeUtc']),
    endTime: toDate(r['endTimeUtc']),
    logFiles: stringMap(r['logFiles']),
    warnings: warnings.map((w) => {
      const o = asObject(w) ?? {};
      return withoutUndefined({ source: str(o['source']), message: maskSecrets(str(o['message']) ?? '') });
    }),
    // A script's exception may quote a connection string or a SAS URL: shown in notifications and tooltips.
    error: error && (str(error['message']) || str(error['code']))
      ? withoutUndefined({ code: str(error['code']), message: maskSecrets(str(error['message']) ?? '') })
      : undefined,
    properties: stringMap(r['properties']),
    tags: stringMap(r['tags']),
  });
}

/**
 * A run as run history describes it (`GET .../runs/{id}`, or an item of `.../children`), as a
 * job: the ARM view of a pipeline's child job has only its id, name and type.
 */
export function mapRunAsJob(raw: unknown, armId = ''): Job {
  const r = asObject(raw) ?? {};
  const runId = str(r['runId']) ?? '';
  const createdBy = asObject(r['createdBy']);
  return withoutUndefined({
    id: armId,
    name: runId,
    displayName: str(r['displayName']),
    experimentName: str(r['experimentName']) ?? 'Default',
    status: str(r['status']) ?? 'Unknown',
    jobType: str(r['runType']) ?? 'Unknown',
    description: str(r['description']) || undefined,
    computeId: str(r['target']),
    createdAt: toDate(r['createdUtc']),
    createdBy: str(createdBy?.['userName']),
    startTime: toDate(r['startTimeUtc']),
    endTime: toDate(r['endTimeUtc']),
    tags: stringMap(r['tags']),
    properties: stringMap(r['properties']),
    isArchived: false,
    services: {},
    inputs: {},
    outputs: {},
    environmentVariables: {},
  });
}

export function mapExperiment(raw: unknown): Experiment {
  const r = asObject(raw) ?? {};
  return withoutUndefined({
    experimentId: str(r['experimentId']) ?? '',
    name: str(r['name']) ?? '',
    description: str(r['description']) || undefined,
    createdAt: toDate(r['createdUtc']),
    archivedAt: toDate(r['archivedTime']),
    tags: stringMap(r['tags']),
    artifactLocation: str(r['artifactLocation']),
  });
}

// ---- models ---------------------------------------------------------------------------------

export function mapModelContainer(r: SdkModelContainer, what = 'model'): ModelContainer {
  const p = resourceProperties(r, what);
  const times = systemTimes(r.systemData);
  return withoutUndefined({
    id: r.id ?? '',
    name: r.name ?? lastSegment(r.id) ?? '',
    description: str(p['description']),
    tags: stringMap(p['tags']),
    properties: stringMap(p['properties']),
    latestVersion: str(p['latestVersion']),
    nextVersion: str(p['nextVersion']),
    isArchived: p['isArchived'] === true,
    createdAt: times.createdAt,
    lastModifiedAt: times.lastModifiedAt,
  });
}

export function mapComponentContainer(r: SdkModelContainer): ComponentContainer {
  return mapModelContainer(r, 'component');
}

export function toSdkModelContainer(input: ModelContainerInput): SdkModelContainer {
  return { properties: withoutUndefined({ description: input.description, tags: input.tags }) };
}

export function mapModelVersion(r: SdkModelVersion, fallbackName: string): ModelVersion {
  const p = resourceProperties(r, l10n.t('model version'));
  const times = systemTimes(r.systemData);
  return withoutUndefined({
    id: r.id ?? '',
    name: armIdSegment(r.id, 'models') ?? fallbackName,
    version: r.name ?? lastSegment(r.id) ?? '',
    modelType: str(p['modelType']),
    modelUri: str(p['modelUri']),
    jobName: str(p['jobName']),
    description: str(p['description']),
    tags: stringMap(p['tags']),
    properties: stringMap(p['properties']),
    flavors: Object.keys(asObject(p['flavors']) ?? {}),
    isAnonymous: p['isAnonymous'] === true,
    isArchived: p['isArchived'] === true,
    createdAt: times.createdAt,
    createdBy: times.createdBy,
  });
}

export function toSdkModelVersion(input: ModelVersionInput): SdkModelVersion {
  return {
    properties: withoutUndefined({
      modelUri: input.modelUri,
      modelType: input.modelType ?? 'custom_model',
      jobName: input.jobName,
      description: input.description,
      tags: input.tags,
      properties: input.properties,
      isArchived: input.isArchived,
    }),
  };
}

// ---- computes -------------------------------------------------------------------------------

export function mapCompute(r: SdkComputeResource): Compute {
  const p = (r.properties ?? {}) as unknown as Loose;
  const inner = asObject(p['properties']) ?? {};
  const scale = asObject(inner['scaleSettings']) ?? {};
  const applications = Array.isArray(inner['applications']) ? inner['applications'] : [];
  const provisioningState = str(p['provisioningState']);
  return withoutUndefined({
    id: r.id ?? '',
    name: r.name ?? lastSegment(r.id) ?? '',
    computeType: str(p['computeType']) ?? 'Unknown',
    location: r.location ?? str(p['computeLocation']),
    provisioningState,
    state: str(inner['state']) ?? str(inner['allocationState']) ?? provisioningState,
    description: str(p['description']),
    vmSize: str(inner['vmSize']),
    vmPriority: str(inner['vmPriority']),
    minNodeCount: num(scale['minNodeCount']),
    maxNodeCount: num(scale['maxNodeCount']),
    currentNodeCount: num(inner['currentNodeCount']),
    targetNodeCount: num(inner['targetNodeCount']),
    isAttached: p['isAttachedCompute'] === true,
    resourceId: str(p['resourceId']),
    createdAt: toDate(p['createdOn']),
    modifiedAt: toDate(p['modifiedOn']),
    applications: applications.map((a) => {
      const o = asObject(a) ?? {};
      return withoutUndefined({ displayName: str(o['displayName']), endpointUri: str(o['endpointUri']) });
    }),
  });
}
