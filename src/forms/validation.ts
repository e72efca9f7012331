/**
 * The registration forms' rules, in one pure module: the webview checks as the user types and
 * the extension host checks again before it acts (it never trusts the webview). Each rule
 * answers the message to show next to the field, or undefined when the value is fine.
 */
import * as l10n from '@vscode/l10n';
import { normalizeSasToken, sasTokenProblem, utcMinute } from '../azure/sasToken';
import type {
  DatastoreAuthType, DatastoreDraft, DatastoreField, FormDatastoreType, LocalStorageAccount, ModelDraft, ModelField, TagRow,
} from './protocol';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** Azure ML datastore names (case-insensitive): as the workspace service checks them. */
export const datastoreNamePattern = /^[a-zA-Z0-9_]{1,255}$/;
/** Azure ML asset names (models), as the service checks them on PUT. */
export const assetNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;
/** Azure ML asset versions: like names, plus dots (`1.0.2`). */
export const assetVersionPattern = /^[a-zA-Z0-9][a-zA-Z0-9\-_.]{0,254}$/;
export const storageAccountNamePattern = /^[a-z0-9]{3,24}$/;
/** Blob containers, file shares and ADLS Gen2 file systems share this rule. */
export const containerNamePattern = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const hostLabel = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
export const endpointSuffixPattern = new RegExp(`^${hostLabel}(?:\\.${hostLabel})*$`, 'i');
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Which credentials each storage type takes; every type can also go without (identity-based access). */
export function authTypesFor(datastoreType: FormDatastoreType): readonly DatastoreAuthType[] {
  return datastoreType === 'AzureDataLakeGen2' ? ['ServicePrincipal', 'None'] : ['AccountKey', 'Sas', 'None'];
}

/** What the datastore points at inside the account, in words: "container", "file share", "file system". */
export function containerNoun(datastoreType: FormDatastoreType): string {
  switch (datastoreType) {
    case 'AzureBlob': return l10n.t('container');
    case 'AzureFile': return l10n.t('file share');
    case 'AzureDataLakeGen2': return l10n.t('file system');
  }
}

// ---- single fields ---------------------------------------------------------------------------

/**
 * The datastore name rule. `existingNames` refuses a taken name; the Register Datastore form
 * leaves them out, since registering under a taken name replaces that datastore (see
 * existingDatastoreName and replaceNote).
 */
export function datastoreNameError(name: string, existingNames: readonly string[] = []): string | undefined {
  if (!name) return l10n.t('Enter a name for the datastore.');
  if (name.length > 255) return l10n.t('Use at most 255 characters.');
  if (!datastoreNamePattern.test(name)) return l10n.t('Use only letters, digits and underscores (_).');
  const taken = existingDatastoreName(name, existingNames);
  if (taken) return l10n.t('A datastore named "{0}" already exists in this workspace.', taken);
  return undefined;
}

/** The existing datastore a name refers to (names are case-insensitive), as it is spelled there. */
export function existingDatastoreName(name: string, existingNames: readonly string[]): string | undefined {
  const wanted = name.trim().toLowerCase();
  return wanted ? existingNames.find((n) => n.toLowerCase() === wanted) : undefined;
}

/**
 * What the form says under the name when it is taken: not an error, since registering again is
 * how a datastore gets new settings or credentials (an expired SAS token, a rotated key).
 */
export function replaceNote(name: string, existingNames: readonly string[], defaultName?: string): string | undefined {
  const taken = existingDatastoreName(name, existingNames);
  if (!taken) return undefined;
  return defaultName !== undefined && taken.toLowerCase() === defaultName.toLowerCase()
    ? l10n.t('Datastore "{0}" exists and is the workspace default: registering replaces its settings and credentials (you are asked first).', taken)
    : l10n.t('Datastore "{0}" exists: registering replaces its settings and credentials (you are asked first).', taken);
}

/** `local`: given when the endpoint suffix is the local workspace's, whose storage has one account. */
export function storageAccountNameError(name: string, local?: LocalStorageAccount): string | undefined {
  if (!name) return l10n.t('Enter the storage account name.');
  if (name.length < 3 || name.length > 24) return l10n.t('A storage account name has 3 to 24 characters.');
  if (!storageAccountNamePattern.test(name)) return l10n.t('Use only lowercase letters and digits.');
  if (local && name !== local.accountName) {
    return l10n.t('The local workspace has one storage account: "{0}".', local.accountName);
  }
  return undefined;
}

