import * as l10n from '@vscode/l10n';
import type { Datastore } from '../../azure/domain';
import { DatastoreNode } from '../../tree/datastores/datastoreNode';
import { DatastoreStorageAccess } from '../../tree/datastores/datastoreStorageAccess';
import { StorageFolderNode } from '../../tree/datastores/storageEntryNodes';
import type { TreeNode } from '../../tree/treeNode';
import type { PickItem } from '../../ui/prompts';
import type { CommandContext } from '../commandContext';

/** A datastore to transfer to or from, and the folder a tree item pointed at. */
export interface DatastoreTarget {
  datastore: Datastore;
  access: DatastoreStorageAccess;
  /** Folder inside the datastore (`''` is its root). */
  folderPath: string;
}

/** The datastore types files can be uploaded to and downloaded from (ADLS Gen2 through its blob endpoint). */
const transferableTypes = new Set(['AzureBlob', 'AzureFile', 'AzureDataLakeGen2']);

const typeLabels: Record<string, string> = {
  get AzureBlob() { return l10n.t('Blob container'); },
  get AzureFile() { return l10n.t('File share'); },
  get AzureDataLakeGen2() { return l10n.t('Data Lake Gen2'); },
};

/** The datastore (and folder) of a Datastores tree item: a datastore or a folder inside one. */
export function targetOfNode(node: unknown): DatastoreTarget | undefined {
  if (node instanceof DatastoreNode) return { datastore: node.datastore, access: node.access, folderPath: '' };
  if (node instanceof StorageFolderNode) {
    let parent: TreeNode | undefined = node.parent;
    while (parent && !(parent instanceof DatastoreNode)) parent = parent.parent;
    if (parent instanceof DatastoreNode) return { datastore: parent.datastore, access: parent.access, folderPath: node.entry.path };
  }
  return undefined;
}

/** `datastore` or `datastore/folder`, for titles. */
export function targetLabel(target: DatastoreTarget, folderPath = target.folderPath): string {
  return folderPath ? `${target.datastore.name}/${folderPath}` : target.datastore.name;
}

/** Asks for one of the active workspace's datastores, the default one first. */
export async function pickDatastore(context: CommandContext, title: string): Promise<DatastoreTarget> {
  const { client, connection, workspace } = await context.connections.activeWorkspaceClient();
  const items = (async (): Promise<Array<PickItem<Datastore>>> => {
    const datastores: Datastore[] = [];
    for await (const datastore of client.datastores.listAll()) if (transferableTypes.has(datastore.datastoreType)) datastores.push(datastore);
    datastores.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
    return datastores.map((d) => ({
      label: d.name,
      description: [typeLabels[d.datastoreType] ?? d.datastoreType, d.isDefault ? l10n.t('default') : undefined].filter(Boolean).join(' · '),
      detail: `${d.accountName ?? ''}/${d.containerName ?? d.fileShareName ?? d.filesystem ?? ''}`,
      value: d,
    }));
  })();
  const datastore = await context.prompts.pick(items, { title, placeHolder: l10n.t('Datastore') });
  return { datastore, access: new DatastoreStorageAccess(datastore, client, connection, workspace), folderPath: '' };
}
