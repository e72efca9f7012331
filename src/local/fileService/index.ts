import { createSecretKey } from 'node:crypto';
import * as path from 'node:path';
import { ContentStore } from './contentStore';
import { acquireDirectoryLock } from './directoryLock';
import { makeDirectory } from '../durability';
import { listen } from './httpServer';
import { MetadataJournal } from './journal';
import { createRequestHandler } from './requestHandler';
import { ShareStore } from './shareStore';
import type { StorageKeyAccess } from '../storageKeyAccess';

export interface FileServiceOptions {
  /** All share data persists under here; a restart loses nothing. */
  rootDir: string;
  /** e.g. 'devstoreaccount1' */
  accountName: string;
  /** Base64 key; requests must be signed with it (Shared Key or SAS). */
  accountKey: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Bearer tokens it takes, and whether keys and SAS are refused; without it: keys and SAS only. */
  access?: StorageKeyAccess;
}

export interface RunningFileService {
  /** `http://127.0.0.1:PORT/<accountName>` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts a local Azure Files service (the subset the extension uses) that the unmodified
 * `@azure/storage-file-share` client can talk to with path-style URLs:
 * `http://127.0.0.1:PORT/<account>/<share>/<dir>/<file>`.
 *
 * Layout under `rootDir`: `metadata/` (snapshot + journal of shares, directories and files),
 * `content/` (one sparse file per file's content, named by id, never by the file's name) and
 * `service.lock`.
 */
export async function startFileService(options: FileServiceOptions): Promise<RunningFileService> {
  if (!/^[A-Za-z0-9]+$/.test(options.accountName)) throw new Error('The file service account name must be letters and digits.');
  const accountKey = Buffer.from(options.accountKey, 'base64');
  if (accountKey.length === 0) throw new Error('The file service needs a base64 account key.');
  const rootDir = path.resolve(options.rootDir);
  await makeDirectory(rootDir);
  const releaseLock = await acquireDirectoryLock(path.join(rootDir, 'service.lock'));

  const current: { store?: ShareStore } = {};
  let journal: MetadataJournal | undefined;
  try {
    const loaded = await MetadataJournal.open(path.join(rootDir, 'metadata'), () => current.store!.snapshot());
    const openedJournal = loaded.journal;
    journal = openedJournal;
    const store = ShareStore.restore(loaded.snapshot, loaded.records, (record) => openedJournal.append(record));
    current.store = store;
    // Start every run from one fresh snapshot; content no entry refers to is left-over and goes.
    await openedJournal.compact();
    const content = await ContentStore.open(path.join(rootDir, 'content'));
    await content.removeUnreferenced(store.referencedContentIds());

    const background = new Set<Promise<unknown>>();
    const inBackground = (task: () => Promise<unknown>) => {
      const running = task().catch(() => undefined).finally(() => background.delete(running));
      background.add(running);
    };
    const host = options.host ?? '127.0.0.1';
    const endpoint = { value: '' };
    const server = await listen(createRequestHandler({
      accountName: options.accountName,
      accountKey: createSecretKey(accountKey),
      store,
      content,
      get serviceEndpoint() {
        return endpoint.value;
      },
      inBackground,
      ...(options.access ? { access: options.access } : {}),
    }), host, options.port ?? 0);
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/${options.accountName}`;
    endpoint.value = `${url}/`;

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        await server.close();
        await Promise.allSettled([...background]);
        await openedJournal.close();
        await releaseLock();
      })();
      return closing;
    };
    return { url, port: server.port, close };
  } catch (error) {
    await journal?.close().catch(() => undefined);
    await releaseLock();
    throw error;
  }
}