export function containerNameError(name: string, datastoreType: FormDatastoreType): string | undefined {
  const noun = containerNoun(datastoreType);
  if (!name) return l10n.t('Enter the {0} name.', noun);
  if (name.length < 3 || name.length > 63) return l10n.t('A {0} name has 3 to 63 characters.', noun);
  if (/[^a-z0-9-]/.test(name)) return l10n.t('Use only lowercase letters, digits and hyphens (-).');
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return l10n.t('Start and end with a letter or digit.');
  if (name.includes('--')) return l10n.t('Do not use two hyphens in a row.');
  return containerNamePattern.test(name) ? undefined : l10n.t('Not a valid {0} name.', noun);
}

export function endpointSuffixError(suffix: string): string | undefined {
  if (!suffix) return l10n.t('Enter the storage endpoint suffix, e.g. core.windows.net.');
  if (/^[a-z]+:\/\//i.test(suffix) || suffix.includes('/')) return l10n.t('Enter only the suffix (e.g. core.windows.net), not a URL.');
  return endpointSuffixPattern.test(suffix) ? undefined : l10n.t('Not a valid host name suffix.');
}

export function accountKeyError(key: string): string | undefined {
  if (!key) return l10n.t('Enter the storage account key.');
  if (/\s/.test(key)) return l10n.t('The key contains spaces or line breaks: paste it again.');
  return base64Pattern.test(key) ? undefined : l10n.t('An account key is base64 text (88 characters for Azure Storage).');
}

export { normalizeSasToken };

export function sasTokenError(token: string, now: Date = new Date()): string | undefined {
  const problem = sasTokenProblem(token, now);
  switch (problem?.kind) {
    case undefined: return undefined;
    case 'empty': return l10n.t('Enter the SAS token.');
    case 'url': return l10n.t('Paste only the token (the part after "?"), not the whole URL.');
    case 'noSignature': return l10n.t('This is not a SAS token: it has no signature (sig=).');
    case 'noVersion': return l10n.t('This is not a SAS token: it has no version (sv=).');
    case 'expired': return l10n.t('This SAS token expired on {0}.', utcMinute(problem.at));
    case 'notYetValid': return l10n.t('This SAS token is not valid before {0}: create one that starts now.', utcMinute(problem.at));
  }
}

export function guidError(value: string, what: string): string | undefined {
  if (!value) return l10n.t('Enter the {0}.', what);
  return guidPattern.test(value) ? undefined : l10n.t('The {0} is a GUID, e.g. 00000000-0000-0000-0000-000000000000.', what);
}

export function clientSecretError(secret: string): string | undefined {
  return secret ? undefined : l10n.t('Enter the client secret.');
}

export function modelNameError(name: string): string | undefined {
  if (!name) return l10n.t('Enter a name for the model.');
  if (name.length > 255) return l10n.t('Use at most 255 characters.');
  if (!/^[a-zA-Z0-9]/.test(name)) return l10n.t('Start with a letter or digit.');
  return assetNamePattern.test(name) ? undefined : l10n.t('Use only letters, digits, hyphens (-) and underscores (_).');
}

export function modelVersionError(version: string): string | undefined {
  if (!version) return l10n.t('Enter a version, e.g. 1.');
  if (version.length > 255) return l10n.t('Use at most 255 characters.');
  if (!/^[a-zA-Z0-9]/.test(version)) return l10n.t('Start with a letter or digit.');
  return assetVersionPattern.test(version) ? undefined : l10n.t('Use only letters, digits, dots (.), hyphens (-) and underscores (_).');
}

/** A path inside a datastore or a run's artifacts: relative, `/`-separated, no `..`. */
export function storagePathError(path: string, what: string): string | undefined {
  if (!path.trim()) return l10n.t('Enter the {0}.', what);
  if (path.startsWith('/')) return l10n.t('Enter the path without a leading "/".');
  if (path.includes('\\')) return l10n.t('Separate folders with "/".');
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) return l10n.t('The path cannot contain "." or ".." segments.');
  return undefined;
}

export function localPathError(path: string): string | undefined {
  if (!path) return l10n.t('Choose a file or folder on this machine.');
  return /^(\/|[a-zA-Z]:[\\/]|\\\\)/.test(path) ? undefined : l10n.t('Enter an absolute path.');
}

