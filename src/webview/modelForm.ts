/** The Register Model form, in its webview. */
import './l10nSetup';
import * as l10n from '@vscode/l10n';
import { emptyModelDraft, toModelDraft } from '../forms/drafts';
import type {
  ModelChoice, ModelDraft, ModelField, ModelFormOptions, ModelHostMessage, ModelSource, ModelType, ModelWebviewMessage, RunChoice,
} from '../forms/protocol';
import { validateModelDraft } from '../forms/validation';
import { h } from './dom';
import { button, radioField, selectField, tagsField, textAreaField, textField, type Choice, type Field } from './fields';
import { FormController, startForm, type FormView } from './formController';
import { ErrorDisplay, FormShell } from './formShell';

const sourceChoices: Array<Choice<ModelSource>> = [
  { value: 'local', label: l10n.t('Local file or folder'), description: l10n.t('Uploaded to the workspace\'s default datastore.'), icon: 'device-desktop' },
  { value: 'run', label: l10n.t('Output of a run'), description: l10n.t('A file or folder a completed run saved.'), icon: 'beaker' },
  { value: 'datastore', label: l10n.t('Datastore path'), description: l10n.t('Files already in a registered datastore.'), icon: 'database' },
];

const typeChoices: Array<Choice<ModelType>> = [
  { value: 'custom_model', label: l10n.t('Custom'), description: l10n.t('Any files; you provide the scoring code.') },
  { value: 'mlflow_model', label: 'MLflow', description: l10n.t('A folder with an MLmodel file, deployable without scoring code.') },
  { value: 'triton_model', label: l10n.t('Triton'), description: l10n.t('A model repository for NVIDIA Triton Inference Server.') },
];

function runLabel(run: RunChoice): string {
  const when = run.createdAt ? ` · ${run.createdAt.slice(0, 16).replace('T', ' ')}` : '';
  return run.displayName !== run.name ? `${run.displayName} (${run.name})${when}` : `${run.name}${when}`;
}

type ModelForm = FormController<ModelDraft, ModelField, ModelWebviewMessage>;

interface ModelFormView extends FormView<ModelField> {
  /** After (re)loading: ask for what the kept draft's choices need. */
  loadDependents(): void;
  showRuns(experimentName: string, runs: RunChoice[], note: string | undefined): void;
  showOutputs(jobName: string, paths: string[], note: string | undefined): void;
  setLocalPath(path: string): void;
  showModelInfo(model: ModelChoice, exists: boolean): void;
}

