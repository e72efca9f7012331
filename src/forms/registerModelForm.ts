import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { DatastoreStorage } from '../azure/datastoreStorage';
import type { Datastore, ModelVersion } from '../azure/domain';
import type { WorkspaceClient } from '../azure/workspaceClient';
import type { ActiveWorkspace, Connection } from '../connection/connection';
import { loadAzureModules } from '../connection/loadAzureModules';
import { collectPages } from '../core/pages';
import type { Log } from '../ui/log';
import { emptyModelDraft, toModelDraft } from './drafts';
import type { FormDefinition, FormPanel } from './formPanel';
import { uploadLocalModel } from './localModelUpload';
import { baseName, datastoreModelUri, jobArtifactModelUri, localUploadFolder } from './modelUris';
import type {
  ModelChoice, ModelDraft, ModelField, ModelFormOptions, ModelHostMessage, ModelWebviewMessage, RunChoice,
} from './protocol';
import { hasErrors, tagsToRecord, validateModelDraft, type FieldErrors } from './validation';

type Panel = FormPanel<ModelDraft, ModelWebviewMessage, ModelHostMessage>;

export interface ModelFormContext {
  client: WorkspaceClient;
  connection: Connection;
  workspace: ActiveWorkspace;
  log: Log;
  onRegistered(model: ModelVersion): void;
}

/** Lists in the form stop at these sizes; the run list shows the newest runs. */
const maxExperiments = 200;
const maxDatastores = 500;
const maxModels = 500;
const maxRuns = 100;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function shortText(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 1024 ? value : undefined;
}

export function parseModelMessage(raw: unknown, current: ModelDraft): ModelWebviewMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw['type']) {
    case 'ready': return { type: 'ready' };
    case 'cancel': return { type: 'cancel' };
    case 'draftChanged':
    case 'submit':
      return isRecord(raw['draft']) ? { type: raw['type'], draft: toModelDraft(raw['draft'], current) } : undefined;
    case 'browseLocal':
      return raw['pick'] === 'file' || raw['pick'] === 'folder' ? { type: 'browseLocal', pick: raw['pick'] } : undefined;
    case 'loadRuns': {
      const experimentName = shortText(raw['experimentName']);
      return experimentName !== undefined ? { type: 'loadRuns', experimentName } : undefined;
    }
    case 'loadRunOutputs': {
      const jobName = shortText(raw['jobName']);
      return jobName !== undefined ? { type: 'loadRunOutputs', jobName } : undefined;
    }
    case 'loadModel': {
      const name = shortText(raw['name']);
      return name !== undefined ? { type: 'loadModel', name } : undefined;
    }
    default:
      return undefined;
  }
}

function fieldCount(errors: FieldErrors<ModelField>): string {
  const n = Object.keys(errors).length;
  return n === 1 ? vscode.l10n.t('One field needs attention.') : vscode.l10n.t('{0} fields need attention.', n);
}

function statusOf(error: unknown): number | undefined {
  return (error as { status?: number }).status;
}

/** The Register Model form of one workspace. */
export class RegisterModelForm implements FormDefinition<ModelDraft, ModelWebviewMessage, ModelHostMessage> {
  readonly viewType = 'azureml.registerModel';
  readonly title = vscode.l10n.t('Register Model');
  readonly panelTitle: string;
  readonly script = 'modelForm.js';
  readonly scope: string;
  private uploadDatastore: Promise<Datastore | undefined> | undefined;

  constructor(private readonly context: ModelFormContext) {
    const w = context.workspace;
    this.scope = `${w.connectionKind}/${w.subscriptionId}/${w.resourceGroup}/${w.workspaceName}`;
    this.panelTitle = vscode.l10n.t('Register Model: {0}', w.workspaceName);
  }

  static initialDraft(): ModelDraft {
    return emptyModelDraft();
  }

  parse(raw: unknown, current: ModelDraft): ModelWebviewMessage | undefined {
    return parseModelMessage(raw, current);
  }

  withoutSecrets(draft: ModelDraft): ModelDraft {
    return draft;
  }

