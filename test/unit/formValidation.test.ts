import * as assert from 'node:assert/strict';
import { emptyDatastoreDraft, emptyModelDraft, toDatastoreDraft, withoutDatastoreSecrets } from '../../src/forms/drafts';
import { toDatastoreInput } from '../../src/forms/datastoreInput';
import { webviewContentSecurityPolicy, webviewHtml } from '../../src/ui/webviewHtml';
import { datastoreModelUri, jobArtifactModelUri } from '../../src/forms/modelUris';
import type { DatastoreDraft } from '../../src/forms/protocol';
import {
  accountKeyError, authTypesFor, containerNameError, datastoreNameError, endpointSuffixError, guidError, modelNameError,
  modelVersionError, sasTokenError, storageAccountNameError, storagePathError, tagsError, validateDatastoreDraft, validateModelDraft,
} from '../../src/forms/validation';

const key = Buffer.alloc(64, 3).toString('base64');

describe('registration form rules', () => {
  it('datastore names: letters, digits and underscores, at most 255, not taken (case-insensitively)', () => {
    assert.equal(datastoreNameError('training_data_2024'), undefined);
    assert.equal(datastoreNameError('Mixed_Case'), undefined);
    assert.equal(datastoreNameError(''), 'Enter a name for the datastore.');
    assert.equal(datastoreNameError('with-hyphen'), 'Use only letters, digits and underscores (_).');
    assert.equal(datastoreNameError('with space'), 'Use only letters, digits and underscores (_).');
    assert.equal(datastoreNameError('a'.repeat(255)), undefined);
    assert.equal(datastoreNameError('a'.repeat(256)), 'Use at most 255 characters.');
    assert.equal(datastoreNameError('WorkspaceBlobStore', ['workspaceblobstore']), 'A datastore named "workspaceblobstore" already exists in this workspace.');
  });

  it('storage account names: 3 to 24 lowercase letters and digits', () => {
    for (const ok of ['abc', 'contosodata2024', 'a'.repeat(24)]) assert.equal(storageAccountNameError(ok), undefined, ok);
    assert.equal(storageAccountNameError('ab'), 'A storage account name has 3 to 24 characters.');
    assert.equal(storageAccountNameError('a'.repeat(25)), 'A storage account name has 3 to 24 characters.');
    assert.equal(storageAccountNameError('Contoso'), 'Use only lowercase letters and digits.');
    assert.equal(storageAccountNameError('con-toso'), 'Use only lowercase letters and digits.');
    assert.equal(storageAccountNameError('other', { accountName: 'devstoreaccount1', endpointSuffix: 'local' }),
      'The local workspace has one storage account: "devstoreaccount1".');
  });

  it('containers, file shares and file systems: 3 to 63, lowercase, digits, single hyphens inside', () => {
    for (const ok of ['abc', 'training-data', 'a1-b2-c3', 'x'.repeat(63)]) assert.equal(containerNameError(ok, 'AzureBlob'), undefined, ok);
    assert.equal(containerNameError('', 'AzureFile'), 'Enter the file share name.');
    assert.equal(containerNameError('ab', 'AzureDataLakeGen2'), 'A file system name has 3 to 63 characters.');
    assert.equal(containerNameError('x'.repeat(64), 'AzureBlob'), 'A container name has 3 to 63 characters.');
    assert.equal(containerNameError('Data', 'AzureBlob'), 'Use only lowercase letters, digits and hyphens (-).');
    assert.equal(containerNameError('data_set', 'AzureBlob'), 'Use only lowercase letters, digits and hyphens (-).');
    assert.equal(containerNameError('-data', 'AzureBlob'), 'Start and end with a letter or digit.');
    assert.equal(containerNameError('data-', 'AzureBlob'), 'Start and end with a letter or digit.');
    assert.equal(containerNameError('da--ta', 'AzureBlob'), 'Do not use two hyphens in a row.');
  });

  it('endpoint suffixes are host name suffixes, not URLs', () => {
    for (const ok of ['core.windows.net', 'core.usgovcloudapi.net', 'local']) assert.equal(endpointSuffixError(ok), undefined, ok);
    assert.equal(endpointSuffixError('https://core.windows.net'), 'Enter only the suffix (e.g. core.windows.net), not a URL.');
    assert.equal(endpointSuffixError('core..net'), 'Not a valid host name suffix.');
    assert.equal(endpointSuffixError(''), 'Enter the storage endpoint suffix, e.g. core.windows.net.');
  });

  it('account keys are base64; SAS tokens are tokens with a signature that has not expired', () => {
    assert.equal(accountKeyError(key), undefined);
    assert.equal(accountKeyError('abc def'), 'The key contains spaces or line breaks: paste it again.');
    assert.equal(accountKeyError('not*base64'), 'An account key is base64 text (88 characters for Azure Storage).');
    const now = new Date('2025-06-01T00:00:00Z');
    assert.equal(sasTokenError('?sv=2024-11-04&sp=rl&se=2026-01-01T00:00:00Z&sig=abc%3D', now), undefined);
    assert.equal(sasTokenError('https://a.blob.core.windows.net/c?sv=1&sig=x', now), 'Paste only the token (the part after "?"), not the whole URL.');
    assert.equal(sasTokenError('sv=2024-11-04&sp=rl', now), 'This is not a SAS token: it has no signature (sig=).');
    assert.equal(sasTokenError('sp=rl&sig=x', now), 'This is not a SAS token: it has no version (sv=).');
    assert.equal(sasTokenError('sv=1&se=2025-05-31T23:00:00Z&sig=x', now), 'This SAS token expired on 2025-05-31 23:00 UTC.');
  });

  it('service principals: GUIDs for tenant and client', () => {
    assert.equal(guidError('72f988bf-86f1-41af-91ab-2d7cd011db47', 'tenant ID'), undefined);
    assert.equal(guidError('contoso.onmicrosoft.com', 'tenant ID'), 'The tenant ID is a GUID, e.g. 00000000-0000-0000-0000-000000000000.');
  });

  it('models: the service\'s asset name rule, and versions like 1 or 1.0.2', () => {
    for (const ok of ['fraud-classifier', 'model_2', '1model']) assert.equal(modelNameError(ok), undefined, ok);
    assert.equal(modelNameError('_lead'), 'Start with a letter or digit.');
    assert.equal(modelNameError('has.dot'), 'Use only letters, digits, hyphens (-) and underscores (_).');
    assert.equal(modelNameError('a'.repeat(256)), 'Use at most 255 characters.');
    for (const ok of ['1', '12', '1.0.2', 'v2-beta']) assert.equal(modelVersionError(ok), undefined, ok);
    assert.equal(modelVersionError('1 2'), 'Use only letters, digits, dots (.), hyphens (-) and underscores (_).');
    assert.equal(modelVersionError('.1'), 'Start with a letter or digit.');
  });

  it('paths are relative and stay inside; tags need names and unique ones', () => {
    assert.equal(storagePathError('models/a/', 'path'), undefined);
    assert.equal(storagePathError('/models', 'path'), 'Enter the path without a leading "/".');
    assert.equal(storagePathError('models\\a', 'path'), 'Separate folders with "/".');
    assert.equal(storagePathError('a/../b', 'path'), 'The path cannot contain "." or ".." segments.');
    assert.equal(tagsError([{ key: 'a', value: '1' }, { key: '', value: '' }]), undefined);
    assert.equal(tagsError([{ key: '', value: 'x' }]), 'Tag 1 has a value but no name.');
    assert.equal(tagsError([{ key: 'a', value: '1' }, { key: ' a ', value: '2' }]), 'The tag "a" appears twice.');
  });

  it('offers the authentication each storage type takes, and checks only the fields in use', () => {
    assert.deepEqual(authTypesFor('AzureBlob'), ['AccountKey', 'Sas', 'None']);
    assert.deepEqual(authTypesFor('AzureFile'), ['AccountKey', 'Sas', 'None']);
    assert.deepEqual(authTypesFor('AzureDataLakeGen2'), ['ServicePrincipal', 'None']);
    const draft: DatastoreDraft = { ...emptyDatastoreDraft('core.windows.net'), name: 'ds', accountName: 'acct', container: 'data', accountKey: key };
    assert.deepEqual(validateDatastoreDraft(draft), {});
    assert.deepEqual(Object.keys(validateDatastoreDraft({ ...draft, authType: 'Sas' })), ['sasToken']);
    assert.deepEqual(Object.keys(validateDatastoreDraft({ ...draft, authType: 'None' })), []);
    assert.deepEqual(Object.keys(validateDatastoreDraft({ ...draft, datastoreType: 'AzureDataLakeGen2', authType: 'ServicePrincipal' })),
      ['tenantId', 'clientId', 'clientSecret']);
    assert.deepEqual(Object.keys(validateDatastoreDraft({ ...draft, datastoreType: 'AzureDataLakeGen2' })), ['authType']);
    const model = { ...emptyModelDraft(), name: 'm', datastoreName: 'ds', datastorePath: 'p' };
    assert.deepEqual(validateModelDraft(model), {});
    assert.deepEqual(Object.keys(validateModelDraft({ ...model, source: 'run' })), ['experimentName', 'jobName', 'runPath']);
    assert.equal(validateModelDraft({ ...model, source: 'local', localPath: '/m' }, { localUploadAvailable: false }).localPath,
      'Local files cannot be uploaded to this workspace (it has no default datastore).');
  });
});

