import * as vscode from 'vscode';
import type { Workspace } from '../../azure/domain';
import type { ActiveWorkspace, Connection, SubscriptionWithTenant } from '../../connection/connection';
import { PagedChildren } from '../pagedChildren';
import { TreeNode } from '../treeNode';
import { WorkspaceNode } from './workspaceNode';

export class SubscriptionNode extends TreeNode {
  readonly id: string;
  private readonly workspaces: PagedChildren<Workspace>;

  constructor(readonly subscription: SubscriptionWithTenant, connection: Connection,
    isActive: (ref: ActiveWorkspace) => boolean, rerender: (node: TreeNode | undefined) => void) {
    super(undefined);
    this.id = `subscription/${subscription.subscriptionId}`;
    const manager = connection.resourceManager(subscription.tenantId);
    this.workspaces = new PagedChildren(
      this,
      (continuationToken) => manager.listWorkspaces({
        subscriptionId: subscription.subscriptionId, ...(continuationToken ? { continuationToken } : {}),
      }),
      (workspace) => new WorkspaceNode(this, workspace, connection.kind, subscription.tenantId, isActive),
      rerender,
      vscode.l10n.t('No Azure ML workspaces in this subscription'),
    );
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.subscription.displayName, vscode.TreeItemCollapsibleState.Expanded);
    item.description = this.subscription.subscriptionId;
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = 'subscription';
    item.tooltip = vscode.l10n.t('{0}\nSubscription {1}\nTenant {2}', this.subscription.displayName, this.subscription.subscriptionId, this.subscription.tenantId);
    return item;
  }

  override getChildren(): Promise<TreeNode[]> {
    return this.workspaces.get();
  }

  override reset(): void {
    this.workspaces.reset();
  }
}