  /** The default datastore, where local files are uploaded. */
  private defaultDatastore(): Promise<Datastore | undefined> {
    this.uploadDatastore ??= this.context.client.datastores.getDefault();
    this.uploadDatastore.catch(() => {
      this.uploadDatastore = undefined;
    });
    return this.uploadDatastore;
  }

  private async listed<T>(failure: (reason: string) => string, load: () => Promise<T[]>): Promise<T[]> {
    try {
      return await load();
    } catch (error) {
      this.context.log.warn(failure(String(error)));
      return [];
    }
  }

  async initMessage(draft: () => ModelDraft): Promise<ModelHostMessage> {
    const { client } = this.context;
    const [experiments, datastores, models, uploadTo] = await Promise.all([
      this.listed((reason) => vscode.l10n.t('Register Model: could not list the experiments: {0}', reason), () => collectPages((t) => client.runHistory.listExperiments(t ? { continuationToken: t } : {}), maxExperiments)),
      this.listed((reason) => vscode.l10n.t('Register Model: could not list the datastores: {0}', reason), () => collectPages((t) => client.datastores.list(t ? { continuationToken: t } : {}), maxDatastores)),
      this.listed((reason) => vscode.l10n.t('Register Model: could not list the models: {0}', reason), () => collectPages((t) => client.models.list(t ? { continuationToken: t } : {}), maxModels)),
      this.defaultDatastore().catch(() => undefined),
    ]);
    const options: ModelFormOptions = {
      workspaceName: this.context.workspace.workspaceName,
      experiments: experiments.map((e) => e.name).sort((a, b) => a.localeCompare(b)),
      datastores: datastores.map((d) => ({ name: d.name, datastoreType: d.datastoreType, isDefault: d.isDefault })),
      models: models.map((m): ModelChoice => ({
        name: m.name, ...(m.latestVersion ? { latestVersion: m.latestVersion } : {}), ...(m.nextVersion ? { nextVersion: m.nextVersion } : {}),
      })),
      ...(uploadTo ? { uploadDatastore: uploadTo.name } : { localUploadUnavailable: vscode.l10n.t('The workspace has no default datastore to upload local files to.') }),
    };
    // Read now, not before the lists (which can take seconds): the user may have typed meanwhile.
    return { type: 'init', draft: draft(), options };
  }

  async handle(message: ModelWebviewMessage, panel: Panel): Promise<void> {
    switch (message.type) {
      case 'loadRuns': return this.loadRuns(message.experimentName, panel);
      case 'loadRunOutputs': return this.loadRunOutputs(message.jobName, panel);
      case 'loadModel': return this.loadModel(message.name, panel);
      case 'browseLocal': return this.browseLocal(message.pick, panel);
      case 'submit': return this.submit(message.draft, panel);
      default: return undefined;
    }
  }

  private async loadRuns(experimentName: string, panel: Panel): Promise<void> {
    if (!experimentName) return panel.post({ type: 'runs', experimentName, runs: [] });
    const jobs = await collectPages((t) => this.context.client.jobs.list({ experimentName, ...(t ? { continuationToken: t } : {}) }), maxRuns);
    const runs: RunChoice[] = jobs.filter((j) => j.status === 'Completed').map((j) => ({
      name: j.name, displayName: j.displayName || j.name, status: j.status, ...(j.createdAt ? { createdAt: j.createdAt.toISOString() } : {}),
    }));
    const note = runs.length === 0 ? vscode.l10n.t('No completed runs in "{0}".', experimentName)
      : jobs.length >= maxRuns ? vscode.l10n.t('Showing the completed runs among the newest {0}.', maxRuns) : undefined;
    panel.post({ type: 'runs', experimentName, runs, ...(note ? { note } : {}) });
  }

  private async artifactStorage(): Promise<DatastoreStorage> {
    const sdk = await loadAzureModules();
    return this.openStorage(await this.context.client.datastores.get(sdk.artifactDatastoreName));
  }

