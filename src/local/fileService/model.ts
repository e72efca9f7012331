import { randomBytes } from 'node:crypto';

/** Content headers a file keeps (set on create, replaced by Set File Properties). */
export interface FileHttpHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  cacheControl?: string;
  contentDisposition?: string;
  /** Base64 MD5 of the whole file, as the client set it. */
  contentMD5?: string;
}

/** SMB properties Azure Files reports for files and directories. Times are ISO 8601 with 7 fraction digits. */
export interface SmbProperties {
  attributes: string;
  creationTime: string;
  lastWriteTime: string;
  changeTime: string;
}

interface EntryRecordBase extends SmbProperties {
  /** Unique for the life of the data folder; reported as `x-ms-file-id`. */
  id: string;
  /** Id of the containing directory; '' for a share's root directory. */
  parentId: string;
  /** The name as the client spelled it; '' for a share's root directory. */
  name: string;
  etag: string;
  /** Milliseconds since the epoch. */
  lastModified: number;
  metadata: Record<string, string>;
}

export interface DirectoryRecord extends EntryRecordBase {
  kind: 'directory';
}

export interface FileRecord extends EntryRecordBase {
  kind: 'file';
  size: number;
  /** Names the content file on disk; a new one each time the file is (re)created. */
  contentId: string;
  headers: FileHttpHeaders;
}

export type EntryRecord = DirectoryRecord | FileRecord;

export interface ShareRecord {
  name: string;
  rootId: string;
  etag: string;
  lastModified: number;
  quotaGiB: number;
  metadata: Record<string, string>;
}

/** Everything that describes the shares, written as the snapshot and replayed from the journal. */
export interface PersistedState {
  shares: ShareRecord[];
  entries: EntryRecord[];
}

export type JournalRecord =
  | { type: 'share'; share: ShareRecord }
  | { type: 'deleteShare'; name: string }
  | { type: 'entry'; entry: EntryRecord }
  | { type: 'deleteEntry'; id: string };

export interface DirectoryNode extends DirectoryRecord {
  /** Children by folded name (Azure Files names are case-insensitive, case-preserving). */
  children: Map<string, TreeNode>;
  /** Folded child names in order; rebuilt on demand after a change. */
  sortedKeys: string[] | undefined;
}

export type FileNode = FileRecord;
export type TreeNode = DirectoryNode | FileNode;

export function toEntryRecord(node: TreeNode): EntryRecord {
  if (node.kind === 'file') return { ...node, headers: { ...node.headers }, metadata: { ...node.metadata } };
  const { children: _children, sortedKeys: _sortedKeys, ...record } = node;
  return { ...record, metadata: { ...record.metadata } };
}

export function toNode(record: EntryRecord): TreeNode {
  if (record.kind === 'file') return { ...record };
  return { ...record, children: new Map(), sortedKeys: undefined };
}

/** The key a name is stored under: Azure Files treats names case-insensitively. */
export function foldName(name: string): string {
  if (/^[\u0000-\u007F]*$/.test(name)) return name.toUpperCase();
  let folded = '';
  for (const ch of name) {
    const upper = ch.toUpperCase();
    // Keep characters whose upper case is longer (ß -> SS) so distinct names never collide.
    folded += [...upper].length === 1 ? upper : ch;
  }
  return folded;
}

/** A 63-bit decimal id, the shape Azure Files uses for file ids. */
export function newEntryId(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}

export function newContentId(): string {
  return randomBytes(16).toString('hex');
}

let lastEtagTicks = 0n;

/** A quoted, strictly increasing ETag in the service's `"0x8D…"` style. */
export function newEtag(): string {
  const ticks = BigInt(Date.now()) * 10_000n + 621_355_968_000_000_000n;
  lastEtagTicks = ticks > lastEtagTicks ? ticks : lastEtagTicks + 1n;
  return `"0x${lastEtagTicks.toString(16).toUpperCase()}"`;
}

/** ISO 8601 with the 7 fraction digits Azure Files uses for SMB times. */
export function toFileTime(date: Date): string {
  return `${date.toISOString().slice(0, -1)}0000Z`;
}
