/** What the transfer engine needs from a blob container or a file share. Paths are full names inside it. */

import * as l10n from '@vscode/l10n';

/** A file found by a listing: `name` relative to the listed folder. `md5` is base64, when the service knows it. */
export interface RemoteFile {
  kind: 'file';
  name: string;
  size: number;
  md5?: string;
}

/** A folder found by a listing (file shares; blob containers have none). */
export interface RemoteFolder {
  kind: 'folder';
  name: string;
}

export type RemoteEntry = RemoteFile | RemoteFolder;

/** One version of a remote file: when any of these differs, the file was replaced or changed. */
export interface RemoteVersion {
  etag: string;
  lastModified: string;
  size: number;
}

/**
 * A file was replaced or rewritten in storage while it was read in parts (or after it was listed):
 * what was read mixes versions, so the file fails rather than be written torn.
 */
export class RemoteFileChangedError extends Error {
  override readonly name = 'RemoteFileChangedError';
  readonly code = 'RemoteFileChanged';
  constructor() {
    super(l10n.t('it changed in storage while it was downloaded: download it again'));
  }
}

/**
 * Whether a read's reply comes from `version` of the file: the same ETag (else the same
 * last-modified time), and the same total size when the reply's Content-Range gives it. A reply
 * that carries none of them can't be told apart and counts as the same.
 */
export function replyIsVersion(reply: { etag?: string; lastModified?: Date; contentRange?: string }, version: RemoteVersion): boolean {
  const total = /\/(\d+)\s*$/.exec(reply.contentRange ?? '')?.[1];
  if (total !== undefined && Number(total) !== version.size) return false;
  if (reply.etag && version.etag) return reply.etag === version.etag;
  if (reply.lastModified && version.lastModified) return reply.lastModified.toISOString() === version.lastModified;
  return true;
}

/** The outcome of a write that must not replace an existing file. */
export type WriteOutcome = 'written' | 'exists';

/** Where a large file goes while its parts arrive; nothing is visible under the final name before `complete`. */
export interface LargeUpload {
  /** Sends bytes [offset, offset + data.length) of the file. Parts may be sent in any order, in parallel. */
  sendPart(index: number, offset: number, data: Buffer, signal: AbortSignal): Promise<void>;
  /** Makes the file visible under its final name, with its whole-content MD5 recorded. */
  complete(md5: Buffer, signal: AbortSignal): Promise<WriteOutcome>;
  /** Removes what was sent (best effort; called after a failure or cancel). */
  abandon(): Promise<void>;
}

export interface RemoteStore {
  readonly kind: 'blob' | 'file';
  /** Files up to this size go in one request. */
  readonly singleRequestLimit: number;
  /** Part size for larger files. */
  readonly partSize: number;
  /** Why a name cannot be stored here, or undefined. */
  nameProblem(fullName: string): string | undefined;
  /** Whether `list` answers in name order (UTF-8 bytes), so a name it has passed and not listed is not there. */
  readonly listsInNameOrder: boolean;
  /** Every file (and, for shares, folder) below `folder`, names relative to it. */
  list(folder: string, signal: AbortSignal): AsyncIterable<RemoteEntry>;
  /** The stored Content-MD5 of a file (file share listings do not carry it). */
  md5Of(fullName: string, signal: AbortSignal): Promise<string | undefined>;
  /** The file's version now (its properties), or undefined when it is not there. */
  versionOf(fullName: string, signal: AbortSignal): Promise<RemoteVersion | undefined>;
  /** Makes sure a folder exists (and its parents): file shares; a no-op for blobs. */
  ensureFolder(fullName: string, signal: AbortSignal): Promise<void>;
  /** Writes a whole small file at once, with its MD5 recorded. */
  putSmall(fullName: string, data: Buffer, md5: Buffer, overwrite: boolean, signal: AbortSignal): Promise<WriteOutcome>;
  startLarge(fullName: string, size: number, overwrite: boolean, signal: AbortSignal): Promise<LargeUpload>;
  /**
   * A readable stream of `count` bytes from `offset` (all of the file when count is undefined).
   * With `version`, the bytes must come from that version of the file: when it is another one
   * now, the read fails with RemoteFileChangedError (so the parts of a large file never mix versions).
   */
  read(fullName: string, offset: number, count: number | undefined, signal: AbortSignal, version?: RemoteVersion): Promise<NodeJS.ReadableStream>;
}
