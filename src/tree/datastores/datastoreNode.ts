import * as vscode from 'vscode';
import type { Datastore } from '../../azure/domain';
import type { StorageEntry } from '../../azure/storageListing';
import type { PagedChildren } from '../pagedChildren';
import { TreeNode } from '../treeNode';
import type { DatastoreStorageAccess } from './datastoreStorageAccess';
import { folderChildren } from './storageEntryNodes';

const typeIcons: Record<string, string> = {
  AzureBlob: 'database',
  AzureFile: 'folder-library',
  AzureDataLakeGen2: 'layers',
  AzureDataLakeGen1: 'layers',
};

const typeNames: Record<string, string> = {
  AzureBlob: 'Azure Blob container',
  AzureFile: 'Azure file share',
  AzureDataLakeGen2: 'Azure Data Lake Storage Gen2',
  AzureDataLakeGen1: 'Azure Data Lake Storage Gen1',
};

export function datastoreLocation(d: Datastore): string {
  const place = d.containerName ?? d.fileShareName ?? d.filesystem ?? d.storeName ?? '';
  return d.accountName ? `${d.accountName}/${place}` : place;
}

export class DatastoreNode extends TreeNode {
  readonly id: string;
  private readonly children: PagedChildren<StorageEntry>;

  constructor(readonly datastore: Datastore, readonly access: DatastoreStorageAccess, rerender: (node: TreeNode | undefined) => void) {
    super(undefined);
    this.id = `datastore/${datastore.name}`;
    this.children = folderChildren(this, datastore.name, access, '', rerender);
  }

  getTreeItem(): vscode.TreeItem {
    const d = this.datastore;
    const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.Collapsed);
    // "default" first: long container names would push it out of sight.
    item.description = `${d.isDefault ? 'default · ' : ''}${datastoreLocation(d)}`;
    item.iconPath = new vscode.ThemeIcon(typeIcons[d.datastoreType] ?? 'database');
    item.contextValue = `datastore:${d.datastoreType}${d.isDefault ? ':default' : ''}`;
    item.accessibilityInformation = {
      label: `Datastore ${d.name}, ${typeNames[d.datastoreType] ?? d.datastoreType}${d.isDefault ? ', the default' : ''}, ${datastoreLocation(d)}`,
    };
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${d.name}**${d.isDefault ? ' (default)' : ''}\n\n`);
    tooltip.appendMarkdown(`${typeNames[d.datastoreType] ?? d.datastoreType}  \n`);
    tooltip.appendMarkdown(`Location: ${datastoreLocation(d)}  \nCredentials: ${d.credentialsType}`);
    if (d.description) tooltip.appendMarkdown(`\n\n${d.description}`);
    item.tooltip = tooltip;
    return item;
  }

  override getChildren(): Promise<TreeNode[]> {
    return this.children.get();
  }

  override reset(): void {
    this.children.reset();
  }
}
