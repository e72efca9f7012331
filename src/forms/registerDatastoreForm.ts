import * as l10n from '@vscode/l10n';
import type { AccessCheckField } from '../azure/datastoreAccessCheck';
import type { Datastore } from '../azure/domain';
import type { WorkspaceClient } from '../azure/workspaceClient';
import type { ActiveWorkspace, Connection } from '../connection/connection';
import { loadAzureModules } from '../connection/loadAzureModules';
import { collectPages } from '../core/pages';
import type { Log } from '../ui/log';
import { toDatastoreInput } from './datastoreInput';
import { emptyDatastoreDraft, toDatastoreDraft, withoutDatastoreSecrets } from './drafts';
import type { FormDefinition, FormPanel } from './formPanel';
import type {
  DatastoreDraft, DatastoreField, DatastoreFormOptions, DatastoreHostMessage, DatastoreWebviewMessage, LocalStorageAccount,
} from './protocol';
import { containerNoun, hasErrors, validateDatastoreDraft, type FieldErrors } from './validation';

type Panel = FormPanel<DatastoreDraft, DatastoreWebviewMessage, DatastoreHostMessage>;

export interface DatastoreFormContext {
  client: WorkspaceClient;
  connection: Connection;
  workspace: ActiveWorkspace;
  log: Log;
  /** After a datastore is registered: refresh the tree, tell the user. */
  onRegistered(datastore: Datastore): void;
}

/** At most this many existing names are fetched for the "replaces datastore …" note as you type. */
const maxKnownNames = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function parseDatastoreMessage(raw: unknown, current: DatastoreDraft): DatastoreWebviewMessage | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw['type']) {
    case 'ready': return { type: 'ready' };
    case 'cancel': return { type: 'cancel' };
    case 'draftChanged':
    case 'checkConnection':
    case 'submit':
      return isRecord(raw['draft']) ? { type: raw['type'], draft: toDatastoreDraft(raw['draft'], current) } : undefined;
    default:
      return undefined;
  }
}

/** The field that holds the credential a failed check blames. */
function credentialField(draft: DatastoreDraft): DatastoreField {
  switch (draft.authType) {
    case 'AccountKey': return 'accountKey';
    case 'Sas': return 'sasToken';
    case 'ServicePrincipal': return 'clientSecret';
    case 'None': return 'authType';
  }
}

function fieldOf(field: AccessCheckField, draft: DatastoreDraft): DatastoreField {
  return field === 'credentials' ? credentialField(draft) : field;
}

/** Fields the storage check reads: the others (name, description, tags) do not stop it. */
const storageFields: readonly DatastoreField[] = [
  'accountName', 'container', 'endpoint', 'protocol', 'authType', 'accountKey', 'sasToken', 'tenantId', 'clientId', 'clientSecret',
];

function pick(errors: FieldErrors<DatastoreField>, fields: readonly DatastoreField[]): FieldErrors<DatastoreField> {
  return Object.fromEntries(Object.entries(errors).filter(([field]) => fields.includes(field as DatastoreField)));
}

function fieldCount(errors: FieldErrors<DatastoreField>): string {
  const n = Object.keys(errors).length;
  return n === 1 ? l10n.t('One field needs attention.') : l10n.t('{0} fields need attention.', n);
}

/** The Register Datastore form of one workspace. */
export class RegisterDatastoreForm implements FormDefinition<DatastoreDraft, DatastoreWebviewMessage, DatastoreHostMessage> {
  readonly viewType = 'azureml.registerDatastore';
  readonly title = l10n.t('Register Datastore');
  readonly panelTitle: string;
  readonly script = 'datastoreForm.js';
  readonly scope: string;
  private knownNames: string[] | undefined;
  private defaultName: string | undefined;

  constructor(private readonly context: DatastoreFormContext) {
    const w = context.workspace;
    this.scope = `${w.connectionKind}/${w.subscriptionId}/${w.resourceGroup}/${w.workspaceName}`;
    this.panelTitle = l10n.t('Register Datastore: {0}', w.workspaceName);
  }

  /** A new draft with the cloud's storage endpoint suffix and protocol filled in. */
  static initialDraft(connection: Connection): DatastoreDraft {
    return { ...emptyDatastoreDraft(connection.cloud.storageEndpointSuffix), protocol: connection.cloud.allowsPlainHttpLoopback ? 'http' : 'https' };
  }

  parse(raw: unknown, current: DatastoreDraft): DatastoreWebviewMessage | undefined {
    return parseDatastoreMessage(raw, current);
  }

  withoutSecrets(draft: DatastoreDraft): DatastoreDraft {
    return withoutDatastoreSecrets(draft);
  }

  private async localStorage(): Promise<LocalStorageAccount | undefined> {
    const cloud = this.context.connection.cloud;
    const accountName = (await loadAzureModules()).fixedStorageAccountName(cloud);
    return accountName ? { accountName, endpointSuffix: cloud.storageEndpointSuffix } : undefined;
  }

  private async existingNames(): Promise<string[]> {
    try {
      const all = await collectPages((t) => this.context.client.datastores.list(t ? { continuationToken: t } : {}), maxKnownNames);
      this.knownNames = all.map((d) => d.name);
      this.defaultName = all.find((d) => d.isDefault)?.name;
    } catch (error) {
      // The form works without the list: submit asks the service about the one name it saves.
      this.context.log.warn(l10n.t('Register Datastore: could not list the existing datastores: {0}', String(error)));
    }
    return this.knownNames ?? [];
  }

