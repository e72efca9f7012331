/**
 * What a user of the registration forms meets outside the extension host: the webview's submit
 * after the host blamed a field, the note for a taken datastore name, and the upload progress
 * under Register Model in Dutch.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { emptyDatastoreDraft } from '../../src/forms/drafts';
import { uploadProgressText } from '../../src/forms/uploadProgress';
import { useNumberLocale } from '../../src/core/format';
import type { TransferProgress } from '../../src/core/transfer/types';
import { replaceNote, validateDatastoreDraft } from '../../src/forms/validation';
import { repoRoot } from '../support/repo';

const dutch = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.nl.json'), 'utf8')) as Record<string, string>;

// The webview modules are typed against the DOM (src/webview/tsconfig.json), which this program
// leaves out: load them untyped, and describe the little the test uses.
const requireTs = createRequire(__filename);

interface FakeField {
  id: string;
  label: string;
  root: { hidden: boolean };
  shownError: string | undefined;
  focus(): void;
  setError(message: string | undefined): void;
  setVisible(visible: boolean): void;
}

interface ErrorDisplayLike {
  render(ruleErrors: Record<string, string>): FakeField[];
}

interface FormControllerLike {
  mount(root: unknown, view: unknown): void;
  handleCommon(message: { type: string } & Record<string, unknown>): boolean;
  submit(ruleErrors: () => Record<string, string>): void;
}

const { ErrorDisplay } = requireTs('../../src/webview/formShell.ts') as {
  ErrorDisplay: new (fields: () => Array<[string, FakeField]>) => ErrorDisplayLike;
};
const { FormController } = requireTs('../../src/webview/formController.ts') as {
  FormController: new (host: unknown, keepable: (d: unknown) => unknown, draft: unknown) => FormControllerLike;
};

function fakeField(id: string, label: string): FakeField {
  return {
    id, label, root: { hidden: false }, shownError: undefined,
    focus() {},
    setError(message) {
      this.shownError = message;
    },
    setVisible(visible) {
      this.root.hidden = !visible;
    },
  };
}

/** A datastore form's controller in a fake page: what it posts to the host, and the status line. */
function datastoreFormInPage(): { form: FormControllerLike; posted: Array<{ type: string }>; statuses: string[]; container: FakeField } {
  const posted: Array<{ type: string }> = [];
  const statuses: string[] = [];
  const container = fakeField('container', 'Container');
  const name = fakeField('name', 'Datastore name');
  const errors = new ErrorDisplay(() => [['name', name], ['container', container]]);
  const shell = {
    root: {},
    showStatus: (kind: string | undefined, message?: string) => {
      if (kind && message) statuses.push(`${kind}: ${message}`);
    },
    setBusy: () => undefined,
  };
  const host = { post: (m: { type: string }) => posted.push(m), listen: () => undefined, savedState: undefined, saveState: () => undefined };
  const form = new FormController(host, (d) => d, { name: 'training', container: 'x' });
  form.mount({ replaceChildren: () => undefined, setAttribute: () => undefined }, { shell, errors, refresh: () => errors.render({}) });
  return { form, posted, statuses, container };
}

describe('registration forms, as the user meets them', () => {
  afterEach(() => {
    l10n.config({ contents: {} });
    useNumberLocale('en-US');
  });

  it('sends Register to the host again after the host blamed a field the user did not change', () => {
    const { form, posted, statuses, container } = datastoreFormInPage();
    form.submit(() => ({}));
    assert.deepEqual(posted.map((m) => m.type), ['submit']);
    form.handleCommon({ type: 'idle' });
    const missing = 'The container "x" does not exist in storage account "devstoreaccount1".';
    form.handleCommon({ type: 'fieldErrors', errors: { container: missing } });
    form.handleCommon({ type: 'status', kind: 'error', message: missing });
    assert.equal(container.shownError, missing, 'the host\'s error shows next to the field');

    // The user creates the container in the portal, then clicks Register again.
    form.submit(() => ({}));
    assert.deepEqual(posted.map((m) => m.type), ['submit', 'submit'], `the second click reached the host (status: ${statuses.at(-1)})`);
  });

  it('still stops Register in the webview for a rule the draft breaks', () => {
    const { form, posted, statuses } = datastoreFormInPage();
    form.submit(() => ({ container: 'A container name has 3 to 63 characters.' }));
    assert.deepEqual(posted, []);
    assert.equal(statuses.at(-1), 'error: Not registered. One field needs attention: Container.');
  });

  it('takes a datastore\'s name again to replace its credentials: a note, not an error', () => {
    const draft = { ...emptyDatastoreDraft('core.windows.net'), name: 'Training', accountName: 'contoso', container: 'data', accountKey: Buffer.alloc(64, 1).toString('base64') };
    assert.deepEqual(validateDatastoreDraft(draft), {}, 'a taken name is no error');
    assert.equal(replaceNote('Training', ['training', 'workspaceblobstore'], 'workspaceblobstore'),
      'Datastore "training" exists: registering replaces its settings and credentials (you are asked first).');
    assert.equal(replaceNote('WorkspaceBlobStore', ['training', 'workspaceblobstore'], 'workspaceblobstore'),
      'Datastore "workspaceblobstore" exists and is the workspace default: registering replaces its settings and credentials (you are asked first).');
    assert.equal(replaceNote('new_one', ['training']), undefined);
    assert.equal(replaceNote('', ['training']), undefined);
  });

  it('shows the upload progress of Register Model in Dutch, without English words in the sentence', () => {
    l10n.config({ contents: dutch });
    useNumberLocale('nl');
    const mib = 1024 * 1024;
    const at = (p: Partial<TransferProgress>): TransferProgress => ({ direction: 'upload', filesDone: 0, bytesDone: 0, bytesPerSecond: 0, ...p });
    const shown = [
      uploadProgressText('sentiment', at({ filesDone: 3, filesTotal: 10, bytesDone: 1.2 * mib, bytesTotal: 10 * mib })),
      uploadProgressText('sentiment', at({ filesDone: 3, filesTotal: 10, bytesDone: 1.2 * mib })),
      uploadProgressText('sentiment', at({ filesDone: 4, bytesDone: 2 * mib, bytesTotal: 10 * mib })),
      uploadProgressText('sentiment', at({ filesDone: 4, bytesDone: 2 * mib })),
      uploadProgressText('model.pkl', at({ filesDone: 0, filesTotal: 1, bytesDone: 1.5 * mib, bytesTotal: 3 * mib })),
    ];
    assert.equal(shown[0], 'sentiment uploaden: 3 van 10 bestanden, 1,2 MiB van 10 MiB…');
    assert.equal(shown[4], 'model.pkl uploaden: 1,5 MiB van 3,0 MiB…');
    for (const message of shown) assert.doesNotMatch(message, /\b(of|files|Uploading)\b/, message);
  });
});
