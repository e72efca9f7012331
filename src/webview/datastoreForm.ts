/** The Register Datastore form, in its webview. */
import './l10nSetup';
import * as l10n from '@vscode/l10n';
import { emptyDatastoreDraft, toDatastoreDraft, withoutDatastoreSecrets } from '../forms/drafts';
import type {
  DatastoreAuthType, DatastoreDraft, DatastoreField, DatastoreFormOptions, DatastoreHostMessage, DatastoreWebviewMessage,
  FormDatastoreType, StorageProtocol,
} from '../forms/protocol';
import { authTypesFor, containerNoun, replaceNote, validateDatastoreDraft } from '../forms/validation';
import { h } from './dom';
import {
  checkboxField, radioField, selectField, tagsField, textAreaField, textField, type Choice, type Field,
} from './fields';
import { FormController, startForm, type FormView } from './formController';
import { ErrorDisplay, FormShell } from './formShell';

const typeChoices: Array<Choice<FormDatastoreType>> = [
  { value: 'AzureBlob', label: l10n.t('Azure Blob container'), description: l10n.t('A container in Blob Storage.'), icon: 'database' },
  { value: 'AzureFile', label: l10n.t('Azure file share'), description: l10n.t('A share in Azure Files.'), icon: 'folder-library' },
  { value: 'AzureDataLakeGen2', label: l10n.t('Azure Data Lake Storage Gen2'), description: l10n.t('A file system with a hierarchical namespace.'), icon: 'layers' },
];

const authChoices: Record<DatastoreAuthType, Choice<DatastoreAuthType>> = {
  AccountKey: { value: 'AccountKey', label: l10n.t('Account key'), description: l10n.t('Full access to the storage account with one of its access keys.') },
  Sas: { value: 'Sas', label: l10n.t('SAS token'), description: l10n.t('A shared access signature, limited in permissions and time.') },
  ServicePrincipal: { value: 'ServicePrincipal', label: l10n.t('Service principal'), description: l10n.t('A Microsoft Entra application with a data role on the storage account.') },
  None: { value: 'None', label: l10n.t('No credential (identity-based access)'), description: l10n.t('Whoever uses the data signs in with their own identity; nothing secret is stored.') },
};

const containerHelp: Record<FormDatastoreType, string> = {
  AzureBlob: l10n.t('The blob container, e.g. training-data: 3–63 lowercase letters, digits and hyphens.'),
  AzureFile: l10n.t('The file share, e.g. team-share: 3–63 lowercase letters, digits and hyphens.'),
  AzureDataLakeGen2: l10n.t('The Data Lake Storage Gen2 file system (container): 3–63 lowercase letters, digits and hyphens.'),
};

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type DatastoreForm = FormController<DatastoreDraft, DatastoreField, DatastoreWebviewMessage>;

