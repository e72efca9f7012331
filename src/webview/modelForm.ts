/** The Register Model form, in its webview. */
import { emptyModelDraft, toModelDraft } from '../forms/drafts';
import type {
  ModelChoice, ModelDraft, ModelField, ModelFormOptions, ModelHostMessage, ModelSource, ModelType, ModelWebviewMessage, RunChoice,
  StatusKind,
} from '../forms/protocol';
import { validateModelDraft } from '../forms/validation';
import { h } from './dom';
import { button, radioField, selectField, tagsField, textAreaField, textField, type Choice, type Field } from './fields';
import { attentionSentence, ErrorDisplay, FormShell } from './formShell';
import { handleCommonMessage } from './commonMessages';
import { connectToHost } from './host';

interface SavedState {
  draft: ModelDraft;
  edited: ModelField[];
  /** The sentence under the form (a check's result), shown again when the panel is. */
  status?: { kind: StatusKind; message: string };
}

const sourceChoices: Array<Choice<ModelSource>> = [
  { value: 'local', label: 'Local file or folder', description: 'Uploaded to the workspace\'s default datastore.', icon: 'device-desktop' },
  { value: 'run', label: 'Output of a run', description: 'A file or folder a completed run saved.', icon: 'beaker' },
  { value: 'datastore', label: 'Datastore path', description: 'Files already in a registered datastore.', icon: 'database' },
];

const typeChoices: Array<Choice<ModelType>> = [
  { value: 'custom_model', label: 'Custom', description: 'Any files; you provide the scoring code.' },
  { value: 'mlflow_model', label: 'MLflow', description: 'A folder with an MLmodel file, deployable without scoring code.' },
  { value: 'triton_model', label: 'Triton', description: 'A model repository for NVIDIA Triton Inference Server.' },
];

function runLabel(run: RunChoice): string {
  const when = run.createdAt ? ` · ${run.createdAt.slice(0, 16).replace('T', ' ')}` : '';
  return run.displayName !== run.name ? `${run.displayName} (${run.name})${when}` : `${run.name}${when}`;
}

