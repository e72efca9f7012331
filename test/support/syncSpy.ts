import { promises as fs } from 'node:fs';
import * as path from 'node:path';

type FileHandle = Awaited<ReturnType<typeof fs.open>>;

/**
 * Watches, by path, the folders the process makes (fs.mkdir) and every fsync/fdatasync it
 * completes, and can make chosen syncs (and truncations) fail as a failing disk would (EIO). A
 * sync itself is not observable without a power cut; what is: what was synced, in what order,
 * before an answer, and that an answer is an error when a sync fails.
 */
export interface SyncSpy {
  /** In order: folders made and paths synced. Empty it (`length = 0`) to watch one request. */
  events: Array<['mkdir' | 'sync', string]>;
  /** The paths synced, in order. */
  readonly synced: string[];
  /** Makes the syncs (and truncations) of matching paths fail. */
  failWhen: ((file: string, call: 'sync' | 'truncate') => boolean) | undefined;
  restore(): void;
}

export async function spyOnSyncs(): Promise<SyncSpy> {
  const originalOpen = fs.open;
  const originalMkdir = fs.mkdir;
  const probe = await originalOpen(__filename, 'r');
  const prototype = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const original = { datasync: prototype.datasync, sync: prototype.sync, truncate: prototype.truncate };
  const paths = new WeakMap<object, string>();
  const spy: SyncSpy = {
    events: [],
    get synced() {
      return spy.events.filter(([kind]) => kind === 'sync').map(([, file]) => file);
    },
    failWhen: undefined,
    restore() {
      fs.open = originalOpen;
      fs.mkdir = originalMkdir;
      Object.assign(prototype, original);
    },
  };
  const eio = (call: string, file: string) => Object.assign(new Error(`EIO: i/o error, ${call} '${file}'`), { code: 'EIO' });
  fs.open = (async (file: Parameters<typeof fs.open>[0], ...rest: unknown[]) => {
    const handle = await (originalOpen as (...args: unknown[]) => Promise<FileHandle>)(file, ...rest);
    paths.set(handle, path.resolve(String(file)));
    return handle;
  }) as typeof fs.open;
  fs.mkdir = (async (dir: Parameters<typeof fs.mkdir>[0], ...rest: unknown[]) => {
    const made = await (originalMkdir as (...args: unknown[]) => Promise<string | undefined>)(dir, ...rest);
    spy.events.push(['mkdir', path.resolve(String(dir))]);
    return made;
  }) as typeof fs.mkdir;
  for (const name of ['datasync', 'sync'] as const) {
    prototype[name] = async function (this: FileHandle) {
      const file = paths.get(this) ?? '?';
      if (spy.failWhen?.(file, 'sync')) throw eio(name, file);
      await original[name].call(this);
      spy.events.push(['sync', file]);
    };
  }
  prototype.truncate = async function (this: FileHandle, length?: number) {
    const file = paths.get(this) ?? '?';
    if (spy.failWhen?.(file, 'truncate')) throw eio('ftruncate', file);
    await original.truncate.call(this, length);
  };
  return spy;
}
