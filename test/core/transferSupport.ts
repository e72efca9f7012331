import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential,
} from '@azure/storage-blob';
import {
  generateFileSASQueryParameters, ShareSASPermissions, StorageSharedKeyCredential as FileSharedKeyCredential,
} from '@azure/storage-file-share';
import { openDatastoreStorage, type DatastoreStorage } from '../../src/azure/datastoreStorage';
import type { DatastoreCredentialsInput } from '../../src/azure/domain';
import { connectLocalWorkspace } from '../../src/azure/localWorkspace';
import type { WorkspaceClient } from '../../src/azure/workspaceClient';
import { devStorageAccount } from '../../src/local/devStorageAccount';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { localStorageKey } from '../support/storageKey';

/** The local workspace, its client, and the storage of its datastores with their own credentials. */
export interface TransferHarness {
  local: StartedLocalWorkspace;
  client: WorkspaceClient;
  storage(datastoreName: string): Promise<DatastoreStorage>;
  /** Registers a datastore on the workspace's blob container or file share with other credentials. */
  registerDatastore(name: string, kind: 'blob' | 'file', credentials: DatastoreCredentialsInput): Promise<void>;
  /** A SAS for the built-in container or share, with only these permissions. */
  sas(kind: 'blob' | 'file', permissions: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function startTransferHarness(): Promise<TransferHarness> {
  return transferHarnessFor(await startLocalWorkspace());
}

/** The harness for a local workspace already started. */
export function transferHarnessFor(local: StartedLocalWorkspace): TransferHarness {
  const { workspaceClient: client } = connectLocalWorkspace(local.connection);
  const storage = async (name: string): Promise<DatastoreStorage> => {
    const datastore = await client.datastores.get(name);
    const secrets = datastore.credentialsType === 'None' ? undefined : await client.datastores.listSecrets(name);
    return openDatastoreStorage({ cloud: client.cloud, datastore, ...(secrets ? { secrets } : {}) });
  };
  const builtIn = async (kind: 'blob' | 'file'): Promise<string> => {
    const datastore = await client.datastores.get(kind === 'blob' ? 'workspaceblobstore' : 'workspacefilestore');
    return (kind === 'blob' ? datastore.containerName : datastore.fileShareName)!;
  };
  return {
    local,
    client,
    storage,
    async registerDatastore(name, kind, credentials) {
      const place = await builtIn(kind);
      const common = { name, accountName: devStorageAccount.name, protocol: 'http', credentials };
      await client.datastores.createOrUpdate(kind === 'blob'
        ? { ...common, datastoreType: 'AzureBlob', containerName: place }
        : { ...common, datastoreType: 'AzureFile', fileShareName: place }, { skipValidation: true });
    },
    async sas(kind, permissions) {
      const place = await builtIn(kind);
      const expiresOn = new Date(Date.now() + 3600_000);
      return kind === 'blob'
        ? generateBlobSASQueryParameters({ containerName: place, permissions: ContainerSASPermissions.parse(permissions), expiresOn },
          new StorageSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir))).toString()
        : generateFileSASQueryParameters({ shareName: place, permissions: ShareSASPermissions.parse(permissions), expiresOn },
          new FileSharedKeyCredential(devStorageAccount.name, localStorageKey(local.dataDir))).toString();
    },
    dispose: () => local.dispose(),
  };
}

/** Writes files (and empty folders, names ending in "/") under root. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(root, ...name.split('/'));
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** Every file under root by relative path, and the empty folders (ending in "/"). */
export function readLocalTree(root: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const visit = (folder: string, relative: string): void => {
    const entries = readdirSync(folder, { withFileTypes: true });
    if (entries.length === 0 && relative) found.set(`${relative}/`, Buffer.alloc(0));
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(path.join(folder, entry.name), child);
      else found.set(child, readFileSync(path.join(folder, entry.name)));
    }
  };
  visit(root, '');
  return found;
}

/** Every file below a datastore folder, read with the SDK itself (not the engine), and empty share folders ("/"). */
export async function readRemoteTree(storage: DatastoreStorage, folder: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const prefix = folder ? `${folder}/` : '';
  if (storage.kind === 'blob') {
    for await (const blob of storage.container.listBlobsFlat({ prefix })) {
      found.set(blob.name.slice(prefix.length), await storage.container.getBlobClient(blob.name).downloadToBuffer());
    }
    return found;
  }
  const visit = async (relative: string): Promise<void> => {
    const full = [folder, relative].filter(Boolean).join('/');
    const directory = full ? storage.share.getDirectoryClient(full) : storage.share.rootDirectoryClient;
    let children = 0;
    for await (const item of directory.listFilesAndDirectories()) {
      children++;
      const child = relative ? `${relative}/${item.name}` : item.name;
      if (item.kind === 'directory') await visit(child);
      else found.set(child, await directory.getFileClient(item.name).downloadToBuffer());
    }
    if (children === 0 && relative) found.set(`${relative}/`, Buffer.alloc(0));
  };
  await visit('');
  return found;
}

/** The stored Content-MD5 (base64) of a remote file. */
export async function remoteMd5(storage: DatastoreStorage, name: string): Promise<string | undefined> {
  const slash = name.lastIndexOf('/');
  const properties = storage.kind === 'blob'
    ? await storage.container.getBlobClient(name).getProperties()
    : await (slash < 0 ? storage.share.rootDirectoryClient : storage.share.getDirectoryClient(name.slice(0, slash)))
      .getFileClient(name.slice(slash + 1)).getProperties();
  return properties.contentMD5 ? Buffer.from(properties.contentMD5).toString('base64') : undefined;
}

/**
 * Names that break naive tools: spaces, #, %, unicode, quotes, deep nesting, an empty file and an
 * empty folder, binary content, and (blob only) characters Azure Files does not allow (? : * |).
 */
export function awkwardTree(kind: 'blob' | 'file', largeBytes: number): Record<string, string | Buffer> {
  const tree: Record<string, string | Buffer> = {
    'with space.txt': 'spaces',
    'hash#1.txt': 'hash',
    'percent%41.txt': 'not an A',
    '100% done.txt': 'percent',
    'plus+and&amp;.txt': 'plus',
    "quote'd (1) [x] {y} ~@!$=,;.txt": 'quotes',
    'ünïcødé-文件-😀.txt': 'unicode ✓',
    'NFD-é.txt': 'decomposed e\u0301',
    'empty.txt': '',
    '.hidden': 'dot file',
    'deep/a/b/c/d/e/f/g/h/i/j/k/leaf.txt': 'deep leaf',
    'dir with space/#dir%/inner file.bin': randomBytes(70_000),
    'empty folder/': '',
    'nested/empty too/': '',
    'large file.bin': randomBytes(largeBytes),
  };
  if (kind === 'blob') {
    tree['question?.txt'] = 'question';
    tree['colon:star*pipe|.txt'] = 'blob-only characters';
  }
  return tree;
}