function build(form: DatastoreForm, opts: DatastoreFormOptions): FormView<DatastoreField> {
  const initial = form.draft;
  const rulesContext = () => (opts.localStorage ? { localStorage: opts.localStorage } : {});
  const change = <K extends keyof DatastoreDraft>(field: K, value: DatastoreDraft[K]): void =>
    form.change(field, value, field !== 'skipValidation');

  const shell = new FormShell({
    title: l10n.t('Register Datastore'), icon: 'database', primaryLabel: l10n.t('Register'),
    subtitle: h('span', {}, l10n.t('Connect Azure storage to workspace '), h('strong', {}, opts.workspaceName),
      l10n.t(', so that jobs and models can use its data. The credentials go to the workspace only.')),
    onSubmit: () => form.submit(() => validateDatastoreDraft(form.draft, rulesContext())),
    onCancel: () => form.post({ type: 'cancel' }),
  });
  const check = shell.addAction(l10n.t('Check Connection'), 'plug',
    () => form.request(l10n.t('Checking the connection…'), { type: 'checkConnection', draft: form.draft }));

  const storage = shell.section(l10n.t('Storage'));
  const name = textField({
    id: 'name', label: l10n.t('Datastore name'), value: initial.name, placeholder: l10n.t('e.g. training_data'),
    description: l10n.t('How jobs refer to it (azureml://datastores/<name>/…). Letters, digits and underscores.'),
    onInput: (v) => change('name', v),
  });
  // A taken name is no error: registering replaces that datastore (the host asks first).
  const replaceNoteElement = h('div', { class: 'setting-note', id: 'name-note', 'aria-live': 'polite' });
  replaceNoteElement.hidden = true;
  name.root.querySelector('.setting-control')?.append(replaceNoteElement);
  name.input.setAttribute('aria-describedby', `${name.input.getAttribute('aria-describedby') ?? ''} name-note`.trim());
  const datastoreType = radioField<FormDatastoreType>({
    id: 'datastoreType', label: l10n.t('Storage type'), choices: typeChoices, value: initial.datastoreType, layout: 'cards',
    onChange: (v) => {
      const allowed = authTypesFor(v);
      const current = form.draft.authType;
      form.update({ authType: allowed.includes(current) ? current : allowed[0]! });
      authType.setChoices(allowed.map((a) => authChoices[a]), form.draft.authType);
      change('datastoreType', v);
    },
  });
  const accountName = textField({
    id: 'accountName', label: l10n.t('Storage account'), value: initial.accountName, placeholder: l10n.t('e.g. contosodata'), size: 'short',
    description: l10n.t('The storage account name: 3–24 lowercase letters and digits.'),
    onInput: (v) => change('accountName', v),
  });
  const container = textField({
    id: 'container', label: capitalized(containerNoun(initial.datastoreType)), value: initial.container, size: 'medium',
    description: containerHelp[initial.datastoreType], onInput: (v) => change('container', v),
  });
  const endpoint = textField({
    id: 'endpoint', label: l10n.t('Endpoint suffix'), value: initial.endpoint, size: 'short', monospace: true,
    description: l10n.t('The storage DNS suffix of the cloud; {0} here.', opts.endpointSuffix),
    onInput: (v) => change('endpoint', v),
  });
  const protocol = selectField({
    id: 'protocol', label: l10n.t('Protocol'), value: initial.protocol,
    description: l10n.t('HTTPS unless the storage is an emulator on this machine.'),
    options: [{ value: 'https', label: 'https' }, { value: 'http', label: 'http' }],
    onChange: (v) => change('protocol', v as StorageProtocol),
  });
  storage.append(name.root, datastoreType.root, accountName.root, container.root, endpoint.root, protocol.root);

  const auth = shell.section(l10n.t('Authentication'), l10n.t('How the workspace reaches the storage. The choices depend on the storage type.'));
  const authType = radioField<DatastoreAuthType>({
    id: 'authType', label: l10n.t('Credential'), layout: 'list',
    choices: authTypesFor(initial.datastoreType).map((a) => authChoices[a]), value: initial.authType,
    onChange: (v) => change('authType', v),
  });
  const accountKey = textField({
    id: 'accountKey', label: l10n.t('Account key'), value: initial.accountKey, secret: true, monospace: true, size: 'long',
    description: l10n.t('Storage account → Security + networking → Access keys. Sent to the workspace only.'),
    onInput: (v) => change('accountKey', v),
  });
  const sasToken = textField({
    id: 'sasToken', label: l10n.t('SAS token'), value: initial.sasToken, secret: true, monospace: true, size: 'long',
    placeholder: 'sv=…&sp=rl&se=…&sig=…',
    description: l10n.t('The token without the URL. It needs at least Read and List permissions.'),
    onInput: (v) => change('sasToken', v),
  });
  const tenantId = textField({
    id: 'tenantId', label: l10n.t('Tenant ID'), value: initial.tenantId, monospace: true, size: 'medium',
    placeholder: '00000000-0000-0000-0000-000000000000', description: l10n.t('The Microsoft Entra tenant of the service principal.'),
    onInput: (v) => change('tenantId', v),
  });
  const clientId = textField({
    id: 'clientId', label: l10n.t('Client ID'), value: initial.clientId, monospace: true, size: 'medium',
    placeholder: '00000000-0000-0000-0000-000000000000', description: l10n.t('The application (client) ID.'),
    onInput: (v) => change('clientId', v),
  });
  const clientSecret = textField({
    id: 'clientSecret', label: l10n.t('Client secret'), value: initial.clientSecret, secret: true, size: 'long',
    description: l10n.t('A secret of the application. Sent to the workspace only.'),
    onInput: (v) => change('clientSecret', v),
  });
  const identityNote = h('p', { class: 'setting-note standalone', id: 'identity-note' },
    l10n.t('No credential is stored. You, and jobs running under an identity, need a data role on the storage account, such as Storage Blob Data Reader.'));
  auth.append(authType.root, accountKey.root, sasToken.root, tenantId.root, clientId.root, clientSecret.root, identityNote);

  const details = shell.section(l10n.t('Details'));
  const description = textAreaField({
    id: 'description', label: l10n.t('Description'), value: initial.description, placeholder: l10n.t('What the data is, who owns it'),
    onInput: (v) => change('description', v),
  });
  const tags = tagsField({
    id: 'tags', label: l10n.t('Tags'), description: l10n.t('Name and value pairs for finding the datastore later.'), rows: initial.tags,
    onChange: (rows) => change('tags', rows),
  });
  details.append(description.root, tags.root);

  const validation = shell.section(l10n.t('Validation'));
  const skipValidation = checkboxField({
    id: 'skipValidation', label: l10n.t('Skip validation'), checked: initial.skipValidation,
    description: l10n.t('Register without checking that the storage exists and the credential reaches it. For storage behind a virtual network that this machine cannot reach.'),
    onChange: (v) => change('skipValidation', v),
  });
  validation.append(skipValidation.root);

  const fields: Array<[DatastoreField, Field]> = [
    ['name', name], ['datastoreType', datastoreType], ['accountName', accountName], ['container', container],
    ['endpoint', endpoint], ['protocol', protocol], ['authType', authType], ['accountKey', accountKey], ['sasToken', sasToken],
    ['tenantId', tenantId], ['clientId', clientId], ['clientSecret', clientSecret], ['description', description], ['tags', tags],
  ];
  const errors = new ErrorDisplay<DatastoreField>(() => fields);

  /** Shows what the current type and authentication need; `focusInvalid` after a failed submit. */
  function refresh(focusInvalid = false): void {
    const { draft } = form;
    const noun = containerNoun(draft.datastoreType);
    container.setLabel(capitalized(noun), containerHelp[draft.datastoreType]);
    accountKey.setVisible(draft.authType === 'AccountKey');
    sasToken.setVisible(draft.authType === 'Sas');
    for (const f of [tenantId, clientId, clientSecret]) f.setVisible(draft.authType === 'ServicePrincipal');
    identityNote.hidden = draft.authType !== 'None';
    check.hidden = draft.skipValidation;
    const note = replaceNote(draft.name, opts.existingNames, opts.defaultName);
    if (replaceNoteElement.textContent !== (note ?? '')) replaceNoteElement.textContent = note ?? '';
    replaceNoteElement.hidden = note === undefined;
    const invalid = errors.render(validateDatastoreDraft(draft, rulesContext()));
    if (focusInvalid) invalid[0]?.focus();
  }

  return { shell, errors, refresh };
}

startForm<DatastoreDraft, DatastoreField, DatastoreFormOptions, FormView<DatastoreField>, DatastoreHostMessage, DatastoreWebviewMessage>({
  emptyDraft: emptyDatastoreDraft(''),
  toDraft: toDatastoreDraft,
  keepable: withoutDatastoreSecrets,
  build,
});
