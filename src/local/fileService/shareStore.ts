import {
  foldName, newEntryId, newEtag, toEntryRecord, toFileTime, toNode,
  type DirectoryNode, type EntryRecord, type FileNode, type FileRecord, type JournalRecord, type PersistedState,
  type ShareRecord, type SmbProperties, type TreeNode,
} from './model';
import { errors } from './storageError';

export interface ShareState {
  record: ShareRecord;
  root: DirectoryNode;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts, when there is one. */
  next: string | undefined;
}

/** What Create File sets; the store fills in identity, parent and timestamps. */
export type NewFile = Omit<FileRecord, 'id' | 'parentId' | 'name' | 'etag' | 'lastModified' | 'kind'>;

type Persist = (record: JournalRecord) => Promise<void>;

function lowerBound(sorted: string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

function page<T>(keys: string[], prefix: string, marker: string, max: number, get: (key: string) => T): Page<T> {
  let index = lowerBound(keys, marker > prefix ? marker : prefix);
  const items: T[] = [];
  while (index < keys.length && keys[index]!.startsWith(prefix) && items.length < max) items.push(get(keys[index++]!));
  const next = index < keys.length && keys[index]!.startsWith(prefix) ? keys[index] : undefined;
  return { items, next };
}

/**
 * The shares, directories and files, in memory, with every change recorded through `persist`
 * (the journal). Each change is checked and applied synchronously before anything is awaited, so
 * concurrent requests always see and leave a consistent tree; the returned promise resolves when
 * the change is durable.
 */
export class ShareStore {
  private readonly shares = new Map<string, ShareState>();
  private readonly nodes = new Map<string, TreeNode>();
  private sortedShareNames: string[] | undefined;

  constructor(private readonly persist: Persist) {}

  /** Rebuilds the tree from a snapshot plus the journal written after it. */
  static restore(snapshot: PersistedState, records: JournalRecord[], persist: Persist): ShareStore {
    const shares = new Map(snapshot.shares.map((share) => [share.name, share]));
    const entries = new Map(snapshot.entries.map((entry) => [entry.id, entry]));
    for (const record of records) {
      if (record.type === 'share') shares.set(record.share.name, record.share);
      else if (record.type === 'deleteShare') shares.delete(record.name);
      else if (record.type === 'entry') entries.set(record.entry.id, record.entry);
      else entries.delete(record.id);
    }
    const childrenOf = new Map<string, EntryRecord[]>();
    for (const entry of entries.values()) {
      if (entry.parentId === '') continue;
      const siblings = childrenOf.get(entry.parentId);
      if (siblings) siblings.push(entry);
      else childrenOf.set(entry.parentId, [entry]);
    }

    const store = new ShareStore(persist);
    for (const share of shares.values()) {
      const rootRecord = entries.get(share.rootId);
      const root = toNode(rootRecord?.kind === 'directory' ? rootRecord : store.newRootRecord(share.rootId)) as DirectoryNode;
      store.shares.set(share.name, { record: share, root });
      store.nodes.set(root.id, root);
      // Entries not reachable from a live share's root (a deleted share's) are dropped here.
      const pending: DirectoryNode[] = [root];
      for (let directory = pending.pop(); directory; directory = pending.pop()) {
        for (const childRecord of childrenOf.get(directory.id) ?? []) {
          const child = toNode(childRecord);
          directory.children.set(foldName(child.name), child);
          store.nodes.set(child.id, child);
          if (child.kind === 'directory') pending.push(child);
        }
      }
    }
    return store;
  }

  snapshot(): PersistedState {
    return {
      shares: [...this.shares.values()].map((share) => ({ ...share.record })),
      entries: [...this.nodes.values()].map(toEntryRecord),
    };
  }

  referencedContentIds(): Set<string> {
    const ids = new Set<string>();
    for (const node of this.nodes.values()) if (node.kind === 'file') ids.add(node.contentId);
    return ids;
  }

  // Shares

  share(name: string): ShareState {
    const share = this.shares.get(name);
    if (!share) throw errors.shareNotFound();
    return share;
  }

  listShares(prefix: string, marker: string, max: number): Page<ShareState> {
    this.sortedShareNames ??= [...this.shares.keys()].sort();
    return page(this.sortedShareNames, prefix, marker, max, (name) => this.shares.get(name)!);
  }

  async createShare(name: string, quotaGiB: number, metadata: Record<string, string>): Promise<ShareRecord> {
    if (this.shares.has(name)) throw errors.shareAlreadyExists();
    const rootRecord = this.newRootRecord(newEntryId());
    const root = toNode(rootRecord) as DirectoryNode;
    const record: ShareRecord = { name, rootId: root.id, etag: newEtag(), lastModified: Date.now(), quotaGiB, metadata };
    const state = { record, root };
    this.shares.set(name, state);
    this.nodes.set(root.id, root);
    this.sortedShareNames = undefined;
    await this.record([{ type: 'entry', entry: rootRecord }, { type: 'share', share: record }], () => {
      if (this.shares.get(name) === state) this.shares.delete(name);
      this.nodes.delete(root.id);
      this.sortedShareNames = undefined;
    });
    return record;
  }

  /** Deletes the share and everything in it; returns the content ids that are now unused. */
  async deleteShare(name: string): Promise<string[]> {
    const share = this.share(name);
    const contentIds: string[] = [];
    const removed: TreeNode[] = [];
    const pending: TreeNode[] = [share.root];
    for (let node = pending.pop(); node; node = pending.pop()) {
      this.nodes.delete(node.id);
      removed.push(node);
      if (node.kind === 'file') contentIds.push(node.contentId);
      else pending.push(...node.children.values());
    }
    this.shares.delete(name);
    this.sortedShareNames = undefined;
    await this.record([{ type: 'deleteShare', name }], () => {
      if (this.shares.has(name)) return;
      this.shares.set(name, share);
      for (const node of removed) this.nodes.set(node.id, node);
      this.sortedShareNames = undefined;
    });
    return contentIds;
  }

  async updateShare(name: string, change: (record: ShareRecord) => void): Promise<ShareRecord> {
    const share = this.share(name);
    const before = { ...share.record };
    change(share.record);
    share.record.etag = newEtag();
    share.record.lastModified = Date.now();
    await this.record([{ type: 'share', share: { ...share.record } }], () => Object.assign(share.record, before));
    return share.record;
  }

  usageBytes(name: string): number {
    let total = 0;
    const pending: TreeNode[] = [this.share(name).root];
    for (let node = pending.pop(); node; node = pending.pop()) {
      if (node.kind === 'file') total += node.size;
      else pending.push(...node.children.values());
    }
    return total;
  }

  // Directories and files

  /** The directory that holds `segments`' last name; ParentNotFound when the path above it is missing. */
  parentOf(shareName: string, segments: string[]): DirectoryNode {
    let directory = this.share(shareName).root;
    for (const name of segments.slice(0, -1)) {
      const child = directory.children.get(foldName(name));
      if (!child || child.kind !== 'directory') throw errors.parentNotFound();
      directory = child;
    }
    return directory;
  }

  find(shareName: string, segments: string[]): TreeNode | undefined {
    if (segments.length === 0) return this.share(shareName).root;
    return this.parentOf(shareName, segments).children.get(foldName(segments[segments.length - 1]!));
  }

  directory(shareName: string, segments: string[]): DirectoryNode {
    const node = this.find(shareName, segments);
    if (!node || node.kind !== 'directory') throw errors.resourceNotFound();
    return node;
  }

  file(shareName: string, segments: string[]): FileNode {
    const node = this.find(shareName, segments);
    if (!node || node.kind !== 'file') throw errors.resourceNotFound();
    return node;
  }

  /** Whether `node` is still in the tree (not deleted or replaced since it was looked up). */
  isCurrent(node: TreeNode): boolean {
    return this.nodes.get(node.id) === node;
  }

  pathOf(node: TreeNode): string {
    const names: string[] = [];
    for (let current: TreeNode | undefined = node; current && current.parentId !== ''; current = this.nodes.get(current.parentId)) {
      names.unshift(current.name);
    }
    return names.join('/');
  }

  listDirectory(directory: DirectoryNode, prefix: string, marker: string, max: number): Page<TreeNode> {
    directory.sortedKeys ??= [...directory.children.keys()].sort();
    return page(directory.sortedKeys, foldName(prefix), marker, max, (key) => directory.children.get(key)!);
  }

  async createDirectory(
    shareName: string, segments: string[], smb: SmbProperties, metadata: Record<string, string>,
  ): Promise<DirectoryNode> {
    if (segments.length === 0) throw errors.resourceAlreadyExists();
    const parent = this.parentOf(shareName, segments);
    const name = segments[segments.length - 1]!;
    if (parent.children.has(foldName(name))) throw errors.resourceAlreadyExists();
    const node: DirectoryNode = {
      kind: 'directory', id: newEntryId(), parentId: parent.id, name, etag: newEtag(), lastModified: Date.now(),
      metadata, ...smb, children: new Map(), sortedKeys: undefined,
    };
    this.attach(parent, node);
    await this.record([{ type: 'entry', entry: toEntryRecord(node) }], () => this.detachIfCurrent(node));
    return node;
  }

  async deleteDirectory(shareName: string, segments: string[]): Promise<void> {
    if (segments.length === 0) throw errors.invalidInput('The root directory of a share cannot be deleted.');
    const directory = this.directory(shareName, segments);
    if (directory.children.size > 0) throw errors.directoryNotEmpty();
    this.detach(directory);
    await this.record([{ type: 'deleteEntry', id: directory.id }], () => this.reattach(directory));
  }

  /**
   * Creates the file, or replaces the file already at that path (as Create File does). Returns the
   * new node and the content id the replaced file used.
   */
  async putFile(shareName: string, segments: string[], file: NewFile): Promise<{ node: FileNode; replacedContentId?: string }> {
    const parent = this.parentOf(shareName, segments);
    const name = segments[segments.length - 1]!;
    const existing = parent.children.get(foldName(name));
    if (existing?.kind === 'directory') throw errors.resourceAlreadyExists();
    const node: FileNode = {
      ...file, kind: 'file', id: existing?.id ?? newEntryId(), parentId: parent.id, name, etag: newEtag(), lastModified: Date.now(),
    };
    if (existing) this.detach(existing);
    this.attach(parent, node);
    await this.record([{ type: 'entry', entry: toEntryRecord(node) }], () => {
      this.detachIfCurrent(node);
      if (existing) this.reattach(existing);
    });
    return existing ? { node, replacedContentId: existing.contentId } : { node };
  }

  /** Deletes the file; returns its content id. */
  async deleteFile(shareName: string, segments: string[]): Promise<string> {
    const file = this.file(shareName, segments);
    this.detach(file);
    await this.record([{ type: 'deleteEntry', id: file.id }], () => this.reattach(file));
    return file.contentId;
  }

  /** Applies `change` to a file or directory still in the tree, with a new ETag and Last-Modified. */
  async updateEntry<T extends TreeNode>(node: T, change: (node: T) => void): Promise<T> {
    if (!this.isCurrent(node)) throw errors.resourceNotFound();
    const before = { ...node };
    change(node);
    node.etag = newEtag();
    node.lastModified = Date.now();
    await this.record([{ type: 'entry', entry: toEntryRecord(node) }], () => Object.assign(node, before));
    return node;
  }

  /**
   * Moves a file or directory within a share. Returns the moved node and the content id of a file
   * it replaced.
   */
  async rename(
    shareName: string, source: TreeNode, destinationSegments: string[], replaceIfExists: boolean,
  ): Promise<{ node: TreeNode; replacedContentId?: string }> {
    if (!this.isCurrent(source)) throw errors.resourceNotFound();
    if (destinationSegments.length === 0) throw errors.invalidInput('The destination cannot be the share root.');
    const parent = this.parentOf(shareName, destinationSegments);
    for (let ancestor: TreeNode | undefined = parent; ancestor; ancestor = this.nodes.get(ancestor.parentId)) {
      if (ancestor === source) throw errors.invalidInput('A directory cannot be moved into itself.');
    }
    const name = destinationSegments[destinationSegments.length - 1]!;
    const existing = parent.children.get(foldName(name));
    let replacedContentId: string | undefined;
    if (existing && existing !== source) {
      if (!replaceIfExists || existing.kind === 'directory' || source.kind === 'directory') throw errors.resourceAlreadyExists();
      replacedContentId = existing.contentId;
      this.detach(existing);
    }
    const before = { parentId: source.parentId, name: source.name, changeTime: source.changeTime, etag: source.etag, lastModified: source.lastModified };
    this.detach(source);
    source.parentId = parent.id;
    source.name = name;
    source.changeTime = toFileTime(new Date());
    source.etag = newEtag();
    source.lastModified = Date.now();
    this.attach(parent, source);
    const replaced = existing && existing !== source ? existing : undefined;
    await this.record([...(replaced ? [{ type: 'deleteEntry' as const, id: replaced.id }] : []), { type: 'entry', entry: toEntryRecord(source) }], () => {
      if (!this.detachIfCurrent(source)) return;
      Object.assign(source, before);
      this.reattach(source);
      if (replaced) this.reattach(replaced);
    });
    return replacedContentId === undefined ? { node: source } : { node: source, replacedContentId };
  }

  private newRootRecord(id: string): EntryRecord {
    const now = toFileTime(new Date());
    return {
      kind: 'directory', id, parentId: '', name: '', etag: newEtag(), lastModified: Date.now(), metadata: {},
      attributes: 'Directory', creationTime: now, lastWriteTime: now, changeTime: now,
    };
  }

  private attach(parent: DirectoryNode, node: TreeNode): void {
    parent.children.set(foldName(node.name), node);
    parent.sortedKeys = undefined;
    this.nodes.set(node.id, node);
  }

  /**
   * Records `records` in the journal; when that fails (a full disk), `undo` takes the change back
   * out of the tree, so the failed request leaves the tree as the journal has it.
   */
  private async record(records: JournalRecord[], undo: () => void): Promise<void> {
    try {
      await Promise.all(records.map((record) => this.persist(record)));
    } catch (error) {
      undo();
      throw error;
    }
  }

  /** Takes `node` out of the tree if it is still in it; whether it was. */
  private detachIfCurrent(node: TreeNode): boolean {
    if (!this.isCurrent(node)) return false;
    this.detach(node);
    return true;
  }

  /** Puts `node` back under its parent, unless the parent is gone or something else took its name meanwhile. */
  private reattach(node: TreeNode): void {
    const parent = this.nodes.get(node.parentId);
    if (parent?.kind !== 'directory' || parent.children.has(foldName(node.name))) return;
    this.attach(parent, node);
  }

  private detach(node: TreeNode): void {
    const parent = this.nodes.get(node.parentId);
    if (parent?.kind === 'directory') {
      parent.children.delete(foldName(node.name));
      parent.sortedKeys = undefined;
    }
    this.nodes.delete(node.id);
  }
}