function build(form: ModelForm, opts: ModelFormOptions): ModelFormView {
  const initial = form.draft;
  let modelTimer: ReturnType<typeof setTimeout> | undefined;
  const change = <K extends ModelField>(field: K, value: ModelDraft[K], edited = true): void => form.change(field, value, edited);

  const shell = new FormShell({
    title: l10n.t('Register Model'), icon: 'package', primaryLabel: l10n.t('Register'),
    subtitle: h('span', {}, l10n.t('Register a model version in workspace '), h('strong', {}, opts.workspaceName), '.'),
    onSubmit: () => form.submit(rules),
    onCancel: () => form.post({ type: 'cancel' }),
  });

  const sourceSection = shell.section(l10n.t('Source'), l10n.t('Where the model\'s files are.'));
  const source = radioField<ModelSource>({
    id: 'source', label: l10n.t('Model files'), choices: sourceChoices, value: initial.source, layout: 'cards',
    onChange: (v) => change('source', v),
  });
  const localPath = textField({
    id: 'localPath', label: l10n.t('File or folder'), value: initial.localPath, size: 'long', placeholder: '/path/to/model',
    description: opts.uploadDatastore
      ? l10n.t('Uploaded to datastore "{0}" under LocalUpload/, then registered from there.', opts.uploadDatastore)
      : (opts.localUploadUnavailable ?? ''),
    onInput: (v) => change('localPath', v),
  });
  const chooseFile = button({ label: l10n.t('Choose File…'), kind: 'secondary', id: 'choose-file' });
  const chooseFolder = button({ label: l10n.t('Choose Folder…'), kind: 'secondary', id: 'choose-folder' });
  chooseFile.addEventListener('click', () => form.post({ type: 'browseLocal', pick: 'file' }));
  chooseFolder.addEventListener('click', () => form.post({ type: 'browseLocal', pick: 'folder' }));
  localPath.actions.append(chooseFile, chooseFolder);

  const experiment = selectField({
    id: 'experimentName', label: l10n.t('Experiment'), value: initial.experimentName, placeholder: l10n.t('Choose an experiment'),
    options: opts.experiments.map((e) => ({ value: e, label: e })),
    onChange: (v) => {
      form.update({ jobName: '', runPath: '' });
      run.setOptions([], '', v ? l10n.t('Loading runs…') : l10n.t('Choose an experiment first'));
      output.setOptions([], '', l10n.t('Choose a run first'));
      change('experimentName', v);
      if (v) form.post({ type: 'loadRuns', experimentName: v });
    },
  });
  if (opts.experiments.length === 0) experiment.setNote(l10n.t('This workspace has no experiments.'));
  const run = selectField({
    id: 'jobName', label: l10n.t('Run'), value: '', placeholder: l10n.t('Choose an experiment first'), options: [],
    description: l10n.t('Completed runs, newest first.'),
    onChange: (v) => {
      form.update({ runPath: '' });
      output.setOptions([], '', v ? l10n.t('Loading outputs…') : l10n.t('Choose a run first'));
      change('jobName', v);
      if (v) form.post({ type: 'loadRunOutputs', jobName: v });
    },
  });
  const output = selectField({
    id: 'runPath', label: l10n.t('Output'), value: '', placeholder: l10n.t('Choose a run first'), options: [],
    description: l10n.t('A file or a folder (ending in /) among what the run saved.'),
    onChange: (v) => change('runPath', v),
  });
  const datastore = selectField({
    id: 'datastoreName', label: l10n.t('Datastore'), value: initial.datastoreName, placeholder: l10n.t('Choose a datastore'),
    options: opts.datastores.map((d) => ({ value: d.name, label: d.isDefault ? l10n.t('{0} (default)', d.name) : d.name })),
    onChange: (v) => change('datastoreName', v),
  });
  const datastorePath = textField({
    id: 'datastorePath', label: l10n.t('Path in the datastore'), value: initial.datastorePath, size: 'long', monospace: true,
    placeholder: 'models/my-model/', description: l10n.t('A file, or a folder whose whole content is the model.'),
    onInput: (v) => change('datastorePath', v),
  });
  sourceSection.append(source.root, localPath.root, experiment.root, run.root, output.root, datastore.root, datastorePath.root);
  if (opts.localUploadUnavailable) source.setDisabled('local', opts.localUploadUnavailable);

  const modelSection = shell.section(l10n.t('Model'));
  const name = textField({
    id: 'name', label: l10n.t('Name'), value: initial.name, size: 'medium', placeholder: l10n.t('e.g. fraud-classifier'),
    description: l10n.t('A new name, or an existing model to add a version to. Letters, digits, hyphens and underscores.'),
    suggestions: opts.models.map((m) => m.name),
    onInput: (v) => {
      change('name', v);
      clearTimeout(modelTimer);
      modelTimer = setTimeout(() => {
        if (!validateModelDraft(form.draft).name) form.post({ type: 'loadModel', name: form.draft.name.trim() });
      }, 250);
    },
  });
  const modelNote = h('div', { class: 'setting-note', id: 'name-note', 'aria-live': 'polite' });
  name.root.querySelector('.setting-control')?.append(modelNote);
  const version = textField({
    id: 'version', label: l10n.t('Version'), value: initial.version, size: 'short',
    description: l10n.t('The next free version is proposed; a version never changes once registered.'),
    onInput: (v) => change('version', v),
  });
  const modelType = radioField<ModelType>({
    id: 'modelType', label: l10n.t('Model type'), choices: typeChoices, value: initial.modelType, layout: 'list',
    onChange: (v) => change('modelType', v),
  });
  const description = textAreaField({
    id: 'description', label: l10n.t('Description'), value: initial.description, placeholder: l10n.t('What the model does, how it was trained'),
    onInput: (v) => change('description', v),
  });
  const tags = tagsField({
    id: 'tags', label: l10n.t('Tags'), description: l10n.t('Name and value pairs, e.g. accuracy = 0.94.'), rows: initial.tags,
    onChange: (rows) => change('tags', rows),
  });
  modelSection.append(name.root, version.root, modelType.root, description.root, tags.root);

  const fields: Array<[ModelField, Field]> = [
    ['source', source], ['localPath', localPath], ['experimentName', experiment], ['jobName', run], ['runPath', output],
    ['datastoreName', datastore], ['datastorePath', datastorePath], ['name', name], ['version', version],
    ['modelType', modelType], ['description', description], ['tags', tags],
  ];
  const errors = new ErrorDisplay<ModelField>(() => fields);
  const rules = () => validateModelDraft(form.draft, { localUploadAvailable: opts.uploadDatastore !== undefined });

  function refresh(focusInvalid = false): void {
    const { draft } = form;
    localPath.setVisible(draft.source === 'local');
    for (const f of [experiment, run, output]) f.setVisible(draft.source === 'run');
    for (const f of [datastore, datastorePath]) f.setVisible(draft.source === 'datastore');
    const invalid = errors.render(rules());
    if (focusInvalid) invalid[0]?.focus();
  }

  return {
    shell, errors, refresh,
    loadDependents(): void {
      if (form.draft.experimentName) {
        run.setOptions([], '', l10n.t('Loading runs…'));
        form.post({ type: 'loadRuns', experimentName: form.draft.experimentName });
      }
      if (form.draft.name && !validateModelDraft(form.draft).name) form.post({ type: 'loadModel', name: form.draft.name.trim() });
    },
    showRuns(experimentName: string, runs: RunChoice[], note: string | undefined): void {
      if (experimentName !== form.draft.experimentName) return;
      const keep = runs.some((r) => r.name === form.draft.jobName) ? form.draft.jobName : '';
      run.setOptions(runs.map((r) => ({ value: r.name, label: runLabel(r) })), keep, runs.length ? l10n.t('Choose a run') : l10n.t('No completed runs'));
      run.setNote(note);
      if (keep !== form.draft.jobName) change('jobName', keep, false);
      if (keep) {
        output.setOptions([], '', l10n.t('Loading outputs…'));
        form.post({ type: 'loadRunOutputs', jobName: keep });
      }
    },
    showOutputs(jobName: string, paths: string[], note: string | undefined): void {
      if (jobName !== form.draft.jobName) return;
      const keep = paths.includes(form.draft.runPath) ? form.draft.runPath : '';
      output.setOptions(paths.map((p) => ({ value: p, label: p })), keep, paths.length ? l10n.t('Choose a file or folder') : l10n.t('No outputs'));
      output.setNote(note);
      if (keep !== form.draft.runPath) change('runPath', keep, false);
    },
    setLocalPath(path: string): void {
      localPath.setValue(path);
      source.setValue('local');
      form.update({ source: 'local' });
      change('localPath', path);
    },
    showModelInfo(model: ModelChoice, exists: boolean): void {
      if (model.name !== form.draft.name.trim()) return;
      modelNote.textContent = exists
        ? (model.latestVersion
          ? l10n.t('Existing model, latest version {0}: this registers a new version.', model.latestVersion)
          : l10n.t('Existing model: this registers a new version.'))
        : l10n.t('A new model.');
      if (!errors.editedFields.includes('version') && model.nextVersion) {
        version.setValue(model.nextVersion);
        change('version', model.nextVersion, false);
      }
    },
  };
}

startForm<ModelDraft, ModelField, ModelFormOptions, ModelFormView, ModelHostMessage, ModelWebviewMessage>({
  emptyDraft: emptyModelDraft(),
  toDraft: toModelDraft,
  keepable: (draft) => draft,
  build,
  mounted: (view) => view.loadDependents(),
  onMessage(message, view) {
    switch (message.type) {
      case 'runs':
        view.showRuns(message.experimentName, message.runs, message.note);
        break;
      case 'runOutputs':
        view.showOutputs(message.jobName, message.paths, message.note);
        break;
      case 'localPicked':
        view.setLocalPath(message.path);
        break;
      case 'modelInfo':
        view.showModelInfo(message.model, message.exists);
        break;
    }
  },
});