  async initMessage(draft: () => DatastoreDraft): Promise<DatastoreHostMessage> {
    const localStorage = await this.localStorage();
    const existingNames = await this.existingNames();
    const options: DatastoreFormOptions = {
      workspaceName: this.context.workspace.workspaceName,
      endpointSuffix: this.context.connection.cloud.storageEndpointSuffix,
      existingNames,
      ...(this.defaultName !== undefined ? { defaultName: this.defaultName } : {}),
      ...(localStorage ? { localStorage } : {}),
    };
    // Read now, not before the lists: the user may have typed while they loaded.
    return { type: 'init', draft: draft(), options };
  }

  async handle(message: DatastoreWebviewMessage, panel: Panel): Promise<void> {
    if (message.type === 'checkConnection') await this.check(message.draft, panel);
    else if (message.type === 'submit') await this.submit(message.draft, panel);
  }

  private async rules(draft: DatastoreDraft): Promise<FieldErrors<DatastoreField>> {
    const localStorage = await this.localStorage();
    return validateDatastoreDraft(draft, localStorage ? { localStorage } : {});
  }

  /** The datastore registered under `name`, if any (asked of the service: the form's list may be stale). */
  private async existing(name: string): Promise<Datastore | undefined> {
    try {
      return await this.context.client.datastores.get(name);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Registering under a taken name replaces that datastore's settings and credentials (how an
   * expired SAS token or a rotated key is fixed): asks first. False when the user says no.
   */
  private confirmReplace(existing: Datastore, panel: Panel): Promise<boolean> {
    return panel.confirm({
      message: l10n.t('Replace the settings and credentials of datastore "{0}"?', existing.name),
      detail: existing.isDefault
        ? l10n.t('It is the workspace\'s default datastore. Jobs, data assets and models that use it will reach the storage with the new settings. Nothing in storage is changed or deleted.')
        : l10n.t('Jobs, data assets and models that use it will reach the storage with the new settings. Nothing in storage is changed or deleted.'),
      confirm: l10n.t('Replace'),
    });
  }

  /** Runs the storage check; posts its result. True when the storage answered as it should. */
  private async checkStorage(draft: DatastoreDraft, panel: Panel): Promise<boolean> {
    const where = `${containerNoun(draft.datastoreType)} "${draft.container.trim()}"`;
    panel.post({ type: 'busy', message: l10n.t('Checking access to the {0}…', where) });
    const sdk = await loadAzureModules();
    const userCredential = this.context.connection.userCredential(this.context.workspace.tenantId);
    const result = await sdk.checkDatastoreAccess({
      cloud: this.context.connection.cloud,
      input: toDatastoreInput(draft),
      ...(userCredential ? { userCredential } : {}),
    });
    panel.post({ type: 'idle' });
    if (result.ok) {
      panel.post({ type: 'fieldErrors', errors: {} });
      panel.post({ type: 'status', kind: 'success', message: result.message });
      return true;
    }
    const field = fieldOf(result.field, draft);
    this.context.log.info(l10n.t('Register Datastore: the storage check failed ({0}): {1}', result.code, result.message));
    panel.post({ type: 'fieldErrors', errors: { [field]: result.message } });
    panel.post({ type: 'status', kind: 'error', message: result.message, field });
    return false;
  }

  private async check(draft: DatastoreDraft, panel: Panel): Promise<void> {
    const errors = pick(await this.rules(draft), storageFields);
    if (hasErrors(errors)) {
      panel.post({ type: 'fieldErrors', errors });
      panel.post({ type: 'status', kind: 'error', message: l10n.t('Cannot check the connection yet. {0}', fieldCount(errors)) });
      return;
    }
    await this.checkStorage(draft, panel);
  }

  private async submit(draft: DatastoreDraft, panel: Panel): Promise<void> {
    panel.forgetSecrets();
    const errors = await this.rules(draft);
    if (hasErrors(errors)) {
      panel.post({ type: 'fieldErrors', errors });
      panel.post({ type: 'status', kind: 'error', message: l10n.t('Not registered. {0}', fieldCount(errors)) });
      return;
    }
    // A PUT on an existing name replaces that datastore: ask the service, the form's list may be stale.
    const existing = await this.existing(draft.name.trim());
    if (!draft.skipValidation && !(await this.checkStorage(draft, panel))) return;
    if (existing && !(await this.confirmReplace(existing, panel))) {
      panel.post({ type: 'status', kind: 'info', message: l10n.t('Not registered: datastore "{0}" is unchanged.', existing.name) });
      return;
    }

    const input = { ...toDatastoreInput(draft), ...(existing ? { name: existing.name } : {}) };
    panel.post({ type: 'busy', message: existing
      ? l10n.t('Replacing the settings and credentials of datastore "{0}"…', input.name)
      : l10n.t('Registering datastore "{0}"…', input.name) });
    const datastore = await this.context.client.datastores.createOrUpdate(input, { skipValidation: draft.skipValidation });
    const logged = [datastore.name, datastore.datastoreType, input.accountName, datastore.credentialsType] as const;
    if (existing) {
      this.context.log.info(draft.skipValidation
        ? l10n.t('Replaced the settings and credentials of datastore "{0}" ({1}, {2}, credentials {3}) without validation.', ...logged)
        : l10n.t('Replaced the settings and credentials of datastore "{0}" ({1}, {2}, credentials {3}).', ...logged));
    } else {
      this.context.log.info(draft.skipValidation
        ? l10n.t('Registered datastore "{0}" ({1}, {2}, credentials {3}) without validation.', ...logged)
        : l10n.t('Registered datastore "{0}" ({1}, {2}, credentials {3}).', ...logged));
    }
    panel.post({ type: 'idle' });
    panel.post({ type: 'saved', message: existing
      ? l10n.t('Replaced the settings and credentials of datastore "{0}".', datastore.name)
      : l10n.t('Registered datastore "{0}".', datastore.name) });
    this.context.onRegistered(datastore);
    panel.dispose();
  }
}
