/**
 * Empty drafts, and drafts rebuilt from untrusted data (a webview message, saved webview
 * state): every field coerced to its type, unknown fields dropped, enums checked. Pure, so
 * both the extension host and the webview use it.
 */
import {
  datastoreAuthTypes, datastoreSecretFields, formDatastoreTypes, modelSources, modelTypes, storageProtocols,
  type DatastoreDraft, type ModelDraft, type TagRow,
} from './protocol';

export function emptyDatastoreDraft(endpointSuffix: string): DatastoreDraft {
  return {
    name: '', datastoreType: 'AzureBlob', accountName: '', container: '', endpoint: endpointSuffix, protocol: 'https',
    authType: 'AccountKey', accountKey: '', sasToken: '', tenantId: '', clientId: '', clientSecret: '',
    description: '', tags: [], skipValidation: false,
  };
}

export function emptyModelDraft(): ModelDraft {
  return {
    source: 'datastore', localPath: '', experimentName: '', jobName: '', runPath: '', datastoreName: '', datastorePath: '',
    name: '', version: '1', modelType: 'custom_model', description: '', tags: [],
  };
}

const maxTextLength = 10_000;
const maxTags = 50;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.slice(0, maxTextLength) : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.find((a) => a === value) ?? fallback;
}

function tagRows(value: unknown, fallback: TagRow[]): TagRow[] {
  if (!Array.isArray(value)) return fallback;
  return value.slice(0, maxTags).filter(isRecord).map((row) => ({ key: text(row['key'], ''), value: text(row['value'], '') }));
}

/** A datastore draft from untrusted data; missing or malformed fields take `base`'s values. */
export function toDatastoreDraft(raw: unknown, base: DatastoreDraft): DatastoreDraft {
  const r = isRecord(raw) ? raw : {};
  return {
    name: text(r['name'], base.name),
    datastoreType: oneOf(r['datastoreType'], formDatastoreTypes, base.datastoreType),
    accountName: text(r['accountName'], base.accountName),
    container: text(r['container'], base.container),
    endpoint: text(r['endpoint'], base.endpoint),
    protocol: oneOf(r['protocol'], storageProtocols, base.protocol),
    authType: oneOf(r['authType'], datastoreAuthTypes, base.authType),
    accountKey: text(r['accountKey'], base.accountKey),
    sasToken: text(r['sasToken'], base.sasToken),
    tenantId: text(r['tenantId'], base.tenantId),
    clientId: text(r['clientId'], base.clientId),
    clientSecret: text(r['clientSecret'], base.clientSecret),
    description: text(r['description'], base.description),
    tags: tagRows(r['tags'], base.tags),
    skipValidation: typeof r['skipValidation'] === 'boolean' ? r['skipValidation'] : base.skipValidation,
  };
}

/** The draft with every secret field emptied. */
export function withoutDatastoreSecrets(draft: DatastoreDraft): DatastoreDraft {
  const copy = { ...draft, tags: draft.tags.map((t) => ({ ...t })) };
  for (const field of datastoreSecretFields) copy[field] = '';
  return copy;
}

export function toModelDraft(raw: unknown, base: ModelDraft): ModelDraft {
  const r = isRecord(raw) ? raw : {};
  return {
    source: oneOf(r['source'], modelSources, base.source),
    localPath: text(r['localPath'], base.localPath),
    experimentName: text(r['experimentName'], base.experimentName),
    jobName: text(r['jobName'], base.jobName),
    runPath: text(r['runPath'], base.runPath),
    datastoreName: text(r['datastoreName'], base.datastoreName),
    datastorePath: text(r['datastorePath'], base.datastorePath),
    name: text(r['name'], base.name),
    version: text(r['version'], base.version),
    modelType: oneOf(r['modelType'], modelTypes, base.modelType),
    description: text(r['description'], base.description),
    tags: tagRows(r['tags'], base.tags),
  };
}
