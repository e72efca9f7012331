import * as l10n from '@vscode/l10n';
import type { Connection, SubscriptionListing } from '../../connection/connection';
import { tokenAccountOf } from '../../connection/accessTokenAccount';
import type { ConnectionManager } from '../../connection/connectionManager';
import { describeError } from '../../ui/describeError';
import { ErrorNode, InfoNode } from '../messageNodes';
import type { TreeNode } from '../treeNode';
import { RootNode, type AzureMlTreeProvider } from '../treeProvider';
import { SubscriptionNode } from './subscriptionNode';
import { isSameWorkspace } from './workspaceNode';

interface Listing {
  connection: Connection;
  latest: SubscriptionListing | undefined;
  /** Resolves with the first listing (tenants known), or the complete one. */
  first: Promise<void>;
  /** Kept across re-renders, so a tenant arriving late reloads no other's workspaces. */
  subscriptionNodes: Map<string, SubscriptionNode>;
}

/**
 * Subscriptions (of every tenant) and their workspaces. Tenants are listed each on its own:
 * the view shows every tenant's subscriptions as they arrive, a tenant still answering as a
 * "loading" line, and one that failed as an error with its remedy or Retry.
 */
export class WorkspacesRoot extends RootNode {
  private listing: Listing | undefined;

  constructor(private readonly connections: ConnectionManager, private readonly provider: AzureMlTreeProvider) {
    super();
  }

  private startListing(connection: Connection): Listing {
    let shown: () => void = () => undefined;
    const listing: Listing = {
      connection,
      latest: undefined,
      subscriptionNodes: new Map(),
      first: new Promise<void>((resolve) => {
        shown = resolve;
      }),
    };
    const onProgress = (partial: SubscriptionListing): void => {
      const isFirst = listing.latest === undefined;
      listing.latest = partial;
      if (isFirst) shown();
      else if (this.listing === listing) this.provider.rerender(this);
    };
    const done = connection.listSubscriptions(onProgress).then((complete) => onProgress(complete));
    listing.first = Promise.race([listing.first, done]);
    // A failure before the first listing reaches the view through `first`; later ones can't happen.
    done.catch(() => undefined);
    return listing;
  }

  override async getChildren(): Promise<TreeNode[]> {
    if (!this.connections.kind) return [];
    const connection = await this.connections.getConnection();
    if (this.listing?.connection !== connection) this.listing = this.startListing(connection);
    const listing = this.listing;
    try {
      await listing.first;
    } catch (error) {
      // Listed again on the next look (Retry or Refresh), not stuck on this failure.
      if (this.listing === listing) this.listing = undefined;
      throw error;
    }
    return this.nodes(listing, listing.latest!);
  }

  private nodes(listing: Listing, { subscriptions, failures, loading }: SubscriptionListing): TreeNode[] {
    const { connection, subscriptionNodes } = listing;
    const isActive = (ref: Parameters<typeof isSameWorkspace>[1]) => isSameWorkspace(this.connections.activeWorkspace, ref);
    const nodes: TreeNode[] = subscriptions.map((s) => {
      let node = subscriptionNodes.get(s.subscriptionId);
      if (!node) {
        node = new SubscriptionNode(s, connection, isActive, (n) => this.provider.rerender(n));
        subscriptionNodes.set(s.subscriptionId, node);
      }
      return node;
    });
    for (const tenant of loading) {
      nodes.push(new InfoNode(undefined, l10n.t('Tenant {0}: loading subscriptions…', tenant.displayName ?? tenant.tenantId), `tenant-loading/${tenant.tenantId}`));
    }
    for (const failure of failures) {
      const described = describeError(failure.error, this.connections.errorContext);
      nodes.push(new ErrorNode(undefined, {
        message: l10n.t('Tenant {0}: {1}', failure.tenant.displayName ?? failure.tenant.tenantId, described.message),
        ...(described.remedy ? { remedy: described.remedy } : {}),
      }, () => this.provider.refresh(), `tenant-error/${failure.tenant.tenantId}`));
    }
    if (nodes.length === 0) {
      nodes.push(new InfoNode(undefined, connection.kind === 'azure'
        ? l10n.t('No subscriptions to show. Check the azureml.subscriptions setting.')
        : l10n.t('No subscriptions.')));
    }
    // Not a sign-in: the account says what it is, so a token left in the environment is noticed.
    const tokenAccount = tokenAccountOf(connection);
    if (tokenAccount) nodes.unshift(new InfoNode(undefined, tokenAccount.label, 'access-token-account', tokenAccount.details));
    return nodes;
  }
}