function start(): void {
  const root = document.getElementById('form-root')!;
  let draft: ModelDraft = emptyModelDraft();
  let form: ReturnType<typeof build> | undefined;
  let waiting = false;
  let status: SavedState['status'];

  const host = connectToHost<SavedState, ModelWebviewMessage, ModelHostMessage>((message) => {
    const shared = handleCommonMessage(message, {
      form,
      onIdle: () => {
        waiting = false;
      },
      onStatus: (next) => {
        status = next;
        persist();
      },
    });
    if (shared) return;
    switch (message.type) {
      case 'init':
        draft = toModelDraft(message.draft, draft);
        form = build(message.options);
        form.errors.restoreEdited(host.savedState?.edited ?? []);
        root.replaceChildren(form.shell.root);
        root.setAttribute('aria-busy', 'false');
        form.refresh();
        if (status) form.shell.showStatus(status.kind, status.message);
        form.loadDependents();
        break;
      case 'runs':
        form?.showRuns(message.experimentName, message.runs, message.note);
        break;
      case 'runOutputs':
        form?.showOutputs(message.jobName, message.paths, message.note);
        break;
      case 'localPicked':
        form?.setLocalPath(message.path);
        break;
      case 'modelInfo':
        form?.showModelInfo(message.model, message.exists);
        break;
    }
  });
  // What this webview kept while hidden: which fields were edited, the last status, and the
  // draft as a fallback; the host's draft in `init` wins.
  status = host.savedState?.status;
  if (host.savedState?.draft) draft = toModelDraft(host.savedState.draft, draft);

  /** Keeps the form's state in the webview (for when the panel is hidden and shown again). */
  const persist = (): void => {
    host.saveState({ draft: draft, edited: form?.errors.editedFields ?? [], ...(status ? { status } : {}) });
  };
  /** Persists and tells the host, which keeps the draft too. */
  const save = (): void => {
    persist();
    host.post({ type: 'draftChanged', draft });
  };

  function build(opts: ModelFormOptions) {
    let modelTimer: ReturnType<typeof setTimeout> | undefined;
    const change = <K extends ModelField>(field: K, value: ModelDraft[K], markEdited = true): void => {
      draft = { ...draft, [field]: value };
      if (markEdited) errors.edited(field);
      shell.showStatus(undefined);
      status = undefined;
      refresh();
      save();
    };

    const shell = new FormShell({
      title: 'Register Model', icon: 'package', primaryLabel: 'Register',
      subtitle: h('span', {}, 'Register a model version in workspace ', h('strong', {}, opts.workspaceName), '.'),
      onSubmit: () => submit(),
      onCancel: () => host.post({ type: 'cancel' }),
    });

    const sourceSection = shell.section('Source', 'Where the model\'s files are.');
    const source = radioField<ModelSource>({
      id: 'source', label: 'Model files', choices: sourceChoices, value: draft.source, layout: 'cards',
      onChange: (v) => change('source', v),
    });
    const localPath = textField({
      id: 'localPath', label: 'File or folder', value: draft.localPath, size: 'long', placeholder: '/path/to/model',
      description: opts.uploadDatastore
        ? `Uploaded to datastore "${opts.uploadDatastore}" under LocalUpload/, then registered from there.`
        : (opts.localUploadUnavailable ?? ''),
      onInput: (v) => change('localPath', v),
    });
    const chooseFile = button({ label: 'Choose File…', kind: 'secondary', id: 'choose-file' });
    const chooseFolder = button({ label: 'Choose Folder…', kind: 'secondary', id: 'choose-folder' });
    chooseFile.addEventListener('click', () => host.post({ type: 'browseLocal', pick: 'file' }));
    chooseFolder.addEventListener('click', () => host.post({ type: 'browseLocal', pick: 'folder' }));
    localPath.actions.append(chooseFile, chooseFolder);

    const experiment = selectField({
      id: 'experimentName', label: 'Experiment', value: draft.experimentName, placeholder: 'Choose an experiment',
      options: opts.experiments.map((e) => ({ value: e, label: e })),
      onChange: (v) => {
        draft = { ...draft, jobName: '', runPath: '' };
        run.setOptions([], '', v ? 'Loading runs…' : 'Choose an experiment first');
        output.setOptions([], '', 'Choose a run first');
        change('experimentName', v);
        if (v) host.post({ type: 'loadRuns', experimentName: v });
      },
    });
    if (opts.experiments.length === 0) experiment.setNote('This workspace has no experiments.');
    const run = selectField({
      id: 'jobName', label: 'Run', value: '', placeholder: 'Choose an experiment first', options: [],
      description: 'Completed runs, newest first.',
      onChange: (v) => {
        draft = { ...draft, runPath: '' };
        output.setOptions([], '', v ? 'Loading outputs…' : 'Choose a run first');
        change('jobName', v);
        if (v) host.post({ type: 'loadRunOutputs', jobName: v });
      },
    });
    const output = selectField({
      id: 'runPath', label: 'Output', value: '', placeholder: 'Choose a run first', options: [],
      description: 'A file or a folder (ending in /) among what the run saved.',
      onChange: (v) => change('runPath', v),
    });
    const datastore = selectField({
      id: 'datastoreName', label: 'Datastore', value: draft.datastoreName, placeholder: 'Choose a datastore',
      options: opts.datastores.map((d) => ({ value: d.name, label: d.isDefault ? `${d.name} (default)` : d.name })),
      onChange: (v) => change('datastoreName', v),
    });
    const datastorePath = textField({
      id: 'datastorePath', label: 'Path in the datastore', value: draft.datastorePath, size: 'long', monospace: true,
      placeholder: 'models/my-model/', description: 'A file, or a folder whose whole content is the model.',
      onInput: (v) => change('datastorePath', v),
    });
    sourceSection.append(source.root, localPath.root, experiment.root, run.root, output.root, datastore.root, datastorePath.root);
    if (opts.localUploadUnavailable) source.setDisabled('local', opts.localUploadUnavailable);

    const modelSection = shell.section('Model');
    const name = textField({
      id: 'name', label: 'Name', value: draft.name, size: 'medium', placeholder: 'e.g. fraud-classifier',
      description: 'A new name, or an existing model to add a version to. Letters, digits, hyphens and underscores.',
      suggestions: opts.models.map((m) => m.name),
      onInput: (v) => {
        change('name', v);
        clearTimeout(modelTimer);
        modelTimer = setTimeout(() => {
          if (!validateModelDraft(draft).name) host.post({ type: 'loadModel', name: draft.name.trim() });
        }, 250);
      },
    });
    const modelNote = h('div', { class: 'setting-note', id: 'name-note', 'aria-live': 'polite' });
    name.root.querySelector('.setting-control')?.append(modelNote);
    const version = textField({
      id: 'version', label: 'Version', value: draft.version, size: 'short',
      description: 'The next free version is proposed; a version never changes once registered.',
      onInput: (v) => change('version', v),
    });
    const modelType = radioField<ModelType>({
      id: 'modelType', label: 'Model type', choices: typeChoices, value: draft.modelType, layout: 'list',
      onChange: (v) => change('modelType', v),
    });
    const description = textAreaField({
      id: 'description', label: 'Description', value: draft.description, placeholder: 'What the model does, how it was trained',
      onInput: (v) => change('description', v),
    });
    const tags = tagsField({
      id: 'tags', label: 'Tags', description: 'Name and value pairs, e.g. accuracy = 0.94.', rows: draft.tags,
      onChange: (rows) => change('tags', rows),
    });
    modelSection.append(name.root, version.root, modelType.root, description.root, tags.root);

    const fields: Array<[ModelField, Field]> = [
      ['source', source], ['localPath', localPath], ['experimentName', experiment], ['jobName', run], ['runPath', output],
      ['datastoreName', datastore], ['datastorePath', datastorePath], ['name', name], ['version', version],
      ['modelType', modelType], ['description', description], ['tags', tags],
    ];
    const errors = new ErrorDisplay<ModelField>(() => fields);
    const rules = () => validateModelDraft(draft, { localUploadAvailable: opts.uploadDatastore !== undefined });

    function refresh(focusInvalid = false): void {
      localPath.setVisible(draft.source === 'local');
      for (const f of [experiment, run, output]) f.setVisible(draft.source === 'run');
      for (const f of [datastore, datastorePath]) f.setVisible(draft.source === 'datastore');
      const invalid = errors.render(rules());
      if (focusInvalid) invalid[0]?.focus();
    }

    function submit(): void {
      if (waiting) return;
      errors.revealAll();
      const blocking = errors.blocking(rules());
      refresh(true);
      if (blocking.length > 0) {
        shell.showStatus('error', attentionSentence('Not registered.', blocking));
        return;
      }
      waiting = true;
      shell.showStatus(undefined);
      shell.setBusy('Registering…');
      host.post({ type: 'submit', draft });
    }

    return {
      shell, errors, refresh,
      /** After (re)loading: ask for what the kept draft's choices need. */
      loadDependents(): void {
        if (draft.experimentName) {
          run.setOptions([], '', 'Loading runs…');
          host.post({ type: 'loadRuns', experimentName: draft.experimentName });
        }
        if (draft.name && !validateModelDraft(draft).name) host.post({ type: 'loadModel', name: draft.name.trim() });
      },
      showRuns(experimentName: string, runs: RunChoice[], note: string | undefined): void {
        if (experimentName !== draft.experimentName) return;
        const keep = runs.some((r) => r.name === draft.jobName) ? draft.jobName : '';
        run.setOptions(runs.map((r) => ({ value: r.name, label: runLabel(r) })), keep, runs.length ? 'Choose a run' : 'No completed runs');
        run.setNote(note);
        if (keep !== draft.jobName) change('jobName', keep, false);
        if (keep) {
          output.setOptions([], '', 'Loading outputs…');
          host.post({ type: 'loadRunOutputs', jobName: keep });
        }
      },
      showOutputs(jobName: string, paths: string[], note: string | undefined): void {
        if (jobName !== draft.jobName) return;
        const keep = paths.includes(draft.runPath) ? draft.runPath : '';
        output.setOptions(paths.map((p) => ({ value: p, label: p })), keep, paths.length ? 'Choose a file or folder' : 'No outputs');
        output.setNote(note);
        if (keep !== draft.runPath) change('runPath', keep, false);
      },
      setLocalPath(path: string): void {
        localPath.setValue(path);
        source.setValue('local');
        draft = { ...draft, source: 'local' };
        change('localPath', path);
      },
      showModelInfo(model: ModelChoice, exists: boolean): void {
        if (model.name !== draft.name.trim()) return;
        modelNote.textContent = exists
          ? `Existing model${model.latestVersion ? `, latest version ${model.latestVersion}` : ''}: this registers a new version.`
          : 'A new model.';
        if (!errors.editedFields.includes('version') && model.nextVersion) {
          version.setValue(model.nextVersion);
          change('version', model.nextVersion, false);
        }
      },
    };
  }

  host.post({ type: 'ready' });
}

start();
