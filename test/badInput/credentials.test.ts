import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BlobServiceClient, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential,
} from '@azure/storage-blob';
import {
  generateFileSASQueryParameters, ShareSASPermissions, ShareServiceClient, StorageSharedKeyCredential as FileSharedKeyCredential,
} from '@azure/storage-file-share';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { azuritePublishedKey } from '../../src/local/workspaceApi/resources/localAccountKeys';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';
import { assertRefused, azml, localTarget, putDatastore, treeOf } from './harness';

const container = 'badinput';
const share = 'badshare';
const hour = 3_600_000;
/** The running service's key, read in `before` (the cases' credentials are made after it). */
let accountKey: string;

function blobSas(permissions: string, window: { startsOn?: Date; expiresOn: Date } = { expiresOn: new Date(Date.now() + hour) }, containerName = container): string {
  return generateBlobSASQueryParameters({ containerName, permissions: ContainerSASPermissions.parse(permissions), ...window },
    new StorageSharedKeyCredential(devStorageAccount.name, accountKey)).toString();
}

function fileSas(permissions: string, expiresOn = new Date(Date.now() + hour)): string {
  return generateFileSASQueryParameters({ shareName: share, permissions: ShareSASPermissions.parse(permissions), expiresOn },
    new FileSharedKeyCredential(devStorageAccount.name, accountKey)).toString();
}

/** A key of the right shape (64 bytes, base64) that is not the account's. */
const wrongKey = Buffer.alloc(64, 7).toString('base64');

type Credentials = { credentialsType: 'AccountKey'; secrets: { secretsType: 'AccountKey'; key: string } }
  | { credentialsType: 'Sas'; secrets: { secretsType: 'Sas'; sasToken: string } }
  | { credentialsType: 'None' };

const key = (k: string): Credentials => ({ credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: k } });
const sas = (token: string): Credentials => ({ credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: token } });

/** A datastore registered with a bad credential (or a bad place), and what a transfer through it must answer. */
interface Case {
  name: string;
  datastore: string;
  kind: 'blob' | 'file';
  credentials: () => Credentials;
  place?: string;
  direction: 'upload' | 'download';
  says: RegExp;
}

const rejectedSas = /The SAS token of datastore "\w+" was rejected \(it may have expired or been revoked\): update the datastore's credentials/;
const rejectedKey = /The account key of datastore "\w+" was rejected .*: update the datastore's credentials/;

