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
  get AzureBlob() { return vscode.l10n.t('Azure Blob container'); },
  get AzureFile() { return vscode.l10n.t('Azure file share'); },
  get AzureDataLakeGen2() { return vscode.l10n.t('Azure Data Lake Storage Gen2'); },
  get AzureDataLakeGen1() { return vscode.l10n.t('Azure Data Lake Storage Gen1'); },
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
    item.description = d.isDefault ? vscode.l10n.t('default · {0}', datastoreLocation(d)) : datastoreLocation(d);
    item.iconPath = new vscode.ThemeIcon(typeIcons[d.datastoreType] ?? 'database');
    item.contextValue = `datastore:${d.datastoreType}${d.isDefault ? ':default' : ''}`;
    item.accessibilityInformation = {
      label: d.isDefault
        ? vscode.l10n.t('Datastore {0}, {1}, the default, {2}', d.name, typeNames[d.datastoreType] ?? d.datastoreType, datastoreLocation(d))
        : vscode.l10n.t('Datastore {0}, {1}, {2}', d.name, typeNames[d.datastoreType] ?? d.datastoreType, datastoreLocation(d)),
    };
    const tooltip = new vscode.MarkdownString();
    const heading = d.isDefault ? vscode.l10n.t('**{0}** (default)', d.name) : `**${d.name}**`;
    tooltip.appendMarkdown(`${heading}\n\n`);
    tooltip.appendMarkdown(`${typeNames[d.datastoreType] ?? d.datastoreType}  \n`);
    tooltip.appendMarkdown(vscode.l10n.t('Location: {0}  \nCredentials: {1}', datastoreLocation(d), d.credentialsType));
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
