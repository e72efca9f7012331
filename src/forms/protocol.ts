/**
 * The messages between the registration forms (webviews) and the extension host, and the
 * drafts they carry. Plain types and constants only: no vscode and no DOM, so the extension
 * (tsconfig.json) and the webview scripts (src/webview/tsconfig.json) compile the same file.
 *
 * A webview starts by posting `ready`; the host answers `init` with the draft to show (the
 * one it kept while the panel was hidden) and the choices the form offers.
 */

export interface TagRow {
  key: string;
  value: string;
}

// ---- Register Datastore ----------------------------------------------------------------------

export const formDatastoreTypes = ['AzureBlob', 'AzureFile', 'AzureDataLakeGen2'] as const;
export type FormDatastoreType = (typeof formDatastoreTypes)[number];

export const datastoreAuthTypes = ['AccountKey', 'Sas', 'ServicePrincipal', 'None'] as const;
export type DatastoreAuthType = (typeof datastoreAuthTypes)[number];

export const storageProtocols = ['https', 'http'] as const;
export type StorageProtocol = (typeof storageProtocols)[number];

export interface DatastoreDraft {
  name: string;
  datastoreType: FormDatastoreType;
  accountName: string;
  /** The container, file share or file system, depending on `datastoreType`. */
  container: string;
  endpoint: string;
  protocol: StorageProtocol;
  authType: DatastoreAuthType;
  /** Secret. */
  accountKey: string;
  /** Secret. */
  sasToken: string;
  tenantId: string;
  clientId: string;
  /** Secret. */
  clientSecret: string;
  description: string;
  tags: TagRow[];
  skipValidation: boolean;
}

/** Fields of a datastore draft that hold secrets: never stored in webview state or replayed after a submit. */
export const datastoreSecretFields = ['accountKey', 'sasToken', 'clientSecret'] as const;

export type DatastoreField = Exclude<keyof DatastoreDraft, 'skipValidation'>;

export interface DatastoreFormOptions {
  workspaceName: string;
  /** The cloud's storage endpoint suffix, prefilled in the form. */
  endpointSuffix: string;
  /** Names already taken in the workspace (compared case-insensitively): registering one replaces it. */
  existingNames: string[];
  /** The workspace's default datastore, when known. */
  defaultName?: string;
  /** The local workspace's one storage account, reached through its endpoint suffix. */
  localStorage?: LocalStorageAccount;
}

export interface LocalStorageAccount {
  accountName: string;
  endpointSuffix: string;
}

export type DatastoreWebviewMessage =
  | CommonWebviewMessage<DatastoreDraft>
  | { type: 'checkConnection'; draft: DatastoreDraft };

// ---- Register Model ------------------------------------------------------------------------

export const modelSources = ['local', 'run', 'datastore'] as const;
export type ModelSource = (typeof modelSources)[number];

export const modelTypes = ['custom_model', 'mlflow_model', 'triton_model'] as const;
export type ModelType = (typeof modelTypes)[number];

export interface ModelDraft {
  source: ModelSource;
  /** source `local`: an absolute path on this machine. */
  localPath: string;
  /** source `run`. */
  experimentName: string;
  jobName: string;
  /** source `run`: relative to the run's artifact folder, e.g. `outputs/model.pkl`. */
  runPath: string;
  /** source `datastore`. */
  datastoreName: string;
  datastorePath: string;
  name: string;
  version: string;
  modelType: ModelType;
  description: string;
  tags: TagRow[];
}

export type ModelField = keyof ModelDraft;

export interface ModelChoice {
  name: string;
  latestVersion?: string;
  nextVersion?: string;
}

export interface ModelFormOptions {
  workspaceName: string;
  experiments: string[];
  datastores: Array<{ name: string; datastoreType: string; isDefault: boolean }>;
  models: ModelChoice[];
  /** Where local files go: the default datastore's name (undefined: none, so no local upload). */
  uploadDatastore?: string;
  /** Why local upload is not offered, when it is not. */
  localUploadUnavailable?: string;
}

export interface RunChoice {
  name: string;
  displayName: string;
  status: string;
  /** ISO 8601. */
  createdAt?: string;
}

export type ModelWebviewMessage =
  | CommonWebviewMessage<ModelDraft>
  | { type: 'browseLocal'; pick: 'file' | 'folder' }
  | { type: 'loadRuns'; experimentName: string }
  | { type: 'loadRunOutputs'; jobName: string }
  | { type: 'loadModel'; name: string };

/** Messages every form's webview sends. */
export type CommonWebviewMessage<D> =
  | { type: 'ready' }
  | { type: 'draftChanged'; draft: D }
  | { type: 'submit'; draft: D }
  | { type: 'cancel' };

// ---- Host to webview -----------------------------------------------------------------------

export type StatusKind = 'info' | 'success' | 'error';

/** Messages every form receives. */
export type CommonHostMessage<F extends string> =
  /** Host-side validation of the last submit or check: replaces the host's earlier errors. */
  | { type: 'fieldErrors'; errors: Partial<Record<F, string>> }
  /** A long operation started (buttons disabled, the message shown with a spinner). */
  | { type: 'busy'; message: string }
  | { type: 'idle' }
  /** One sentence under the form: the result of a check, or why a save failed. */
  | { type: 'status'; kind: StatusKind; message: string; field?: F }
  | { type: 'saved'; message: string };

export type DatastoreHostMessage =
  | { type: 'init'; draft: DatastoreDraft; options: DatastoreFormOptions }
  | CommonHostMessage<DatastoreField>;

export type ModelHostMessage =
  | { type: 'init'; draft: ModelDraft; options: ModelFormOptions }
  | CommonHostMessage<ModelField>
  | { type: 'runs'; experimentName: string; runs: RunChoice[]; note?: string }
  | { type: 'runOutputs'; jobName: string; paths: string[]; note?: string }
  | { type: 'localPicked'; path: string }
  | { type: 'modelInfo'; model: ModelChoice; exists: boolean };