const cases: Case[] = [
  // SAS tokens on a blob container
  { name: 'a SAS token that is not one (plain words)', datastore: 'sas_words', kind: 'blob', credentials: () => sas('not-a-sas-token'), direction: 'download', says: /SAS token of datastore "sas_words" is not a SAS token.*update the datastore's credentials/ },
  { name: 'a whole SAS URL where the token belongs', datastore: 'sas_url', kind: 'blob', credentials: () => sas(`https://devstoreaccount1.blob.core.windows.net/${container}?${blobSas('rl')}`), direction: 'download', says: /SAS token of datastore "sas_url" is a whole URL.*only the token/ },
  { name: 'a SAS token with a forged signature', datastore: 'sas_forged', kind: 'blob', credentials: () => sas(blobSas('racwl').replace(/sig=[^&]+/, 'sig=AAAAforgedAAAA')), direction: 'download', says: rejectedSas },
  { name: 'an expired SAS token (download)', datastore: 'sas_expired', kind: 'blob', credentials: () => sas(blobSas('racwl', { startsOn: new Date(Date.now() - 2 * hour), expiresOn: new Date(Date.now() - hour) })), direction: 'download', says: /SAS token of datastore "sas_expired" expired on \d{4}-\d\d-\d\d \d\d:\d\d UTC: update the datastore's credentials/ },
  { name: 'an expired SAS token (upload)', datastore: 'sas_expired', kind: 'blob', credentials: () => sas(blobSas('racwl', { startsOn: new Date(Date.now() - 2 * hour), expiresOn: new Date(Date.now() - hour) })), direction: 'upload', says: /SAS token of datastore "sas_expired" expired on .*: update the datastore's credentials/ },
  { name: 'a SAS token not valid yet', datastore: 'sas_future', kind: 'blob', credentials: () => sas(blobSas('racwl', { startsOn: new Date(Date.now() + hour), expiresOn: new Date(Date.now() + 2 * hour) })), direction: 'download', says: /SAS token of datastore "sas_future" is not valid before .* UTC/ },
  { name: 'a read-only SAS token for an upload', datastore: 'sas_readonly', kind: 'blob', credentials: () => sas(blobSas('rl')), direction: 'upload', says: /The SAS token of datastore "sas_readonly" does not allow write \(w\) access.*SAS token with/ },
  { name: 'a write-only SAS token for a download', datastore: 'sas_writeonly', kind: 'blob', credentials: () => sas(blobSas('w')), direction: 'download', says: /The SAS token of datastore "sas_writeonly" does not allow list \(l\) access.*SAS token with/ },
  { name: 'a SAS token of another container', datastore: 'sas_other', kind: 'blob', credentials: () => sas(blobSas('racwl', undefined, 'othercontainer')), direction: 'upload', says: rejectedSas },
  { name: 'a SAS token whose permissions were edited by hand', datastore: 'sas_edited', kind: 'blob', credentials: () => sas(blobSas('rl').replace(/sp=[^&]+/, 'sp=racwl')), direction: 'upload', says: rejectedSas },
  // account keys on a blob container
  { name: 'an account key of another account (upload)', datastore: 'key_wrong', kind: 'blob', credentials: () => key(wrongKey), direction: 'upload', says: rejectedKey },
  { name: 'an account key of another account (download)', datastore: 'key_wrong', kind: 'blob', credentials: () => key(wrongKey), direction: 'download', says: rejectedKey },
  // The client never sees the key (it asks for an expiring SAS, which the workspace signs with it), so the storage's refusal is what it can report.
  { name: 'Azurite\'s published development key', datastore: 'key_published', kind: 'blob', credentials: () => key(azuritePublishedKey), direction: 'download', says: rejectedKey },
  { name: 'an account key that is not base64', datastore: 'key_garbled', kind: 'blob', credentials: () => key('this is not a key!'), direction: 'upload', says: rejectedKey },
  { name: 'an account key cut short', datastore: 'key_short', kind: 'blob', credentials: () => key(accountKey.slice(0, 40)), direction: 'download', says: rejectedKey },
  { name: 'an account key with one character mistyped', datastore: 'key_typo', kind: 'blob', credentials: () => key(`${accountKey.slice(0, 10)}${accountKey[10] === 'A' ? 'B' : 'A'}${accountKey.slice(11)}`), direction: 'download', says: rejectedKey },
  { name: 'a container that does not exist', datastore: 'no_container', kind: 'blob', credentials: () => key(accountKey), place: 'nosuchcontainer', direction: 'upload', says: /container "nosuchcontainer" of storage account "devstoreaccount1" of datastore "no_container" does not exist: create it or point the datastore at one that does/ },
  // the same on a file share
  { name: 'an expired SAS token on a file share', datastore: 'share_expired', kind: 'file', credentials: () => sas(fileSas('rcwdl', new Date(Date.now() - hour))), direction: 'download', says: /SAS token of datastore "share_expired" expired on .*: update the datastore's credentials/ },
  { name: 'a read-only SAS token for an upload to a file share', datastore: 'share_readonly', kind: 'file', credentials: () => sas(fileSas('rl')), direction: 'upload', says: /The SAS token of datastore "share_readonly" does not allow write \(w\) access/ },
  { name: 'a forged SAS token on a file share', datastore: 'share_forged', kind: 'file', credentials: () => sas(fileSas('rcwdl').replace(/sig=[^&]+/, 'sig=AAAAforgedAAAA')), direction: 'upload', says: rejectedSas },
  { name: 'an account key of another account on a file share', datastore: 'share_key', kind: 'file', credentials: () => key(wrongKey), direction: 'download', says: rejectedKey },
  { name: 'a file share that does not exist', datastore: 'no_share', kind: 'file', credentials: () => key(accountKey), place: 'nosuchshare', direction: 'download', says: /file share "nosuchshare" of storage account "devstoreaccount1" of datastore "no_share" does not exist: create it or point the datastore at one that does/ },
];

describe('bad input: datastore credentials (azml upload/download against the local workspace)', function () {
  this.timeout(60_000);
  let local: StartedLocalWorkspace;
  let work: string;
  let blobs: BlobServiceClient;
  let shares: ShareServiceClient;

  before(async () => {
    local = await startLocalWorkspace();
    accountKey = localStorageKey(local.dataDir);
    const { blobEndpoint, fileEndpoint } = local.connection;
    blobs = new BlobServiceClient(blobEndpoint, new StorageSharedKeyCredential(devStorageAccount.name, accountKey));
    shares = new ShareServiceClient(fileEndpoint, new FileSharedKeyCredential(devStorageAccount.name, accountKey));
    await blobs.getContainerClient(container).create();
    await blobs.getContainerClient(container).uploadBlockBlob('data/kept.txt', 'kept', 4);
    await shares.getShareClient(share).create();
    const directory = shares.getShareClient(share).getDirectoryClient('data');
    await directory.create();
    await directory.getFileClient('kept.txt').uploadData(Buffer.from('kept'));
    for (const c of cases) {
      await putDatastore(local, c.datastore, {
        datastoreType: c.kind === 'blob' ? 'AzureBlob' : 'AzureFile',
        accountName: devStorageAccount.name,
        ...(c.kind === 'blob' ? { containerName: c.place ?? container } : { fileShareName: c.place ?? share }),
        credentials: c.credentials(),
      });
    }
    work = mkdtempSync(path.join(os.tmpdir(), 'azml-bad-credentials-'));
    mkdirSync(path.join(work, 'project'));
    writeFileSync(path.join(work, 'project', 'train.py'), 'print("train")\n');
  });
  after(async () => {
    await local?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const [index, c] of cases.entries()) {
    it(`${c.name} (${c.direction})`, () => {
      const before = treeOf(work);
      const to = path.join(work, `download-${index}`);
      const args = c.direction === 'upload'
        ? ['upload', path.join(work, 'project'), '--datastore', c.datastore, '--target', `refused/${index}`]
        : ['download', '--datastore', c.datastore, '--path', 'data', '--to', to];
      const result = azml([...args, ...localTarget(local)], { cwd: work });
      assertRefused(result, c.says);
      assert.deepEqual(treeOf(work).filter((p) => !p.startsWith(`download-${index}/`) && p !== `download-${index}/`), before);
      assert.deepEqual(treeOf(to), [], 'no file downloaded');
      assert.doesNotMatch(result.stderr + result.stdout, /sig=(?!\*\*\*)[A-Za-z0-9%]{8,}/, 'no signature printed');
      for (const secret of [accountKey.slice(0, 20), azuritePublishedKey.slice(0, 20)]) assert.ok(!(result.stderr + result.stdout).includes(secret), 'no key printed');
    });
  }

  it('the refused uploads wrote nothing, and the files already there are intact', async () => {
    const written: string[] = [];
    for await (const blob of blobs.getContainerClient(container).listBlobsFlat()) written.push(blob.name);
    assert.deepEqual(written, ['data/kept.txt']);
    const names: string[] = [];
    for await (const item of shares.getShareClient(share).getDirectoryClient('').listFilesAndDirectories()) names.push(item.name);
    assert.deepEqual(names, ['data']);
    const kept = await shares.getShareClient(share).getDirectoryClient('data').getFileClient('kept.txt').downloadToBuffer();
    assert.equal(kept.toString(), 'kept');
  });
});