  private async openStorage(datastore: Datastore): Promise<DatastoreStorage> {
    const sdk = await loadAzureModules();
    const { client, connection, workspace } = this.context;
    const secrets = datastore.credentialsType !== 'None' ? await client.datastores.listSecrets(datastore.name) : undefined;
    const userCredential = connection.userCredential(workspace.tenantId);
    return sdk.openDatastoreStorage({
      cloud: connection.cloud, datastore, ...(secrets ? { secrets } : {}), ...(userCredential ? { userCredential } : {}),
    });
  }

  private async loadRunOutputs(jobName: string, panel: Panel): Promise<void> {
    if (!jobName) return panel.post({ type: 'runOutputs', jobName, paths: [] });
    const sdk = await loadAzureModules();
    const { paths, truncated } = await sdk.listJobArtifactPaths(await this.artifactStorage(), jobName);
    const note = paths.length === 0 ? vscode.l10n.t('This run saved no outputs.') : truncated ? vscode.l10n.t('Showing the first 500 files.') : undefined;
    panel.post({ type: 'runOutputs', jobName, paths, ...(note ? { note } : {}) });
  }

  private async modelInfo(name: string): Promise<{ model: ModelChoice; exists: boolean }> {
    try {
      const model = await this.context.client.models.get(name);
      return {
        exists: true,
        model: { name: model.name, ...(model.latestVersion ? { latestVersion: model.latestVersion } : {}), nextVersion: model.nextVersion ?? '1' },
      };
    } catch (error) {
      if (statusOf(error) === 404) return { exists: false, model: { name, nextVersion: '1' } };
      throw error;
    }
  }

  private async loadModel(name: string, panel: Panel): Promise<void> {
    if (validateModelDraft({ ...emptyModelDraft(), name }).name) return;
    const { model, exists } = await this.modelInfo(name);
    panel.post({ type: 'modelInfo', model, exists });
  }

