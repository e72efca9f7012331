import * as vscode from 'vscode';
import type { StorageEntry } from '../../azure/storageListing';
import { formatBytes, formatTimestamp } from '../../core/format';
import { loadAzureModules } from '../../connection/loadAzureModules';
import { PagedChildren } from '../pagedChildren';
import { TreeNode } from '../treeNode';
import type { DatastoreStorageAccess } from './datastoreStorageAccess';

const pageSize = 100;

/** The children of a folder in a datastore, listed one page at a time. */
export function folderChildren(owner: TreeNode, datastoreName: string, access: DatastoreStorageAccess, folderPath: string,
  rerender: (node: TreeNode | undefined) => void): PagedChildren<StorageEntry> {
  return new PagedChildren<StorageEntry>(
    owner,
    async (continuationToken) => {
      const [sdk, storage] = await Promise.all([loadAzureModules(), access.open()]);
      return sdk.listFolder(storage, folderPath, { pageSize, ...(continuationToken ? { continuationToken } : {}) });
    },
    (entry) => (entry.isFolder
      ? new StorageFolderNode(owner, datastoreName, entry, access, rerender)
      : new StorageFileNode(owner, datastoreName, entry)),
    rerender,
    folderPath ? vscode.l10n.t('Empty folder') : vscode.l10n.t('Empty'),
  );
}

export class StorageFolderNode extends TreeNode {
  readonly id: string;
  private readonly children: PagedChildren<StorageEntry>;

  constructor(parent: TreeNode, readonly datastoreName: string, readonly entry: StorageEntry, access: DatastoreStorageAccess,
    rerender: (node: TreeNode | undefined) => void) {
    super(parent);
    this.id = `datastore/${datastoreName}/${entry.path}/`;
    this.children = folderChildren(this, datastoreName, access, entry.path, rerender);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.entry.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = vscode.ThemeIcon.Folder;
    item.resourceUri = vscode.Uri.from({ scheme: 'azureml-datastore', authority: this.datastoreName, path: `/${this.entry.path}` });
    item.contextValue = 'datastoreFolder';
    item.tooltip = this.entry.path;
    return item;
  }

  override getChildren(): Promise<TreeNode[]> {
    return this.children.get();
  }

  override reset(): void {
    this.children.reset();
  }
}

export class StorageFileNode extends TreeNode {
  readonly id: string;

  constructor(parent: TreeNode, readonly datastoreName: string, readonly entry: StorageEntry) {
    super(parent);
    this.id = `datastore/${datastoreName}/${entry.path}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.entry.name, vscode.TreeItemCollapsibleState.None);
    item.iconPath = vscode.ThemeIcon.File;
    item.resourceUri = vscode.Uri.from({ scheme: 'azureml-datastore', authority: this.datastoreName, path: `/${this.entry.path}` });
    item.description = this.entry.size !== undefined ? formatBytes(this.entry.size) : undefined;
    item.contextValue = 'datastoreFile';
    item.tooltip = [this.entry.path, this.entry.size !== undefined ? vscode.l10n.t('{0} bytes', this.entry.size) : undefined,
      this.entry.lastModified ? vscode.l10n.t('Modified {0}', formatTimestamp(this.entry.lastModified) ?? '') : undefined].filter(Boolean).join('\n');
    return item;
  }
}
