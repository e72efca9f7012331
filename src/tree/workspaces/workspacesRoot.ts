import type { ConnectionManager } from '../../connection/connectionManager';
import { describeError, signInRemedy } from '../../ui/describeError';
import { ErrorNode, InfoNode } from '../messageNodes';
import type { TreeNode } from '../treeNode';
import { RootNode, type AzureMlTreeProvider } from '../treeProvider';
import { SubscriptionNode } from './subscriptionNode';
import { isSameWorkspace } from './workspaceNode';

/** Subscriptions (of every tenant) and their workspaces. */
export class WorkspacesRoot extends RootNode {
  constructor(private readonly connections: ConnectionManager, private readonly provider: AzureMlTreeProvider) {
    super();
  }

  override async getChildren(): Promise<TreeNode[]> {
    if (!this.connections.kind) return [];
    const connection = await this.connections.getConnection();
    const { subscriptions, failures } = await connection.listSubscriptions();
    const isActive = (ref: Parameters<typeof isSameWorkspace>[1]) => isSameWorkspace(this.connections.activeWorkspace, ref);
    const nodes: TreeNode[] = subscriptions.map((s) => new SubscriptionNode(s, connection, isActive, (n) => this.provider.rerender(n)));
    for (const failure of failures) {
      const described = describeError(failure.error, connection.kind);
      nodes.push(new ErrorNode(undefined, {
        message: `Tenant ${failure.tenant.displayName ?? failure.tenant.tenantId}: ${described.message}`,
        remedy: described.remedy ?? signInRemedy,
      }, () => this.provider.refresh(), `tenant-error/${failure.tenant.tenantId}`));
    }
    if (nodes.length === 0) {
      nodes.push(new InfoNode(undefined, connection.kind === 'azure'
        ? 'No subscriptions to show. Check the azureml.subscriptions setting.'
        : 'No subscriptions.'));
    }
    return nodes;
  }
}