/** Tag rows: blank rows are ignored; every other row needs a key, and keys are unique. */
export function tagsError(rows: readonly TagRow[]): string | undefined {
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const key = row.key.trim();
    if (!key && !row.value.trim()) continue;
    if (!key) return l10n.t('Tag {0} has a value but no name.', index + 1);
    if (key.length > 256) return l10n.t('Tag "{0}…" has a name longer than 256 characters.', key.slice(0, 20));
    if (seen.has(key)) return l10n.t('The tag "{0}" appears twice.', key);
    seen.add(key);
  }
  return undefined;
}

/** Tag rows as the service takes them (blank rows dropped, keys trimmed). */
export function tagsToRecord(rows: readonly TagRow[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key) tags[key] = row.value;
  }
  return tags;
}

// ---- whole forms ---------------------------------------------------------------------------

/** A taken name is no error here: registering under it replaces that datastore, after a confirmation. */
export interface DatastoreRulesContext {
  localStorage?: LocalStorageAccount;
  now?: Date;
}

function collect<F extends string>(checks: Array<[F, string | undefined]>): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const [field, error] of checks) if (error) errors[field] = error;
  return errors;
}

/** Every rule that applies to the draft's storage type and authentication. */
export function validateDatastoreDraft(draft: DatastoreDraft, context: DatastoreRulesContext = {}): FieldErrors<DatastoreField> {
  const checks: Array<[DatastoreField, string | undefined]> = [
    ['name', datastoreNameError(draft.name.trim())],
    ['accountName', storageAccountNameError(draft.accountName.trim(),
      context.localStorage && draft.endpoint.trim() === context.localStorage.endpointSuffix ? context.localStorage : undefined)],
    ['container', containerNameError(draft.container.trim(), draft.datastoreType)],
    ['endpoint', endpointSuffixError(draft.endpoint.trim())],
    ['tags', tagsError(draft.tags)],
  ];
  if (!authTypesFor(draft.datastoreType).includes(draft.authType)) {
    checks.push(['authType', l10n.t('A {0} datastore cannot use this authentication.', containerNoun(draft.datastoreType))]);
  }
  switch (draft.authType) {
    case 'AccountKey':
      checks.push(['accountKey', accountKeyError(draft.accountKey.trim())]);
      break;
    case 'Sas':
      checks.push(['sasToken', sasTokenError(draft.sasToken, context.now)]);
      break;
    case 'ServicePrincipal':
      checks.push(
        ['tenantId', guidError(draft.tenantId.trim(), l10n.t('tenant ID'))],
        ['clientId', guidError(draft.clientId.trim(), l10n.t('client ID'))],
        ['clientSecret', clientSecretError(draft.clientSecret)],
      );
      break;
    case 'None':
      break;
  }
  return collect(checks);
}

export interface ModelRulesContext {
  /** Whether local files can be uploaded (an upload datastore exists). */
  localUploadAvailable?: boolean;
}

export function validateModelDraft(draft: ModelDraft, context: ModelRulesContext = {}): FieldErrors<ModelField> {
  const checks: Array<[ModelField, string | undefined]> = [
    ['name', modelNameError(draft.name.trim())],
    ['version', modelVersionError(draft.version.trim())],
    ['tags', tagsError(draft.tags)],
  ];
  switch (draft.source) {
    case 'local':
      checks.push(['localPath', context.localUploadAvailable === false
        ? l10n.t('Local files cannot be uploaded to this workspace (it has no default datastore).')
        : localPathError(draft.localPath.trim())]);
      break;
    case 'run':
      checks.push(
        ['experimentName', draft.experimentName ? undefined : l10n.t('Choose the experiment of the run.')],
        ['jobName', draft.jobName ? undefined : l10n.t('Choose the run.')],
        ['runPath', storagePathError(draft.runPath.trim(), l10n.t('path among the run\'s outputs'))],
      );
      break;
    case 'datastore':
      checks.push(
        ['datastoreName', draft.datastoreName ? undefined : l10n.t('Choose the datastore.')],
        ['datastorePath', storagePathError(draft.datastorePath.trim(), l10n.t('path in the datastore'))],
      );
      break;
  }
  return collect(checks);
}

export function hasErrors(errors: Partial<Record<string, string>>): boolean {
  return Object.values(errors).some((e) => e !== undefined);
}
