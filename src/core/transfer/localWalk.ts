import * as l10n from '@vscode/l10n';
import { promises as fs, statSync, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { IgnoreRules } from './ignoreRules';
import { isInside } from './pathSafety';

/** One thing found in the folder to upload. Relative paths are `/`-separated. */
export type LocalEntry =
  | { kind: 'file'; relativePath: string; absolutePath: string; size: number; mtimeMs: number }
  /** A folder with nothing in it at all. */
  | { kind: 'emptyFolder'; relativePath: string }
  | { kind: 'ignored'; relativePath: string; isDirectory: boolean }
  /** Left out on purpose: a link out of the folder, a link loop, a device or socket. */
  | { kind: 'notUploaded'; relativePath: string; reason: string }
  /** Could not be read (permissions, vanished while walking). */
  | { kind: 'unreadable'; relativePath: string; reason: string };

export interface WalkOptions {
  /** The folder relative paths start from; its rules file applies. */
  root: string;
  /** Files and folders inside `root` to upload instead of all of it. Explicitly chosen entries are not subject to the rules (`.git` still is). */
  entries?: readonly string[];
  rules: IgnoreRules;
  signal?: AbortSignal;
}

/**
 * A large folder is stat-ed (and its small files hashed, by the consumer) without waiting for
 * I/O; after this long without a break, one lets responses, progress and cancel through (and
 * keeps a slow network drive from holding the extension host).
 */
const maxMsWithoutBreak = 10;

/**
 * A download's temporary file (see downloadFolder): sized as the whole file from the start, so
 * sent as data it would look complete. Kept after an interrupted download, to resume it.
 */
const partlyDownloaded = /^\.azml-download-[0-9a-f]{16}(?:[0-9a-f]{8})?$/;

function errorReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(error);
}

/**
 * A name that is not valid UTF-8 reaches us with U+FFFD in place of its bytes, and no file has
 * that name: say so rather than "ENOENT". Storage names are Unicode, so it can't be kept anyway.
 */
function unreadableNameReason(name: string, error: unknown): string {
  const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
  return missing && name.includes('\ufffd') ? l10n.t('the name is not valid UTF-8, which storage names must be: rename it') : errorReason(error);
}

function joinRelative(parent: string, name: string): string {
  return parent ? `${parent}/${name}` : name;
}

/**
 * Walks the folder depth first, one folder in memory at a time, never following a symbolic link
 * to anything outside the root (or outside the chosen entry it was found in), nor back into one
 * of its own ancestors.
 */
export async function* walkLocal(options: WalkOptions): AsyncGenerator<LocalEntry> {
  const root = path.resolve(options.root);
  const rootReal = await fs.realpath(root);
  if (!options.entries) {
    yield* new Walker(rootReal, options.rules, options.signal).folder(root, '', [rootReal]);
    return;
  }
  for (const entry of options.entries) {
    const absolute = path.resolve(entry);
    if (!isInside(root, absolute) || absolute === root) throw new Error(l10n.t('{0} is not inside {1}.', entry, root));
    const relativePath = path.relative(root, absolute).split(path.sep).join('/');
    if (relativePath.split('/').includes('.git')) {
      yield { kind: 'ignored', relativePath, isDirectory: false };
      continue;
    }
    // A chosen folder is its own boundary, never the parent it shares with other choices: a link
    // inside it must not reach a sibling folder that was not chosen. (A chosen file stays within
    // the root: planUpload already refuses a chosen link to a file outside its own folder.)
    const isFolder = await fs.stat(absolute).then((s) => s.isDirectory(), () => false);
    const boundary = isFolder ? await fs.realpath(absolute) : rootReal;
    yield* new Walker(boundary, options.rules, options.signal).entry(absolute, relativePath, [], true);
  }
}

class Walker {
  private lastBreak = performance.now();

  constructor(private readonly boundary: string, private readonly rules: IgnoreRules, private readonly signal: AbortSignal | undefined) {}

  /** A file not to upload, found by its name: a download's temporary file, or one the ignore rules leave out (unless picked). */
  private leftOut(name: string, relativePath: string, explicit: boolean): LocalEntry | undefined {
    if (partlyDownloaded.test(name)) {
      return { kind: 'notUploaded', relativePath, reason: l10n.t('a partly downloaded file (an interrupted download keeps it to resume)') };
    }
    if (!explicit && this.rules.ignores(relativePath, false)) return { kind: 'ignored', relativePath, isDirectory: false };
    return undefined;
  }