  private async browseLocal(pick: 'file' | 'folder', panel: Panel): Promise<void> {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFiles: pick === 'file', canSelectFolders: pick === 'folder', canSelectMany: false,
      title: pick === 'file' ? vscode.l10n.t('Model file to register') : vscode.l10n.t('Model folder to register'), openLabel: vscode.l10n.t('Choose'),
    });
    const uri = chosen?.[0];
    if (!uri) return;
    panel.draft = { ...panel.draft, source: 'local', localPath: uri.fsPath };
    panel.post({ type: 'localPicked', path: uri.fsPath });
  }

  /**
   * Checks on the service, the storage and the disk, after the shared rules passed. Also answers
   * whether the source is a folder (its URI then ends with `/`).
   */
  private async hostErrors(draft: ModelDraft): Promise<{ errors: FieldErrors<ModelField>; isFolder: boolean }> {
    const errors: FieldErrors<ModelField> = {};
    let isFolder = false;
    const name = draft.name.trim();
    const version = draft.version.trim();
    const { model, exists } = await this.modelInfo(name);
    if (exists) {
      try {
        await this.context.client.models.getVersion(name, version);
        errors.version = vscode.l10n.t('Version {0} of model "{1}" already exists. The next free version is {2}.', version, name, model.nextVersion ?? 'higher');
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    }
    const sdk = await loadAzureModules();
    switch (draft.source) {
      case 'local': {
        const path = draft.localPath.trim();
        const stat = await fs.stat(path).catch(() => undefined);
        if (!stat || (!stat.isFile() && !stat.isDirectory())) errors.localPath = vscode.l10n.t('There is no file or folder at {0}.', path);
        isFolder = stat?.isDirectory() ?? false;
        break;
      }
      case 'run': {
        try {
          await this.context.client.jobs.get(draft.jobName);
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
          errors.jobName = vscode.l10n.t('There is no run "{0}" in this workspace.', draft.jobName);
          break;
        }
        const path = draft.runPath.trim();
        const kind = await sdk.storagePathKind(await this.artifactStorage(), `${sdk.jobArtifactFolder(draft.jobName)}${path}`);
        if (!kind) errors.runPath = vscode.l10n.t('The run has no output "{0}".', path);
        isFolder = kind === 'folder';
        break;
      }
      case 'datastore': {
        let datastore: Datastore;
        try {
          datastore = await this.context.client.datastores.get(draft.datastoreName);
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
          errors.datastoreName = vscode.l10n.t('There is no datastore "{0}" in this workspace.', draft.datastoreName);
          break;
        }
        const path = draft.datastorePath.trim();
        const kind = await sdk.storagePathKind(await this.openStorage(datastore), path);
        if (!kind) errors.datastorePath = vscode.l10n.t('Nothing is stored at "{0}" in datastore "{1}".', path, datastore.name);
        isFolder = kind === 'folder';
        break;
      }
    }
    return { errors, isFolder };
  }

  /** The model's URI, uploading a local file or folder first. */
  private async modelUri(draft: ModelDraft, isFolder: boolean, panel: Panel): Promise<string> {
    switch (draft.source) {
      case 'run':
        return jobArtifactModelUri(draft.jobName, draft.runPath, isFolder);
      case 'datastore':
        return datastoreModelUri(draft.datastoreName, draft.datastorePath, isFolder);
      case 'local':
        return this.upload(draft, isFolder, panel);
    }
  }

  /** Uploads to `LocalUpload/<new id>/` in the default datastore; answers the uploaded file's or folder's URI. */
  private async upload(draft: ModelDraft, isFolder: boolean, panel: Panel): Promise<string> {
    const datastore = await this.defaultDatastore();
    if (!datastore) throw new Error(vscode.l10n.t('The workspace has no default datastore to upload local files to.'));
    const localPath = draft.localPath.trim();
    const targetFolder = localUploadFolder(randomUUID());
    const controller = new AbortController();
    const closed = panel.onDidDispose(() => controller.abort());
    try {
      await uploadLocalModel({
        sdk: await loadAzureModules(), storage: await this.openStorage(datastore), localPath, isFolder, targetFolder,
        signal: controller.signal, onProgress: (message) => panel.post({ type: 'busy', message }),
      });
    } finally {
      closed.dispose();
    }
    this.context.log.info(vscode.l10n.t('Uploaded {0} to datastore "{1}" at {2}/.', localPath, datastore.name, targetFolder));
    return datastoreModelUri(datastore.name, `${targetFolder}/${baseName(localPath)}`, isFolder);
  }

  private async submit(draft: ModelDraft, panel: Panel): Promise<void> {
    const rules = validateModelDraft(draft, { localUploadAvailable: (await this.defaultDatastore().catch(() => undefined)) !== undefined });
    if (hasErrors(rules)) {
      panel.post({ type: 'fieldErrors', errors: rules });
      panel.post({ type: 'status', kind: 'error', message: vscode.l10n.t('Not registered. {0}', fieldCount(rules)) });
      return;
    }
    panel.post({ type: 'busy', message: vscode.l10n.t('Checking the model source…') });
    const { errors, isFolder } = await this.hostErrors(draft);
    if (hasErrors(errors)) {
      panel.post({ type: 'idle' });
      panel.post({ type: 'fieldErrors', errors });
      panel.post({ type: 'status', kind: 'error', message: vscode.l10n.t('Not registered. {0}', Object.values(errors)[0]) });
      return;
    }
    panel.post({ type: 'fieldErrors', errors: {} });
    const name = draft.name.trim();
    const version = draft.version.trim();
    const modelUri = await this.modelUri(draft, isFolder, panel);
    panel.post({ type: 'busy', message: vscode.l10n.t('Registering model "{0}" version {1}…', name, version) });
    const tags = tagsToRecord(draft.tags);
    const registered = await this.context.client.models.createOrUpdateVersion(name, version, {
      modelUri,
      modelType: draft.modelType,
      ...(draft.source === 'run' ? { jobName: draft.jobName } : {}),
      ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
      ...(Object.keys(tags).length ? { tags } : {}),
    });
    this.context.log.info(vscode.l10n.t('Registered model "{0}" version {1} from {2}.', registered.name, registered.version, modelUri));
    panel.post({ type: 'idle' });
    panel.post({ type: 'saved', message: vscode.l10n.t('Registered model "{0}" version {1}.', registered.name, registered.version) });
    this.context.onRegistered(registered);
    panel.dispose();
  }
}