describe('registration form drafts and pages', () => {
  it('rebuilds drafts from untrusted data: strings only, known choices only, secrets removable', () => {
    const base = emptyDatastoreDraft('core.windows.net');
    const draft = toDatastoreDraft({
      name: 7, datastoreType: 'OneLake', authType: 'Sas', sasToken: 'sv=1&sig=x', tags: [{ key: 'a', value: 1 }, 'junk'], extra: 'dropped',
      skipValidation: 'yes',
    }, base);
    assert.equal(draft.name, '');
    assert.equal(draft.datastoreType, 'AzureBlob');
    assert.equal(draft.authType, 'Sas');
    assert.deepEqual(draft.tags, [{ key: 'a', value: '' }]);
    assert.equal(draft.skipValidation, false);
    assert.ok(!('extra' in draft));
    const stripped = withoutDatastoreSecrets({ ...draft, accountKey: 'k', clientSecret: 's' });
    assert.deepEqual([stripped.accountKey, stripped.sasToken, stripped.clientSecret], ['', '', '']);
  });

  it('turns a draft into the service\'s input: trimmed, SAS without "?", blank tags dropped', () => {
    const draft: DatastoreDraft = {
      ...emptyDatastoreDraft('core.windows.net'), name: ' ds ', accountName: 'acct', container: 'share', datastoreType: 'AzureFile',
      authType: 'Sas', sasToken: '?sv=1&sig=x', tags: [{ key: 'team', value: 'ml' }, { key: '', value: '' }], description: '  ',
    };
    assert.deepEqual(toDatastoreInput(draft), {
      name: 'ds', accountName: 'acct', endpoint: 'core.windows.net', protocol: 'https', datastoreType: 'AzureFile', fileShareName: 'share',
      credentials: { credentialsType: 'Sas', sasToken: 'sv=1&sig=x' }, tags: { team: 'ml' },
    });
  });

  it('builds model URIs the service takes, folders with a trailing slash', () => {
    assert.equal(jobArtifactModelUri('job_1', 'outputs/model', true), 'azureml://jobs/job_1/outputs/artifacts/paths/outputs/model/');
    assert.equal(jobArtifactModelUri('job_1', 'outputs/model.pkl', false), 'azureml://jobs/job_1/outputs/artifacts/paths/outputs/model.pkl');
    assert.equal(datastoreModelUri('workspaceblobstore', '/models/x/', true), 'azureml://datastores/workspaceblobstore/paths/models/x/');
  });

  it('pages carry a strict CSP: nothing inline, the script only with its nonce', () => {
    const csp = webviewContentSecurityPolicy('https://webview.example', 'abc123');
    assert.equal(csp, "default-src 'none'; style-src https://webview.example; font-src https://webview.example; img-src https://webview.example; "
      + "script-src 'nonce-abc123'; base-uri 'none'; form-action 'none'");
    const html = webviewHtml({ title: 'A <b>', cspSource: 'https://webview.example', nonce: 'abc123', scriptUri: 'https://x/s.js', styleUris: ['https://x/a.css'] });
    assert.match(html, /<script nonce="abc123" src="https:\/\/x\/s\.js"><\/script>/);
    assert.match(html, /<title>A &#60;b&#62;<\/title>/);
    assert.doesNotMatch(html, /style=|<style|onclick|javascript:/i);
  });
});