  /** One entry found by name: classifies it and, for folders, walks into them. */
  async* entry(absolute: string, relativePath: string, ancestors: readonly string[], explicit: boolean): AsyncGenerator<LocalEntry> {
    let stats: Stats;
    try {
      stats = await fs.lstat(absolute);
    } catch (e) {
      yield { kind: 'unreadable', relativePath, reason: errorReason(e) };
      return;
    }
    if (stats.isSymbolicLink()) {
      yield* this.link(absolute, relativePath, ancestors, explicit);
    } else if (stats.isDirectory()) {
      if (!explicit && this.rules.ignores(relativePath, true)) yield { kind: 'ignored', relativePath, isDirectory: true };
      else yield* this.folder(absolute, relativePath, [...ancestors, await fs.realpath(absolute)]);
    } else if (stats.isFile()) {
      yield this.leftOut(path.basename(absolute), relativePath, explicit)
        ?? { kind: 'file', relativePath, absolutePath: absolute, size: stats.size, mtimeMs: stats.mtimeMs };
    } else {
      yield { kind: 'notUploaded', relativePath, reason: l10n.t('not a regular file') };
    }
  }

  private async* link(absolute: string, relativePath: string, ancestors: readonly string[], explicit: boolean): AsyncGenerator<LocalEntry> {
    let real: string;
    let stats: Stats;
    try {
      real = await fs.realpath(absolute);
      stats = await fs.stat(real);
    } catch (e) {
      yield { kind: 'unreadable', relativePath, reason: l10n.t('broken symbolic link ({0})', errorReason(e)) };
      return;
    }
    if (!isInside(this.boundary, real)) {
      yield { kind: 'notUploaded', relativePath, reason: l10n.t('symbolic link to outside the folder (not followed)') };
    } else if (stats.isDirectory()) {
      if (!explicit && this.rules.ignores(relativePath, true)) yield { kind: 'ignored', relativePath, isDirectory: true };
      else if (ancestors.includes(real)) yield { kind: 'notUploaded', relativePath, reason: l10n.t('symbolic link to a folder that contains it (not followed)') };
      else yield* this.folder(absolute, relativePath, [...ancestors, real]);
    } else if (stats.isFile()) {
      yield this.leftOut(path.basename(absolute), relativePath, explicit)
        ?? { kind: 'file', relativePath, absolutePath: absolute, size: stats.size, mtimeMs: stats.mtimeMs };
    } else {
      yield { kind: 'notUploaded', relativePath, reason: l10n.t('not a regular file') };
    }
  }

  /**
   * The folder's files first, then its subfolders, depth first. Files are stat-ed synchronously:
   * a thread-pool round trip per file costs more than the stat, and folders hold thousands.
   */
  async* folder(absolute: string, relativePath: string, ancestors: readonly string[]): AsyncGenerator<LocalEntry> {
    this.signal?.throwIfAborted();
    let dirents: Dirent[];
    try {
      dirents = await fs.readdir(absolute, { withFileTypes: true });
      this.lastBreak = performance.now();
    } catch (e) {
      if (relativePath === '') throw e;
      yield { kind: 'unreadable', relativePath, reason: l10n.t('can\'t list folder ({0})', errorReason(e)) };
      return;
    }
    if (dirents.length === 0) {
      if (relativePath !== '') yield { kind: 'emptyFolder', relativePath };
      return;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: Dirent[] = [];
    const others: Dirent[] = [];
    for (const d of dirents) (d.isFile() ? files : others).push(d);

    for (const d of files) {
      if (performance.now() - this.lastBreak >= maxMsWithoutBreak) {
        await new Promise((resolve) => setImmediate(resolve));
        this.lastBreak = performance.now();
        this.signal?.throwIfAborted();
      }
      const child = joinRelative(relativePath, d.name);
      const leftOut = this.leftOut(d.name, child, false);
      if (leftOut) {
        yield leftOut;
        continue;
      }
      const file = path.join(absolute, d.name);
      let size: number;
      let mtimeMs: number;
      try {
        ({ size, mtimeMs } = statSync(file));
      } catch (e) {
        yield { kind: 'unreadable', relativePath: child, reason: unreadableNameReason(d.name, e) };
        continue;
      }
      yield { kind: 'file', relativePath: child, absolutePath: file, size, mtimeMs };
    }
    for (const d of others) {
      const child = joinRelative(relativePath, d.name);
      if (d.isDirectory()) {
        if (this.rules.ignores(child, true)) yield { kind: 'ignored', relativePath: child, isDirectory: true };
        else yield* this.folder(path.join(absolute, d.name), child, [...ancestors, path.join(ancestors.at(-1)!, d.name)]);
      } else {
        yield* this.entry(path.join(absolute, d.name), child, ancestors, false);
      }
    }
  }
}
