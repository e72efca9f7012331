import * as vscode from 'vscode';
import type { Page } from '../azure/domain';
import type { WorkspaceClient } from '../azure/workspaceClient';
import type { ActiveWorkspace, Connection } from '../connection/connection';
import type { ConnectionManager } from '../connection/connectionManager';
import { PagedChildren } from './pagedChildren';
import type { TreeNode } from './treeNode';
import { RootNode, type AzureMlTreeProvider } from './treeProvider';

export interface ActiveWorkspaceContext {
  client: WorkspaceClient;
  connection: Connection;
  workspace: ActiveWorkspace;
  rerender: (node: TreeNode | undefined) => void;
}

/** What a view lists at its top level for the active workspace. */
export interface WorkspaceList<T> {
  fetchPage(continuationToken: string | undefined): Promise<Page<T>>;
  toNode(item: T): TreeNode;
  onPageShown?(items: T[], nodes: TreeNode[]): void;
}

/**
 * The root of the Datastores, Experiments and Models views: one paged list of the active workspace.
 * An empty list shows the view's welcome content (with the next step as a button): the context
 * key `<view id>.empty` says the list is empty, as opposed to nothing being connected or selected.
 */
export class WorkspaceListRoot<T> extends RootNode {
  private pages: PagedChildren<T> | undefined;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly provider: AzureMlTreeProvider,
    private readonly createList: (context: ActiveWorkspaceContext) => WorkspaceList<T>,
  ) {
    super();
  }

  override async getChildren(): Promise<TreeNode[]> {
    // Nothing connected or selected: the view's welcome content says what to do.
    if (!this.connections.kind) return [];
    // Restoring the connection may select a workspace (the local service's own, on a first run).
    if (!this.connections.activeWorkspace) await this.connections.getConnection();
    if (!this.connections.activeWorkspace) return [];
    if (!this.pages) {
      const rerender = (node: TreeNode | undefined): void => this.provider.rerender(node);
      const list = this.createList({ ...(await this.connections.activeWorkspaceClient()), rerender });
      this.pages = new PagedChildren<T>(undefined, (t) => list.fetchPage(t), (item) => list.toNode(item), rerender,
        undefined, list.onPageShown?.bind(list));
    }
    const children = await this.pages.get();
    await this.setEmpty(children.length === 0);
    return children;
  }

  private async setEmpty(empty: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', `${this.provider.viewId}.empty`, empty);
  }
}
